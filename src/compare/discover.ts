/**
 * Suite discovery from the commits themselves (git's file lists), so finding that a
 * project has no suite costs two git calls and no checkout.
 */
import { git, splitNul } from "../git/run.ts";
import { globToRegExp } from "./glob.ts";
import type { RevisionPair } from "./refs.ts";

/** A bench file of the head revision. */
export interface BenchFile {
  /** Repo-relative, with "/". */
  readonly path: string;
  /** False when the base revision lacks it: head's copy then stands in for both. */
  readonly inBase: boolean;
}

/** Every file path of `commit`. */
async function filesOf(repo: string, commit: string): Promise<string[]> {
  return splitNul(await git(repo, ["ls-tree", "-r", "-z", "--name-only", "--full-tree", commit]));
}

/** The head revision's files matching `glob`, sorted, each marked with whether base has it. */
export async function findBenchFiles(repo: string, pair: RevisionPair, glob: string): Promise<BenchFile[]> {
  const pattern = globToRegExp(glob);
  const headFiles = (await filesOf(repo, pair.head.commit)).filter((f) => pattern.test(f)).sort();
  if (headFiles.length === 0) return [];
  const baseFiles = new Set(await filesOf(repo, pair.base.commit));
  return headFiles.map((f) => ({ path: f, inBase: baseFiles.has(f) }));
}
