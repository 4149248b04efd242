import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.ts";
import { firstLine, git, GitCommandError, gitOrNull, splitNul } from "./run.ts";

/**
 * The top-level folder of the git checkout that contains `dir`, with no other
 * precondition: for commands that only need to know where the project is.
 */
export async function findRepoRoot(dir: string): Promise<string> {
  const absolute = path.resolve(dir);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
    throw new UserError(`${absolute} is not a folder: run xloop from your project's checkout`);
  }
  try {
    return (await git(absolute, ["rev-parse", "--show-toplevel"])).trim();
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    if (/not a git repository/i.test(error.stderr)) {
      throw new UserError(
        `${absolute} is not inside a git repository: run xloop from your project's checkout (or git init and commit first)`,
      );
    }
    if (/must be run in a work tree/i.test(error.stderr)) {
      throw new UserError(`${absolute} is a git folder without a working tree: run xloop from a checkout`);
    }
    // Anything else (e.g. "dubious ownership") is git's own explanation: pass it on.
    throw new UserError(`git cannot open ${absolute}: ${firstLine(error.stderr)}`);
  }
}

/**
 * Opens the checkout containing `dir` for a command that reads or changes it: returns
 * the top-level folder after checking it has a first commit and no merge, rebase,
 * cherry-pick, revert, `git am` or unresolved conflict in progress (xloop's commits and
 * restores would tangle with it). A detached HEAD is allowed here; see assertOnBranch.
 */
export async function openRepo(dir: string): Promise<string> {
  const repo = await findRepoRoot(dir);
  if ((await revParseCommit(repo, "HEAD")) === null) {
    throw new UserError(`${repo} has no commits yet: commit your code first, then run xloop`);
  }
  await assertNoOperationInProgress(repo);
  return repo;
}

/** The git-dir markers of interrupted operations, each with the way out to suggest. */
const IN_PROGRESS: readonly { marker: string; what: string; fix: string }[] = [
  { marker: "rebase-apply/applying", what: "git am", fix: "git am --continue or git am --abort" },
  { marker: "rebase-merge", what: "a rebase", fix: "git rebase --continue or git rebase --abort" },
  { marker: "rebase-apply", what: "a rebase", fix: "git rebase --continue or git rebase --abort" },
  { marker: "MERGE_HEAD", what: "a merge", fix: "git commit or git merge --abort" },
  { marker: "CHERRY_PICK_HEAD", what: "a cherry-pick", fix: "git cherry-pick --continue or git cherry-pick --abort" },
  { marker: "REVERT_HEAD", what: "a revert", fix: "git revert --continue or git revert --abort" },
];

async function assertNoOperationInProgress(repo: string): Promise<void> {
  // --git-path finds the markers of this worktree even in a linked worktree.
  const args = ["rev-parse", ...IN_PROGRESS.flatMap(({ marker }) => ["--git-path", marker])];
  const markerPaths = (await git(repo, args)).split("\n").filter(Boolean);
  for (const [i, operation] of IN_PROGRESS.entries()) {
    const markerPath = markerPaths[i];
    if (markerPath !== undefined && existsSync(path.resolve(repo, markerPath))) {
      throw new UserError(`${operation.what} is in progress in ${repo}: finish it (${operation.fix}) before running xloop`);
    }
  }
  const unmerged = splitNul(await git(repo, ["ls-files", "--unmerged", "-z"]));
  if (unmerged.length > 0) {
    const file = unmerged[0]!.split("\t")[1];
    throw new UserError(`${repo} has unresolved conflicts (${file}): resolve and commit them before running xloop`);
  }
}

/**
 * The current branch's name; refuses a detached HEAD, for the commands that commit
 * (a commit on a detached HEAD is easily lost).
 */
export async function assertOnBranch(repo: string): Promise<string> {
  const branch = await currentBranch(repo);
  if (branch === null) {
    const short = await shortCommit(repo, "HEAD");
    throw new UserError(
      `HEAD is detached in ${repo} (at ${short}): switch to a branch first (git switch <branch>, or git switch -c <new-branch>)`,
    );
  }
  return branch;
}

