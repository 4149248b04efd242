import { readdirSync, rmdirSync } from "node:fs";
import path from "node:path";

/**
 * The absolute path of a repo-relative path, refusing anything that escapes the
 * repository: every path xloop deletes or overwrites goes through here.
 */
export function insideRepo(repo: string, relative: string): string {
  const absolute = path.resolve(repo, relative);
  const fromRoot = path.relative(repo, absolute);
  if (relative === "" || fromRoot === "" || fromRoot.startsWith("..") || path.isAbsolute(fromRoot)) {
    throw new Error(`refusing to touch ${relative}: it is not a file inside ${repo}`);
  }
  return absolute;
}

/**
 * Removes the folders above a deleted file that are now empty, up to (not including)
 * `stopAt`, so removing a new file also removes the new folder it came with.
 */
export function removeEmptyParents(file: string, stopAt: string): void {
  let dir = path.dirname(file);
  while (dir !== stopAt && dir.startsWith(stopAt + path.sep)) {
    try {
      if (readdirSync(dir).length > 0) return;
      rmdirSync(dir);
    } catch {
      return;
    }
    dir = path.dirname(dir);
  }
}

/** The list without repeats, in first-seen order. */
export function unique(paths: readonly string[]): string[] {
  return [...new Set(paths)];
}
