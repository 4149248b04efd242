/**
 * One timed run of a shell command with the child's own resource usage.
 *
 * Node has no per-child resource usage (process.resourceUsage is the caller's own),
 * so each runtime gets what it can measure exactly:
 *  - Bun (the xloop binary): Bun.spawn's resourceUsage(), the kernel's wait4 figures
 *    for the child and everything it waited for: user, system and peak RSS, exact.
 *    (The peak includes the child's pre-exec image, so it never reads below a few
 *    tens of MiB even for a tiny command.)
 *  - Node and Deno: a tiny /bin/sh wrapper runs the command as its child and then
 *    prints the shell builtin `times`, the kernel's user and system time of its
 *    reaped children (10 ms ticks); peak RSS is sampled every 10 ms from
 *    /proc/<pid>/status VmHWM over the process tree (Linux only), a lower bound.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, fstatSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { registerCleanup } from "../process/cleanup.ts";
import { runtimeName } from "../runtime/runtime.ts";
import { killGroup, lastLines, TAIL_BYTES } from "./shell.ts";

/** What one run measured. */
export interface ProcessRun {
  exitCode: number | null;
  signal: string | null;
  /** From spawn to exit, ms (shell start-up included). */
  wallMs: number;
  /** CPU time of the command and its descendants, ms (null when unavailable). */
  userMs: number | null;
  systemMs: number | null;
  /** Largest resident set of the command or one of its descendants, bytes (null when unavailable). */
  maxRssBytes: number | null;
  /** The last lines of the run's output (stdout and stderr together). */
  tail: string;
}

/** How user/system time and peak memory are obtained in this runtime. */
export interface UsageSource {
  cpu: "wait4" | "shell-times";
  memory: "wait4" | "sampled" | "none";
}

/** The sources this runtime uses (see the module comment). */
export function usageSource(): UsageSource {
  if (runtimeName() === "bun") return { cpu: "wait4", memory: "wait4" };
  return { cpu: "shell-times", memory: process.platform === "linux" ? "sampled" : "none" };
}

type BunSubprocess = {
  pid: number;
  exited: Promise<number>;
  exitCode: number | null;
  signalCode: string | null;
  kill(signal?: string): void;
  resourceUsage(): { cpuTime: { user: bigint | number; system: bigint | number }; maxRSS: number } | undefined;
};
type BunSpawn = (cmd: string[], options: Record<string, unknown>) => BunSubprocess;

/** The last TAIL_BYTES of a file, as lines. */
function fileTail(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return lastLines(buffer.toString("utf8"));
  } catch {
    return "";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A scratch folder for one run's output (written by the child, read only on failure). */
/** A running command, as both runtimes' child processes describe it. */
interface Child {
  readonly exitCode: number | null;
  readonly signalCode: unknown;
  readonly pid?: number;
  kill(signal?: NodeJS.Signals): unknown;
}

/**
 * Ends the command's whole process group on abort, and on an interrupt — which exits
 * xloop before any finally block here runs — also removes its scratch folder. Call
 * release() once the command has exited.
 */
function supervise(child: Child, files: { dispose(): void }, signal?: AbortSignal): { release(): void } {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) killGroup(child.pid, () => child.kill("SIGTERM"));
  };
  const cleanup = registerCleanup(() => {
    kill();
    files.dispose();
  });
  signal?.addEventListener("abort", kill);
  return {
    release() {
      cleanup.cancel();
      signal?.removeEventListener("abort", kill);
    },
  };
}

