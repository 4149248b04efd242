/**
 * The two revisions of a comparison: what the user named, resolved to commits before
 * anything is checked out, so a typo fails at once and never leaves a worktree behind.
 */
import { defaultBaseRef, resolveCommit, shortCommit } from "../git/repo.ts";

/** One side of a comparison. */
export interface Revision {
  /** As the user named it, or how xloop chose it ("HEAD~1", "merge-base of HEAD and main"). */
  readonly ref: string;
  /** The full commit hash. */
  readonly commit: string;
  /** The abbreviated hash git prints, for headings. */
  readonly short: string;
}

/** The base and head of a comparison. */
export interface RevisionPair {
  readonly base: Revision;
  readonly head: Revision;
}

async function revision(repo: string, ref: string, label = ref): Promise<Revision> {
  // resolveCommit refuses refs starting with "-" and anything that is not a commit.
  const commit = await resolveCommit(repo, ref);
  return { ref: label, commit, short: await shortCommit(repo, commit) };
}

/**
 * Resolves base and head. Without a base, the merge-base with main/master (or HEAD~1)
 * is used; without a head, HEAD.
 */
export async function resolveRevisions(repo: string, base?: string, head?: string): Promise<RevisionPair> {
  const headRevision = await revision(repo, head ?? "HEAD");
  if (base !== undefined) return { base: await revision(repo, base), head: headRevision };
  const chosen = await defaultBaseRef(repo);
  return { base: await revision(repo, chosen.commit, chosen.description), head: headRevision };
}

/** "base 1a2b3c4" / "head 5d6e7f8 (HEAD)": how messages name a side. */
export function sideName(side: "base" | "head", revision: Revision): string {
  return `${side} ${revision.short}`;
}
