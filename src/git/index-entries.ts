import { git, gitSync, splitNul } from "./run.ts";

/** One file's entry in git's index (what is staged for it). */
export interface IndexEntry {
  readonly path: string;
  readonly mode: string;
  readonly object: string;
}

/** The staged entries of exactly these paths (paths with no entry are simply absent). */
export async function readIndexEntries(repo: string, paths: readonly string[]): Promise<IndexEntry[]> {
  if (paths.length === 0) return [];
  const wanted = new Set(paths);
  const entries: IndexEntry[] = [];
  for (const line of splitNul(await git(repo, ["ls-files", "--stage", "-z", "--", ...paths]))) {
    const tab = line.indexOf("\t");
    const [mode, object, stage] = line.slice(0, tab).split(" ");
    const file = line.slice(tab + 1);
    // A pathspec naming a folder also lists its files: keep exact matches only.
    if (wanted.has(file) && stage === "0" && mode !== undefined && object !== undefined) {
      entries.push({ path: file, mode, object });
    }
  }
  return entries;
}

/**
 * Puts the index entries of `paths` back to `entries`: paths without an entry are
 * unstaged entirely. Synchronous so it can run in a signal-time cleanup.
 */
export function writeIndexEntriesSync(repo: string, paths: readonly string[], entries: readonly IndexEntry[]): void {
  const kept = new Set(entries.map((entry) => entry.path));
  const removed = paths.filter((file) => !kept.has(file));
  if (removed.length > 0) {
    gitSync(repo, ["update-index", "--force-remove", "-z", "--stdin"], { input: removed.map((p) => `${p}\0`).join("") });
  }
  if (entries.length > 0) {
    const info = entries.map((entry) => `${entry.mode} ${entry.object}\t${entry.path}\0`).join("");
    gitSync(repo, ["update-index", "-z", "--index-info"], { input: info });
  }
}
