import { spawn, spawnSync } from "node:child_process";
import { GitError, simpleGit } from "simple-git";

/**
 * Options every git command gets: parsers here read -z output and must never see
 * colour codes, whatever the user's config says, and paths are always literal (a
 * file named `a*b` must not match `ab`).
 */
const GLOBAL_ARGS = ["-c", "color.ui=false", "-c", "core.quotepath=false", "--literal-pathspecs"];

/** A git command that exited with a non-zero code; `exitCode` lets callers tell "no" from "broken". */
export class GitCommandError extends GitError {
  readonly exitCode: number;
  readonly stderr: string;
  readonly stdout: string;
  readonly args: readonly string[];
  constructor(args: readonly string[], exitCode: number, stderr: string, stdout: string) {
    super(undefined, `git ${args.join(" ")} failed (exit ${exitCode}): ${firstLine(stderr) || firstLine(stdout)}`);
    this.name = "GitCommandError";
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
    this.stdout = stdout;
  }
}

/** The first non-empty line of git's output, without git's "fatal: "/"error: " prefix, for one-line user messages. */
export function firstLine(text: string): string {
  const line = text.split("\n").map((l) => l.trim()).find((l) => l.length > 0) ?? "";
  return line.replace(/^(fatal|error): /, "");
}

/**
 * Runs `git <args>` in `repo` through simple-git and returns stdout.
 * Rejects with GitCommandError on any non-zero exit: simple-git on its own treats an
 * exit code without stderr (e.g. `rev-parse --quiet`, "nothing to commit") as success.
 */
export async function git(repo: string, args: readonly string[]): Promise<string> {
  const client = simpleGit({
    baseDir: repo,
    errors(error, result) {
      if (result.exitCode === 0) return error;
      return new GitCommandError(
        args,
        result.exitCode,
        Buffer.concat(result.stdErr).toString("utf8"),
        Buffer.concat(result.stdOut).toString("utf8"),
      );
    },
  });
  return client.raw([...GLOBAL_ARGS, ...args]);
}

/** Like `git`, but resolves to null instead of rejecting when git exits with code 1 (its usual "no"). */
export async function gitOrNull(repo: string, args: readonly string[]): Promise<string | null> {
  try {
    return await git(repo, args);
  } catch (error) {
    if (error instanceof GitCommandError && error.exitCode === 1) return null;
    throw error;
  }
}

/** Extra settings for the commands simple-git cannot run: byte output, stdin, a private index. */
export interface RawGitOptions {
  /** Added to the environment, e.g. GIT_INDEX_FILE for a temporary index. */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to git's stdin. */
  readonly input?: string | Buffer;
}

/**
 * Runs git and returns stdout as bytes. Used where text decoding would corrupt the
 * output (patches of non-UTF-8 files) or a private environment is needed; simple-git
 * decodes everything as UTF-8 and guards GIT_* variables.
 */
export function gitBytes(repo: string, args: readonly string[], options: RawGitOptions = {}): Promise<Buffer> {
  const fullArgs = [...GLOBAL_ARGS, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn("git", fullArgs, { cwd: repo, env: gitEnv(options.env), stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const stdout = Buffer.concat(out);
      if (code === 0) resolve(stdout);
      else reject(new GitCommandError(args, code ?? -1, Buffer.concat(err).toString("utf8"), stdout.toString("utf8")));
    });
    // A command that reads no stdin (read-tree) may exit before the write lands; Node
    // then raises EPIPE on the pipe, which unheard crashes the process. Git's exit code
    // already says whether the command worked.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

/**
 * Runs git synchronously. Only for cleanups that must finish inside a signal handler
 * or an `exit` listener, where nothing asynchronous gets to run.
 */
export function gitSync(repo: string, args: readonly string[], options: RawGitOptions = {}): string {
  return gitSyncBytes(repo, args, options).toString("utf8");
}

/** gitSync with stdout as bytes: a file's content compared byte for byte. */
export function gitSyncBytes(repo: string, args: readonly string[], options: RawGitOptions = {}): Buffer {
  const result = spawnSync("git", [...GLOBAL_ARGS, ...args], {
    cwd: repo,
    env: gitEnv(options.env),
    input: options.input ?? "",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new GitCommandError(args, result.status ?? -1, result.stderr.toString("utf8"), result.stdout.toString("utf8"));
  return result.stdout;
}

/**
 * The environment for directly spawned git: inherited GIT_* variables are dropped, as
 * simple-git does, so an outer GIT_DIR or GIT_INDEX_FILE (from a hook) never redirects
 * xloop away from the repository it opened.
 */
function gitEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toUpperCase().startsWith("GIT_")) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Splits git's NUL-separated (-z) output into its fields, dropping the trailing empty one. */
export function splitNul(output: string): string[] {
  const fields = output.split("\0");
  if (fields.at(-1) === "") fields.pop();
  return fields;
}
