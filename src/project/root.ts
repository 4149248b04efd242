import { spawnSync } from "node:child_process";
import { relative, sep } from "node:path";
import type { TargetSpec } from "../measure/protocol.ts";

/**
 * The folder that holds `.codeflash/`: the top of the git repository around `cwd`,
 * so every command finds the same record wherever in the tree it is run; `cwd`
 * itself outside a repository.
 */
export function projectRoot(cwd: string): string {
  const result = spawnSync("git", ["rev-parse", "--show-toplevel"], { cwd, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : cwd;
}

/** A target's stable key: its file relative to the project root, then #export. */
export function targetKey(root: string, target: TargetSpec): string {
  return `${relative(root, target.file).split(sep).join("/")}#${target.exportName}`;
}
