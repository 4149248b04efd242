import { UserError } from "../errors.ts";
import { resolveCommit, shortCommit } from "./repo.ts";
import { git, gitOrNull } from "./run.ts";

/** One commit of the history, with the files it touched. */
export interface CommitSummary {
  readonly hash: string;
  readonly short: string;
  readonly subject: string;
  /** Author date, ISO 8601 with the author's offset. */
  readonly date: string;
  /** Paths (from the repository root) the commit changed; empty for merges. */
  readonly files: string[];
}

// Record and field separators that cannot appear in a hash, a date or (in practice) a subject.
const RECORD = "\x1e";
const FIELD = "\x1f";

/**
 * The last `n` commits reachable from HEAD, newest first, each with its changed files
 * (`git log -n <n> --name-only`): what the loop reads to learn from past experiments.
 */
export async function recentCommits(repo: string, n: number): Promise<CommitSummary[]> {
  if (!Number.isInteger(n) || n < 1) throw new UserError(`the number of commits must be a whole number above 0, not ${n}`);
  const format = `${RECORD}%H${FIELD}%h${FIELD}%aI${FIELD}%s`;
  const output = await git(repo, ["log", `-n${n}`, "-z", "--name-only", "--no-renames", `--format=${format}`, "HEAD"]);
  return output
    .split(RECORD)
    .filter((record) => record.length > 0)
    .map((record) => {
      // With -z the header ends at the first NUL; the file names follow, NUL-separated.
      const end = record.indexOf("\0");
      const header = end === -1 ? record : record.slice(0, end);
      const [hash = "", short = "", date = "", subject = ""] = header.split(FIELD);
      const files = end === -1 ? [] : record.slice(end + 1).split("\0").map((file) => file.replace(/^\n/, "")).filter(Boolean);
      return { hash, short, subject, date, files };
    });
}

/**
 * What the last commit changed, as `git diff --stat` prints it (HEAD~1 against HEAD,
 * uncommitted edits left out), or a one-line note when HEAD is the first commit.
 */
export async function lastChangeStat(repo: string): Promise<string> {
  const head = await resolveCommit(repo, "HEAD");
  const parent = await gitOrNull(repo, ["rev-parse", "--verify", "--quiet", "HEAD~1^{commit}"]);
  if (parent === null) return `HEAD (${await shortCommit(repo, head)}) is the first commit: there is no earlier change to show`;
  const stat = await git(repo, ["diff", "--stat", "--no-ext-diff", parent.trim(), head]);
  return stat.trim() === "" ? "the last commit changed no files" : stat.trimEnd();
}
