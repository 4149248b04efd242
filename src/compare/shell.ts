/**
 * Untimed helper commands (npm install, --prepare): run to completion with their
 * output kept only as a tail, for the error message when they fail.
 */
import { spawn } from "node:child_process";
import { registerCleanup } from "../process/cleanup.ts";

/** How a helper command ended. */
export interface ShellOutcome {
  /** Exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: string | null;
  /** The last lines of stdout and stderr, interleaved as they came. */
  tail: string;
}

/** How much output a failure message shows at most. */
export const TAIL_BYTES = 4096;

/** Keeps the last TAIL_BYTES of a stream of chunks. */
export function tailKeeper(): { push(chunk: Buffer): void; text(): string } {
  let kept = Buffer.alloc(0);
  return {
    push(chunk) {
      kept = Buffer.concat([kept, chunk]);
      if (kept.length > 2 * TAIL_BYTES) kept = kept.subarray(kept.length - TAIL_BYTES);
    },
    text: () => lastLines(kept.subarray(Math.max(0, kept.length - TAIL_BYTES)).toString("utf8")),
  };
}

/** The last `count` non-empty lines of `text`, for a failure message. */
export function lastLines(text: string, count = 15): string {
  const lines = text.replace(/\r/g, "").split("\n");
  while (lines.length > 0 && lines.at(-1)!.trim() === "") lines.pop();
  return lines.slice(-count).join("\n");
}

/**
 * Runs `command` through /bin/sh in `cwd`. An abort (or an interrupt of xloop, through
 * the cleanup registry) terminates it, so nothing keeps running in a worktree that is
 * being removed.
 */
export function runShell(command: string, cwd: string, signal?: AbortSignal, args: readonly string[] = []): Promise<ShellOutcome> {
  return new Promise((resolve, reject) => {
    const tail = tailKeeper();
    // Its own process group, so that an abort ends the whole command (killGroup).
    const child = spawn("/bin/sh", ["-c", command, "xloop", ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) killGroup(child.pid, () => child.kill("SIGTERM"));
    };
    const cleanup = registerCleanup(kill);
    signal?.addEventListener("abort", kill);
    child.stdout.on("data", tail.push);
    child.stderr.on("data", tail.push);
    child.on("error", (error) => {
      cleanup.cancel();
      reject(error);
    });
    child.on("close", (code, killedBy) => {
      cleanup.cancel();
      signal?.removeEventListener("abort", kill);
      resolve({ exitCode: code, signal: killedBy, tail: tail.text() });
    });
  });
}

/**
 * Terminates a command started with `detached: true` together with everything it
 * started: the shell may fork the command instead of replacing itself by it, and a
 * killed shell alone would leave the command running in a worktree being removed.
 */
export function killGroup(pid: number | undefined, fallback: () => void): void {
  try {
    if (pid === undefined) throw new Error("no pid");
    process.kill(-pid, "SIGTERM");
  } catch {
    fallback();
  }
}

/** "exited with code 2" / "was killed by SIGKILL". */
export function describeExit(outcome: { exitCode: number | null; signal: string | null }): string {
  return outcome.exitCode !== null ? `exited with code ${outcome.exitCode}` : `was killed by ${outcome.signal ?? "a signal"}`;
}
