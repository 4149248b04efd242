import { relative, sep } from "node:path";
import type { TargetSpec } from "../measure/protocol.ts";
import { gitSync } from "../git/run.ts";

/**
 * The folder that holds `.codeflash/`: the top of the git repository around `cwd`,
 * so every command finds the same record wherever in the tree it is run; `cwd`
 * itself outside a repository. (git/repo.ts's findRepoRoot is the same question for
 * the commands that need a repository, and says why there is none.) Asked through
 * gitSync, so an inherited GIT_DIR cannot point it at another repository.
 */
export function projectRoot(cwd: string): string {
  try {
    return gitSync(cwd, ["rev-parse", "--show-toplevel"]).trim();
  } catch {
    return cwd;
  }
}

/** A target's stable key: its file relative to the project root, then #export. */
export function targetKey(root: string, target: TargetSpec): string {
  return `${relative(root, target.file).split(sep).join("/")}#${target.exportName}`;
}
