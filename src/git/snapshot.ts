import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { type IndexEntry, readIndexEntries, writeIndexEntriesSync } from "./index-entries.ts";
import { insideRepo, removeEmptyParents, unique } from "./paths.ts";

/** What one file was on disk when the snapshot was taken. */
export type SavedFile =
  | { readonly path: string; readonly state: "file"; readonly bytes: Buffer; readonly mode: number }
  | { readonly path: string; readonly state: "symlink"; readonly target: string }
  | { readonly path: string; readonly state: "absent"; readonly existingAncestor: string };

/** The exact state of some files, on disk and in the index, to put back after an interruption. */
export interface Snapshot {
  readonly repo: string;
  readonly files: readonly SavedFile[];
  readonly index: readonly IndexEntry[];
}

/**
 * Saves the bytes, mode or absence of each of `files` (repo-relative) and their staged
 * entries, so restoreSnapshot can put the tree back exactly as it was. Holds the
 * contents in memory: meant for the handful of files one change touches.
 */
export async function snapshotFiles(repo: string, files: readonly string[]): Promise<Snapshot> {
  const paths = unique(files);
  const saved = paths.map((file) => saveFile(repo, file));
  return { repo, files: saved, index: await readIndexEntries(repo, paths) };
}

function saveFile(repo: string, file: string): SavedFile {
  const absolute = insideRepo(repo, file);
  let stat;
  try {
    stat = lstatSync(absolute);
  } catch {
    return { path: file, state: "absent", existingAncestor: nearestExisting(absolute) };
  }
  if (stat.isSymbolicLink()) return { path: file, state: "symlink", target: readlinkSync(absolute) };
  if (!stat.isFile()) throw new Error(`cannot snapshot ${file}: it is not a file`);
  return { path: file, state: "file", bytes: readFileSync(absolute), mode: stat.mode & 0o7777 };
}

/** The closest folder above `absolute` that exists: restoring an absence removes folders created since. */
function nearestExisting(absolute: string): string {
  let dir = path.dirname(absolute);
  while (!existsSync(dir)) dir = path.dirname(dir);
  return dir;
}

/**
 * Puts every file of the snapshot back: same bytes and mode, deleted if it did not
 * exist (with the folders created since), and the same staged entries. Synchronous so
 * it can run from a signal handler; each file is replaced by a rename, never left half written.
 */
export function restoreSnapshot(snapshot: Snapshot): void {
  for (const saved of snapshot.files) {
    const absolute = insideRepo(snapshot.repo, saved.path);
    if (saved.state === "absent") {
      rmSync(absolute, { force: true, recursive: true });
      removeEmptyParents(absolute, saved.existingAncestor);
      continue;
    }
    mkdirSync(path.dirname(absolute), { recursive: true });
    const temporary = `${absolute}.xloop-${process.pid}.tmp`;
    if (saved.state === "symlink") symlinkSync(saved.target, temporary);
    else {
      writeFileSync(temporary, saved.bytes);
      chmodSync(temporary, saved.mode);
    }
    // A folder now standing where the file was cannot be renamed over.
    if (lstatSync(absolute, { throwIfNoEntry: false })?.isDirectory()) rmSync(absolute, { recursive: true });
    renameSync(temporary, absolute);
  }
  writeIndexEntriesSync(
    snapshot.repo,
    snapshot.files.map((saved) => saved.path),
    snapshot.index,
  );
}
