/**
 * The tree the guard runs on: HEAD plus exactly the change, never the user's other
 * dirty files (a guard that passed only because of an unrelated edit would let a
 * broken change through).
 */
import { copyFileSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { dirname } from "node:path";
import { insideRepo } from "../git/paths.ts";

/**
 * Copies each of `files` (repo-relative) from the user's working tree into `tree` (a
 * checkout of HEAD), deleting there the ones the change deleted, so `tree` holds HEAD
 * plus the change and nothing else.
 */
export function applyChangeTo(repo: string, tree: string, files: readonly string[]): void {
  for (const file of files) {
    const from = insideRepo(repo, file);
    const to = insideRepo(tree, file);
    const stat = lstatSync(from, { throwIfNoEntry: false });
    rmSync(to, { force: true, recursive: true });
    if (!stat) continue;
    mkdirSync(dirname(to), { recursive: true });
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else copyFileSync(from, to);
  }
}
