/**
 * Every file and folder of the loop's state under `.codeflash/`, in one place (the
 * docs/reference.md's ".codeflash/" section lists them): commands and modules ask here for a path
 * instead of joining the name themselves.
 */
import { join } from "node:path";

/** The paths of the loop's state under the project root. */
export interface CodeflashPaths {
  dir: string;
  results: string;
  conventions: string;
  learnings: string;
  handoff: string;
  config: string;
  discarded: string;
  noise: string;
  oracles: string;
  bottlenecks: string;
  checklists: string;
  journal: string;
  profiles: string;
}

/** Where the loop keeps its state, for the project rooted at `root`. */
export function codeflashPaths(root: string): CodeflashPaths {
  const dir = join(root, ".codeflash");
  return {
    dir,
    results: join(dir, "results.tsv"),
    conventions: join(dir, "conventions.md"),
    learnings: join(dir, "learnings.md"),
    handoff: join(dir, "HANDOFF.md"),
    config: join(dir, "config.json"),
    discarded: join(dir, "discarded"),
    noise: join(dir, "noise.json"),
    oracles: join(dir, "oracle"),
    bottlenecks: join(dir, "bottlenecks.json"),
    checklists: join(dir, "checklists"),
    journal: join(dir, "journal.json"),
    profiles: join(dir, "profiles"),
  };
}
