import { lstatSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { UserError } from "../errors.ts";
import { registerCleanup } from "../process/cleanup.ts";
import { readIndexEntries, writeIndexEntriesSync } from "./index-entries.ts";
import { insideRepo, removeEmptyParents, unique } from "./paths.ts";
import { firstLine, git, GitCommandError, gitBytes, splitNul } from "./run.ts";

/** How a file differs from HEAD. */
export type ChangeKind = "modified" | "added" | "deleted" | "renamed";

/** One file of the change in the working tree; paths are relative to the repository root. */
export interface ChangedFile {
  readonly path: string;
  readonly kind: ChangeKind;
  /** For a rename, the path the file had in HEAD. */
  readonly from?: string;
}

/**
 * The working tree's change relative to HEAD, staged or not: tracked files that differ,
 * and untracked files that are not ignored (as added). Renames are reported when git
 * detects them (a staged new file matching a deleted one); otherwise a move shows as a
 * deletion plus an addition.
 */
export async function changedFiles(repo: string): Promise<ChangedFile[]> {
  const [diff, untracked] = await Promise.all([
    git(repo, ["diff", "HEAD", "--name-status", "-z", "-M", "--no-ext-diff", "--ignore-submodules=none"]),
    git(repo, ["ls-files", "--others", "--exclude-standard", "-z"]),
  ]);
  const byPath = new Map<string, ChangedFile>();
  const fields = splitNul(diff);
  for (let i = 0; i < fields.length; ) {
    const status = fields[i++]!;
    if (status.startsWith("R") || status.startsWith("C")) {
      const from = fields[i++]!;
      const to = fields[i++]!;
      byPath.set(to, status.startsWith("R") ? { path: to, kind: "renamed", from } : { path: to, kind: "added" });
    } else {
      const file = fields[i++]!;
      byPath.set(file, { path: file, kind: status === "A" ? "added" : status === "D" ? "deleted" : "modified" });
    }
  }
  for (const file of splitNul(untracked)) {
    // A trailing slash marks a nested repository, which is not a file of this one.
    if (file.endsWith("/")) continue;
    // Unstaged with `git rm --cached` yet still on disk: a change of content, not a deletion.
    byPath.set(file, { path: file, kind: byPath.get(file)?.kind === "deleted" ? "modified" : "added" });
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Every path a change touches, rename sources included: the list to save, restore or commit. */
export function changedPaths(changes: readonly ChangedFile[]): string[] {
  return unique(changes.flatMap((change) => (change.from === undefined ? [change.path] : [change.from, change.path])));
}

/**
 * Writes a patch of exactly `files` as they are on disk against HEAD (modified, deleted
 * and new untracked files alike) that `git apply` applies to a clean checkout of HEAD.
 * Built in a throwaway index so the user's staging area is never touched; written to a
 * temporary file and renamed so a reader never sees half a patch. Returns the patch's
 * size in bytes (0 when none of the files differ from HEAD).
 */
export async function savePatch(repo: string, files: readonly string[], patchPath: string): Promise<number> {
  const paths = unique(files);
  paths.forEach((file) => insideRepo(repo, file));
  const scratch = await mkdtemp(path.join(os.tmpdir(), "xloop-index-"));
  // An interrupt exits before the finally below runs: the registry removes the scratch index then.
  const scratchCleanup = registerCleanup(() => rmSync(scratch, { recursive: true, force: true }));
  try {
    const env = { GIT_INDEX_FILE: path.join(scratch, "index") };
    await gitBytes(repo, ["read-tree", "HEAD"], { env });
    if (paths.length > 0) {
      // --add takes new files, --remove drops missing ones; no ignore rules apply here.
      const input = paths.map((file) => `${file}\0`).join("");
      await gitBytes(repo, ["update-index", "--add", "--remove", "-z", "--stdin"], { env, input });
    }
    // Fixed prefixes and formats so the user's diff config cannot produce a patch git apply rejects.
    const patch = await gitBytes(
      repo,
      [
        "diff", "--cached", "HEAD", "--binary", "--no-renames", "--no-ext-diff", "--no-textconv",
        "--submodule=short", "--src-prefix=a/", "--dst-prefix=b/",
      ],
      { env },
    );
    const target = path.resolve(repo, patchPath);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    try {
      await writeFile(temporary, patch);
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return patch.length;
  } finally {
    await scratchCleanup.run();
  }
}

/**
 * Puts exactly `files` back to HEAD: tracked ones get HEAD's content and are unstaged,
 * files HEAD does not have are unstaged and deleted (with folders left empty by that).
 * No other file, staged or not, is touched.
 */
export async function restoreFiles(repo: string, files: readonly string[]): Promise<void> {
  const paths = unique(files);
  if (paths.length === 0) return;
  paths.forEach((file) => insideRepo(repo, file));
  const tracked = await filesInHead(repo, paths);
  const inHead = paths.filter((file) => tracked.has(file));
  const notInHead = paths.filter((file) => !tracked.has(file));
  if (inHead.length > 0) await git(repo, ["checkout", "HEAD", "--", ...inHead]);
  if (notInHead.length > 0) {
    await git(repo, ["rm", "--cached", "--quiet", "--ignore-unmatch", "--", ...notInHead]);
    for (const file of notInHead) {
      const absolute = insideRepo(repo, file);
      await rm(absolute, { force: true });
      removeEmptyParents(absolute, repo);
    }
  }
}

/** Which of `paths` are files in HEAD's tree. */
async function filesInHead(repo: string, paths: readonly string[]): Promise<Set<string>> {
  const listed = splitNul(await git(repo, ["ls-tree", "-r", "-z", "--name-only", "HEAD", "--", ...paths]));
  const wanted = new Set(paths);
  return new Set(listed.filter((file) => wanted.has(file)));
}

/**
 * Commits exactly `files` as they are on disk (new, modified and deleted ones) with
 * `message` and returns the new commit's hash. Other files the user staged stay staged
 * and out of the commit (`git commit --only`). If git refuses (a hook, no identity,
 * nothing changed), the index entries of `files` are put back as they were.
 */
export async function commitFiles(repo: string, files: readonly string[], message: string): Promise<string> {
  if (message.trim() === "") throw new UserError("the commit message is empty: describe the change with -m");
  const paths = unique(files);
  if (paths.length === 0) throw new UserError("nothing to commit: the change has no files");
  paths.forEach((file) => insideRepo(repo, file));
  const before = await readIndexEntries(repo, paths);
  const tracked = await filesInHead(repo, paths);
  const present = paths.filter((file) => existsOnDisk(insideRepo(repo, file)));
  const absent = paths.filter((file) => !present.includes(file));
  // A file neither on disk nor in HEAD has nothing to commit, and `commit -- path` would reject it.
  const toCommit = paths.filter((file) => present.includes(file) || tracked.has(file));
  try {
    if (present.length > 0) await git(repo, ["add", "--", ...present]);
    if (absent.length > 0) await git(repo, ["rm", "--cached", "--quiet", "--ignore-unmatch", "--", ...absent]);
    if (toCommit.length === 0) throw new UserError("nothing to commit: none of the change's files exist or were tracked");
    await git(repo, ["commit", "--only", "--quiet", "-m", message, "--", ...toCommit]);
  } catch (error) {
    writeIndexEntriesSync(repo, paths, before);
    throw commitError(error, paths);
  }
  return (await git(repo, ["rev-parse", "HEAD"])).trim();
}

function existsOnDisk(absolute: string): boolean {
  try {
    lstatSync(absolute);
    return true;
  } catch {
    return false;
  }
}

/** Turns git's refusal to commit into one line the user can act on. */
function commitError(error: unknown, paths: readonly string[]): unknown {
  if (!(error instanceof GitCommandError)) return error;
  const output = `${error.stderr}\n${error.stdout}`;
  if (/nothing (added )?to commit|no changes added to commit/i.test(output)) {
    return new UserError(`nothing to commit: ${paths.join(", ")} do not differ from HEAD`);
  }
  if (/tell me who you are|empty ident|unable to auto-detect email/i.test(output)) {
    return new UserError('git does not know who you are: set git config user.name "..." and user.email "...", then run again');
  }
  if (error.args[0] === "commit") {
    const hint = /hook/i.test(output) ? " (a commit hook refused it)" : "";
    return new UserError(`git commit failed${hint}: ${firstLine(error.stderr) || firstLine(error.stdout)}`);
  }
  return new UserError(`git ${error.args[0]} failed for ${paths.join(", ")}: ${firstLine(error.stderr)}`);
}

/**
 * Takes back a commit xloop just made — only while it is still HEAD: HEAD moves to its
 * parent and the commit's files are unstaged, so the working tree holds the change as
 * it was before the commit, and whatever else the user had staged stays staged.
 */
export async function uncommit(repo: string, commit: string, files: readonly string[]): Promise<void> {
  const head = (await git(repo, ["rev-parse", "HEAD"])).trim();
  if (head !== commit) throw new UserError(`HEAD moved since xloop committed ${commit.slice(0, 7)} (now ${head.slice(0, 7)}): not undoing it; revert it yourself if needed`);
  await git(repo, ["reset", "--soft", "HEAD~1"]);
  await git(repo, ["reset", "--quiet", "HEAD", "--", ...unique(files)]);
}
