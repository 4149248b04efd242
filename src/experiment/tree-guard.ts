/**
 * The user's working tree while the target runs in it: the verify and benchmark steps
 * load the working tree's code, and a target that writes, deletes or rewrites files
 * there (a cache file, a cleanup of its own) would otherwise leave those changes for
 * the KEEP to sit beside, or take the user's uncommitted work with it. Taken before
 * measuring and put back after.
 */
import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import { changedFiles, changedPaths, restoreFiles } from "../git/change.ts";
import { insideRepo } from "../git/paths.ts";
import { restoreSnapshot, snapshotFiles, type SavedFile, type Snapshot } from "../git/snapshot.ts";
import { isStatePath } from "./workspace.ts";

/** Files bigger than this are not held in memory; a target rewriting one is not undone. */
const MAX_SAVED_BYTES = 16 * 1024 * 1024;

/** The tree's dirty and untracked files as they were, by content. */
export interface TreeState {
  readonly snapshot: Snapshot;
  readonly dirty: ReadonlySet<string>;
}

async function dirtyPaths(repo: string): Promise<string[]> {
  return changedPaths((await changedFiles(repo)).filter((c) => !isStatePath(c.path) && !(c.from && isStatePath(c.from))));
}

function small(repo: string, file: string): boolean {
  const stat = lstatSync(insideRepo(repo, file), { throwIfNoEntry: false });
  return !stat || !stat.isFile() || stat.size <= MAX_SAVED_BYTES;
}

/** Takes the state of every changed and untracked (not ignored) file outside .codeflash. */
export async function takeTree(repo: string): Promise<TreeState> {
  const dirty = await dirtyPaths(repo);
  return { snapshot: await snapshotFiles(repo, dirty.filter((f) => small(repo, f))), dirty: new Set(dirty) };
}

function unchanged(repo: string, saved: SavedFile): boolean {
  const stat = lstatSync(insideRepo(repo, saved.path), { throwIfNoEntry: false });
  if (saved.state === "absent") return !stat;
  if (!stat) return false;
  if (saved.state === "symlink") return stat.isSymbolicLink() && readlinkSync(insideRepo(repo, saved.path)) === saved.target;
  return stat.isFile() && (stat.mode & 0o7777) === saved.mode && readFileSync(insideRepo(repo, saved.path)).equals(saved.bytes);
}

/**
 * Puts back what changed since `state` was taken: files that were clean go back to
 * HEAD (new ones are deleted), dirty ones get their saved bytes. Returns the files put
 * back, repo-relative (empty when the target left the tree alone).
 */
export async function restoreTree(repo: string, state: TreeState): Promise<string[]> {
  const appeared = (await dirtyPaths(repo)).filter((f) => !state.dirty.has(f));
  const changed = state.snapshot.files.filter((f) => !unchanged(repo, f));
  if (appeared.length > 0) await restoreFiles(repo, appeared);
  if (changed.length > 0) {
    const paths = new Set(changed.map((f) => f.path));
    restoreSnapshot({ ...state.snapshot, files: changed, index: state.snapshot.index.filter((e) => paths.has(e.path)) });
  }
  return [...appeared, ...changed.map((f) => f.path)].sort();
}