function scratch(): { dir: string; output: string; times: string; dispose(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "xloop-run-"));
  return { dir, output: path.join(dir, "output"), times: path.join(dir, "times"), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

async function runWithBun(command: string, cwd: string, signal?: AbortSignal): Promise<ProcessRun> {
  const spawnBun = (globalThis as unknown as { Bun: { spawn: BunSpawn } }).Bun.spawn;
  const files = scratch();
  // Output goes to a file, not through this process: the command's printing costs the
  // same on both sides and never competes with xloop's event loop.
  const fd = openSync(files.output, "w");
  try {
    const started = performance.now();
    // Its own process group, so that an abort ends the whole command (killGroup).
    const child = spawnBun(["/bin/sh", "-c", command], { cwd, stdin: "ignore", stdout: fd, stderr: fd, detached: true });
    const supervision = supervise(child, files, signal);
    await child.exited;
    const wallMs = performance.now() - started;
    supervision.release();
    const usage = child.resourceUsage();
    const failed = child.exitCode !== 0;
    return {
      exitCode: child.exitCode,
      signal: child.signalCode,
      wallMs,
      // Bun reports CPU time in microseconds and maxRSS in bytes.
      userMs: usage ? Number(usage.cpuTime.user) / 1000 : null,
      systemMs: usage ? Number(usage.cpuTime.system) / 1000 : null,
      maxRssBytes: usage ? usage.maxRSS : null,
      tail: failed ? fileTail(files.output) : "",
    };
  } finally {
    closeSync(fd);
    files.dispose();
  }
}

/** The largest VmHWM (peak resident set) among `pid` and its descendants, bytes. */
function treePeakRss(pid: number): number {
  let peak = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    try {
      const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
      for (const child of readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/)) if (child) stack.push(Number(child));
    } catch {
      // The process ended between listing and reading: nothing left to sample.
    }
  }
  return peak;
}

/** "0m1.810000s 0m0.010000s" (the children's line of `times`) in ms. */
function parseTimes(text: string): { userMs: number; systemMs: number } | null {
  const lines = text.trim().split("\n");
  const match = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(lines[1] ?? "");
  if (!match) return null;
  const ms = (m: string, s: string) => (Number(m) * 60 + Number(s)) * 1000;
  return { userMs: ms(match[1], match[2]), systemMs: ms(match[3], match[4]) };
}

// $1 the command, $2 the file for `times`, $3 the output file. The command runs in a
// child shell so that its exit status is kept and `times` sees it reaped.
const WRAPPER = '/bin/sh -c "$1" >"$3" 2>&1; status=$?; times >"$2"; exit $status';

function runWithShellTimes(command: string, cwd: string, signal?: AbortSignal): Promise<ProcessRun> {
  const files = scratch();
  const sampleMemory = usageSource().memory === "sampled";
  return new Promise<ProcessRun>((resolve, reject) => {
    const started = performance.now();
    const child = spawn("/bin/sh", ["-c", WRAPPER, "xloop-run", command, files.times, files.output], { cwd, stdio: "ignore", detached: true });
    let wallMs = 0;
    let peak = 0;
    const sampler = sampleMemory ? setInterval(() => child.pid !== undefined && (peak = Math.max(peak, treePeakRss(child.pid))), 10) : undefined;
    const supervision = supervise(child, files, signal);
    const finish = () => {
      clearInterval(sampler);
      supervision.release();
    };
    child.on("exit", () => {
      wallMs = performance.now() - started;
    });
    child.on("error", (error) => {
      finish();
      files.dispose();
      reject(error);
    });
    child.on("close", (code, killedBy) => {
      finish();
      let times: ReturnType<typeof parseTimes> = null;
      try {
        times = parseTimes(readFileSync(files.times, "utf8"));
      } catch {
        times = null;
      }
      const run: ProcessRun = {
        exitCode: code,
        signal: killedBy,
        wallMs,
        userMs: times?.userMs ?? null,
        systemMs: times?.systemMs ?? null,
        maxRssBytes: sampleMemory && peak > 0 ? peak : null,
        tail: code !== 0 ? fileTail(files.output) : "",
      };
      files.dispose();
      resolve(run);
    });
  });
}

/** Runs `command` through /bin/sh in `cwd` once, timed, with its resource usage. */
export function timeCommand(command: string, cwd: string, signal?: AbortSignal): Promise<ProcessRun> {
  return runtimeName() === "bun" ? runWithBun(command, cwd, signal) : runWithShellTimes(command, cwd, signal);
}
