import { existsSync, lstatSync, mkdtempSync, realpathSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type CleanupHandle, registerCleanup } from "../process/cleanup.ts";
import { resolveCommit } from "./repo.ts";
import { git, gitSync, splitNul } from "./run.ts";
import { isAlive } from "../fs/process-alive.ts";

/** A temporary checkout of one commit, outside the user's working tree. */
export interface Worktree {
  /** The repository it belongs to. */
  readonly repo: string;
  /** Its folder (under the system's temporary folder). */
  readonly path: string;
  /** The full hash checked out (detached). */
  readonly commit: string;
  /** The dependency folders linked in from the user's checkout, relative to the worktree. */
  readonly linkedDependencies: readonly string[];
}

const handles = new WeakMap<Worktree, CleanupHandle>();

/**
 * Checks `ref` out, detached, into a new folder under the system's temporary folder,
 * with the user's installed dependencies visible there (their `node_modules` folders
 * linked in). Its removal is registered with the cleanup registry at once, so an
 * interrupt removes it too; call removeWorktree (or use withWorktree) when done.
 */
export async function createWorktree(repo: string, ref: string): Promise<Worktree> {
  const commit = await resolveCommit(repo, ref);
  // Worktrees of killed xloops (SIGKILL runs no cleanup) go before a new one is made.
  removeOrphanWorktrees(repo);
  // Real path: git records worktrees by real path, and macOS's tmpdir is a symlink.
  const folder = mkdtempSync(path.join(realpathSync(os.tmpdir()), `xloop-${commit.slice(0, 7)}-`));
  const links: string[] = [];
  const handle = registerCleanup(() => removeNow(repo, folder, links));
  try {
    // Locked with this process's pid: a later xloop knows a worktree whose owner was killed
    // (SIGKILL runs no cleanup) from one another xloop is still using, and removes only the first.
    await git(repo, ["worktree", "add", "--detach", "--lock", "--reason", ownerReason(process.pid), folder, commit]);
    links.push(...(await linkDependencies(repo, folder, commit)));
  } catch (error) {
    await handle.run();
    throw error;
  }
  const worktree: Worktree = { repo, path: folder, commit, linkedDependencies: links };
  handles.set(worktree, handle);
  return worktree;
}

/**
 * Removes the worktree's folder and git's record of it; safe to call twice, and a
 * no-op once an interrupt has already removed it.
 */
export async function removeWorktree(worktree: Worktree): Promise<void> {
  await handles.get(worktree)?.run();
}

/**
 * Runs `fn` with a temporary worktree of `ref` and removes the worktree afterwards,
 * whether `fn` succeeds or throws (an error of `fn` wins over one of the removal).
 */
export async function withWorktree<T>(repo: string, ref: string, fn: (worktree: Worktree) => Promise<T> | T): Promise<T> {
  const worktree = await createWorktree(repo, ref);
  let result: T;
  try {
    result = await fn(worktree);
  } catch (error) {
    await removeWorktree(worktree).catch(() => {});
    throw error;
  }
  await removeWorktree(worktree);
  return result;
}

/**
 * Links `node_modules` of the user's checkout into the worktree: the top-level one and
 * those beside each package.json the commit has (workspaces), where the user has them
 * installed and the commit does not track its own.
 */
async function linkDependencies(repo: string, folder: string, commit: string): Promise<string[]> {
  const files = splitNul(await git(repo, ["ls-tree", "-r", "-z", "--name-only", commit]));
  const packageDirs = new Set([""]);
  for (const file of files) {
    if (path.posix.basename(file) === "package.json" && !file.split("/").includes("node_modules")) {
      packageDirs.add(path.posix.dirname(file) === "." ? "" : path.posix.dirname(file));
    }
  }
  const links: string[] = [];
  for (const dir of packageDirs) {
    const relative = dir === "" ? "node_modules" : `${dir}/node_modules`;
    const source = path.join(repo, relative);
    const target = path.join(folder, relative);
    if (!existsSync(source) || !existsSync(path.dirname(target)) || lstatSync(target, { throwIfNoEntry: false })) continue;
    // "junction" lets Windows link folders without admin rights; other systems ignore it.
    symlinkSync(source, target, "junction");
    links.push(relative);
  }
  return links;
}

/** The lock reason naming the xloop process that owns a worktree. */
function ownerReason(pid: number): string {
  return `xloop pid ${pid} on ${os.hostname()}`;
}

/** A worktree xloop made whose process is gone: left by a SIGKILL, a crash or a power cut. */
export interface OrphanWorktree {
  readonly path: string;
  readonly pid: number;
}

/**
 * The worktrees of `repo` that an xloop process on this machine made and that process
 * is no longer running (git records the owner's pid as the worktree's lock reason).
 * Worktrees of other tools, of other machines and of running xloops are never listed.
 */
export function orphanWorktrees(repo: string): OrphanWorktree[] {
  const orphans: OrphanWorktree[] = [];
  let folder: string | null = null;
  for (const line of gitSync(repo, ["worktree", "list", "--porcelain"]).split("\n")) {
    if (line.startsWith("worktree ")) folder = line.slice("worktree ".length);
    const match = /^locked xloop pid (\d+) on (.*)$/.exec(line);
    if (folder && match && match[2] === os.hostname() && !isAlive(Number(match[1]))) orphans.push({ path: folder, pid: Number(match[1]) });
  }
  return orphans;
}

/**
 * Removes a worktree xloop made, by its folder, when no handle to it is left (its
 * process was killed): the dependency links first, then git's record and the folder.
 */
export function removeWorktreeFolder(repo: string, folder: string): void {
  removeNow(repo, folder, ["node_modules"]);
}

/** Removes every orphaned xloop worktree of `repo`; returns their folders. */
export function removeOrphanWorktrees(repo: string): string[] {
  const removed: string[] = [];
  for (const orphan of orphanWorktrees(repo)) {
    removeWorktreeFolder(repo, orphan.path);
    removed.push(orphan.path);
  }
  return removed;
}

/**
 * Synchronous so it can run in a signal handler. The links go first so nothing that
 * deletes the worktree's files can ever follow them into the user's node_modules.
 */
function removeNow(repo: string, folder: string, links: readonly string[]): void {
  for (const relative of links) {
    const link = path.join(folder, relative);
    if (lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(link);
  }
  let removedByGit = true;
  try {
    // Twice --force: also removes a worktree someone locked.
    gitSync(repo, ["worktree", "remove", "--force", "--force", folder]);
  } catch {
    removedByGit = false;
  }
  if (existsSync(folder)) rmSync(folder, { recursive: true, force: true });
  // Only needed when git could not remove it itself: prune drops its now folder-less record.
  if (!removedByGit) gitSync(repo, ["worktree", "prune"]);
}
