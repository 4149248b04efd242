/** The example's bench suite, which `xloop compare` runs in each revision: slugify over every case. */
import { slugify } from "../src/slugify.ts";
import { cases } from "./slugify.cases.ts";

/** Every case once: the end-to-end figure of a revision's slugify. */
export function slugifyAll(): void {
  for (const [title] of cases) slugify(title);
}
