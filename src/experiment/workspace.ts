import { existsSync, mkdirSync } from "node:fs";
import { UserError } from "../errors.ts";
import { codeflashPaths, type CodeflashPaths } from "../project/codeflash-paths.ts";

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
