/**
 * An exclusive lock file next to the file it guards, so two xloop processes (two agents,
 * or an agent and a person) never write the record at the same time. Created with
 * O_EXCL, which is atomic on every local file system; a lock left by a crashed process
 * is recognised by its dead pid or its age and broken.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import { UserError } from "../errors.ts";
import { isAlive } from "../fs/process-alive.ts";

/** How long to wait for the lock, and when a held lock counts as abandoned. */
export interface LockOptions {
  /** Give up after this long (ms). Default 10 s: a holder writes one line, in microseconds. */
  timeoutMs?: number;
  /** A lock older than this (ms) is abandoned even if its pid looks alive (pids get reused). Default 30 s. */
  staleMs?: number;
}

interface Holder {
  pid: number;
  host: string;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps without a busy loop; synchronous because the whole append is, so it fits any caller. */
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function readHolder(lockPath: string): Holder | undefined {
  try {
    const [pid, host] = fs.readFileSync(lockPath, "utf8").split("\n");
    const number = Number(pid);
    return Number.isInteger(number) && number > 0 ? { pid: number, host: host ?? "" } : undefined;
  } catch {
    return undefined;
  }
}

/** Why the lock at `lockPath` is abandoned, or undefined when its holder may still be working. */
function staleReason(lockPath: string, staleMs: number): string | undefined {
  let ageMs: number;
  try {
    ageMs = Date.now() - fs.statSync(lockPath).mtimeMs;
  } catch {
    return undefined; // released meanwhile: just retry
  }
  if (ageMs > staleMs) return `older than ${staleMs} ms`;
  const holder = readHolder(lockPath);
  // An empty lock is one whose creator has not written its pid yet: only age can judge it.
  if (holder && holder.host === os.hostname() && !isAlive(holder.pid)) return `pid ${holder.pid} is gone`;
  return undefined;
}

/**
 * Breaks an abandoned lock. Renaming is atomic, so of two processes breaking the same
 * lock only one succeeds; if what it renamed turns out to be a fresh lock taken in the
 * meantime, it is put back (link fails if yet another process took the lock).
 */
function breakLock(lockPath: string, staleMs: number): void {
  const judged = readHolder(lockPath);
  const aside = `${lockPath}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch {
    return;
  }
  const taken = readHolder(aside);
  const stillStale = judged?.pid === taken?.pid && staleReason(aside, staleMs) !== undefined;
  if (!stillStale) {
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      // Someone holds the lock now; the one we moved has to go.
    }
  }
  fs.rmSync(aside, { force: true });
}

/**
 * Runs `action` while holding `<file>.lock`, releasing it afterwards even if `action`
 * throws. Waits with exponential backoff and jitter; a UserError after `timeoutMs`
 * names the lock file and its holder so a person can remove a lock nothing holds.
 */
export function withFileLock<T>(file: string, action: () => T, options: LockOptions = {}): T {
  const lockPath = `${file}.lock`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let delay = 1;
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = fs.openSync(lockPath, "wx");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") {
        throw new UserError(`cannot lock ${file}: its directory does not exist; run \`xloop init\` first`);
      }
      if (code !== "EEXIST") throw error;
      if (staleReason(lockPath, staleMs) !== undefined) {
        breakLock(lockPath, staleMs);
        continue;
      }
      if (Date.now() >= deadline) {
        const holder = readHolder(lockPath);
        throw new UserError(
          `cannot lock ${file}: ${lockPath} has been held${holder ? ` by pid ${holder.pid}` : ""} for over ${timeoutMs} ms; if no xloop is running, delete ${lockPath}`,
        );
      }
      sleep(delay * (0.5 + Math.random()));
      delay = Math.min(delay * 2, 50);
    }
  }
  let written = false;
  try {
    try {
      fs.writeSync(fd, `${process.pid}\n${os.hostname()}\n`);
      written = true;
    } finally {
      fs.closeSync(fd);
    }
    return action();
  } finally {
    // A holder slower than staleMs may have had its lock broken and retaken: never remove another's.
    const holder = readHolder(lockPath);
    if (!written || holder?.pid === process.pid) fs.rmSync(lockPath, { force: true });
  }
}
