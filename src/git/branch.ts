import { UserError } from "../errors.ts";
import { resolveCommit, shortCommit } from "./repo.ts";
import { git, GitCommandError, gitOrNull } from "./run.ts";

/** True when a local branch of that exact name exists. */
export async function branchExists(repo: string, name: string): Promise<boolean> {
  const tip = await gitOrNull(repo, ["rev-parse", "--verify", "--quiet", `refs/heads/${name}`]);
  return tip !== null && tip.trim() !== "";
}

/**
 * Creates branch `name` pointing at `commit` without switching to it. Never moves an
 * existing branch: an existing name is refused, and so is a name git would not accept.
 */
export async function createBranchAt(repo: string, name: string, commit: string): Promise<void> {
  await assertValidBranchName(repo, name);
  const target = await resolveCommit(repo, commit);
  if (await branchExists(repo, name)) {
    throw new UserError(
      `branch "${name}" already exists (at ${await shortCommit(repo, `refs/heads/${name}`)}): choose another name; xloop never moves a branch`,
    );
  }
  // The empty old value makes git refuse if the branch appeared since the check above.
  await git(repo, ["update-ref", "--create-reflog", "-m", `xloop: branch at ${target}`, `refs/heads/${name}`, target, ""]);
}

async function assertValidBranchName(repo: string, name: string): Promise<void> {
  const problem = `"${name}" is not a valid branch name: use letters, digits, "-", "_", "." and "/" (not starting with "-")`;
  if (name.trim() === "" || name.startsWith("-")) throw new UserError(problem);
  try {
    await git(repo, ["check-ref-format", "--branch", name]);
  } catch (error) {
    if (error instanceof GitCommandError) throw new UserError(problem);
    throw error;
  }
}

/** Local branch names starting with `prefix` (all when empty), sorted. */
export async function listBranches(repo: string, prefix = ""): Promise<string[]> {
  const output = await git(repo, ["for-each-ref", "--format=%(refname)", "refs/heads/"]);
  return output
    .split("\n")
    .filter(Boolean)
    .map((ref) => ref.slice("refs/heads/".length))
    .filter((name) => name.startsWith(prefix))
    .sort();
}