/** The full hash of HEAD. */
export async function headCommit(repo: string): Promise<string> {
  return resolveCommit(repo, "HEAD");
}

/** The abbreviated hash git would print for `ref` (validated like resolveCommit). */
export async function shortCommit(repo: string, ref: string): Promise<string> {
  const commit = await resolveCommit(repo, ref);
  return (await git(repo, ["rev-parse", "--short", commit])).trim();
}

/** The current branch's short name, or null when HEAD is detached. */
export async function currentBranch(repo: string): Promise<string | null> {
  const name = await gitOrNull(repo, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
  return name === null ? null : name.trim();
}

/** True when any tracked file differs from HEAD or an untracked, not-ignored file exists. */
export async function isDirty(repo: string): Promise<boolean> {
  const status = await git(repo, ["status", "--porcelain", "-z", "--untracked-files=normal"]);
  return status.length > 0;
}

/**
 * The full hash of the commit `ref` names (branch, tag, hash, HEAD~2...). Refuses refs
 * starting with "-" (git would read them as options) and anything that is not a commit.
 */
export async function resolveCommit(repo: string, ref: string): Promise<string> {
  if (ref.trim() === "" || ref.startsWith("-")) {
    throw new UserError(`"${ref}" is not a revision: give a branch, tag or commit (e.g. HEAD~1), not an option`);
  }
  const commit = await revParseCommit(repo, ref);
  if (commit === null) {
    throw new UserError(`"${ref}" is not a commit in ${repo}: give a branch, tag or commit hash (see git log --oneline)`);
  }
  return commit;
}

/** The commit hash `ref` resolves to, or null. Callers have already refused leading dashes. */
async function revParseCommit(repo: string, ref: string): Promise<string | null> {
  try {
    return (await git(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim();
  } catch (error) {
    // --quiet makes "not a commit" a silent exit 1; odd input (e.g. a newline) may exit 128.
    if (error instanceof GitCommandError) return null;
    throw error;
  }
}

/** The best common ancestor of two revisions, or null when their histories are unrelated. */
export async function mergeBase(repo: string, a: string, b: string): Promise<string | null> {
  const [commitA, commitB] = await Promise.all([resolveCommit(repo, a), resolveCommit(repo, b)]);
  const base = await gitOrNull(repo, ["merge-base", commitA, commitB]);
  return base === null ? null : base.trim();
}

/** A base revision chosen for the user, with how it was chosen (for the output). */
export interface DefaultBase {
  readonly commit: string;
  /** e.g. "merge-base of HEAD and main", or "HEAD~1". */
  readonly description: string;
}

/** Mainline branches tried in order; the first that exists is the one used. */
const MAINLINES = ["main", "master", "origin/main", "origin/master"];

/**
 * The revision to compare HEAD against when the user names none: where HEAD's branch
 * left the mainline (merge-base with main or master), else HEAD~1 (also when HEAD is on
 * the mainline itself, where the merge-base would be HEAD). Refuses a single-commit repo.
 */
export async function defaultBaseRef(repo: string): Promise<DefaultBase> {
  const head = await headCommit(repo);
  for (const name of MAINLINES) {
    const full = name.startsWith("origin/") ? `refs/remotes/${name}` : `refs/heads/${name}`;
    const tip = await revParseCommit(repo, full);
    if (tip === null) continue;
    const base = await mergeBase(repo, head, tip);
    if (base !== null && base !== head) return { commit: base, description: `merge-base of HEAD and ${name}` };
    break;
  }
  const parent = await revParseCommit(repo, "HEAD~1");
  if (parent === null) {
    const short = await shortCommit(repo, "HEAD");
    throw new UserError(
      `HEAD (${short}) is the only commit in ${repo}: there is no earlier revision to compare with; name one explicitly`,
    );
  }
  return { commit: parent, description: "HEAD~1" };
}
