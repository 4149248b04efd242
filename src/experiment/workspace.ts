import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.ts";

/** The paths of the loop's state under the project root. */
export interface CodeflashPaths {
  dir: string;
  results: string;
  conventions: string;
  learnings: string;
  handoff: string;
  config: string;
  discarded: string;
}

/** Where the loop keeps its state (see the README's ".codeflash/" section). */
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
  };
}

/** The state folder, which `xloop init` makes; a clear error when it is missing. */
export function requireCodeflash(root: string): CodeflashPaths {
  const paths = codeflashPaths(root);
  if (!existsSync(paths.dir)) throw new UserError(`${paths.dir} does not exist: run \`xloop init\` (optionally with --guard "<command>") in ${root} first`);
  mkdirSync(paths.discarded, { recursive: true });
  return paths;
}

/** True for paths of the loop's own state, which are never part of a change under test. */
export function isStatePath(repoRelative: string): boolean {
  return repoRelative === ".codeflash" || repoRelative.startsWith(".codeflash/");
}
