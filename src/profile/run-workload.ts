/**
 * Runs the user's workload under the runtimes' own profilers and collects what they
 * wrote: Node through a preload that NODE_OPTIONS carries to every process and worker,
 * Bun through BUN_OPTIONS (`--cpu-prof`, main threads only), Deno through `--cpu-prof`
 * inserted after `deno run|test|bench` (Deno reads no options from the environment).
 * A second run counts calls (NODE_V8_COVERAGE) and samples allocations, so the timed
 * run carries neither: allocation sampling slowed the fixture workload by 11%
 * (bench/profile-overhead.ts).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, copyFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { UserError } from "../errors.ts";
import { nodePreloadSource, preloadEnv } from "./node-preload.ts";

/** The runtimes whose profiles are collected, each in its own folder (Bun's lines need merging). */
export type ProfiledRuntime = "node" | "bun" | "deno";

/** What to run and how to profile it. */
export interface WorkloadRequest {
  argv: string[];
  cwd: string;
  /** The run's folder: profiles go in subfolders by runtime. */
  dir: string;
  /** Sampling interval in microseconds. */
  intervalUs: number;
  /** Node: sample allocations (in the second run). */
  heap: boolean;
  /** Node: count calls under NODE_V8_COVERAGE (in the second run). */
  countCalls: boolean;
  signal: AbortSignal;
  /** Where the workload's own output goes (xloop's stderr: stdout is for data). */
  echo: (chunk: string) => void;
  env?: Record<string, string | undefined>;
}

/** How one run of the workload ended. */
export interface RunOutcome {
  exitCode: number | null;
  signal: string | null;
  wallMs: number;
  /** The last lines of its output, for a failure report. */
  outputTail: string;
}

/** The files a profiled workload left, and how it ran. */
export interface WorkloadProfiles {
  profiled: RunOutcome;
  counted: RunOutcome | null;
  cpuProfiles: { file: string; runtime: ProfiledRuntime }[];
  heapProfiles: { file: string; runtime: ProfiledRuntime }[];
  coverageFiles: string[];
}

const tailBytes = 4000;

function quoteOption(value: string): string {
  return `"${value.replace(/(["\\])/g, "\\$1")}"`;
}

/** Runs argv to its end, echoing its output; a command that cannot start is a user error naming it. */
export function runOnce(argv: string[], cwd: string, env: NodeJS.ProcessEnv, signal: AbortSignal, echo: (chunk: string, stream: "stdout" | "stderr") => void): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let tail = "";
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ["inherit", "pipe", "pipe"] });
    const take = (stream: "stdout" | "stderr") => (chunk: Buffer): void => {
      const text = chunk.toString("utf8");
      echo(text, stream);
      tail = (tail + text).slice(-tailBytes);
    };
    child.stdout?.on("data", take("stdout"));
    child.stderr?.on("data", take("stderr"));
    const abort = (): void => {
      child.kill("SIGINT");
    };
    signal.addEventListener("abort", abort, { once: true });
    child.on("error", (error: NodeJS.ErrnoException) => {
      signal.removeEventListener("abort", abort);
      if (error.code === "ENOENT") reject(new UserError(`profile: command not found: ${argv[0]}; give the command to profile after --, e.g. xloop profile -- node scripts/build.js`));
      else reject(new UserError(`profile: could not run ${argv[0]}: ${error.message}`));
    });
    child.on("close", (code, sig) => {
      signal.removeEventListener("abort", abort);
      resolve({ exitCode: code, signal: sig, wallMs: performance.now() - started, outputTail: tail });
    });
  });
}

function isDeno(command: string): boolean {
  return basename(command).toLowerCase().startsWith("deno");
}

/** argv with Deno's profiler flags inserted after its subcommand, when argv runs deno. */
export function denoProfiledArgv(argv: readonly string[], dir: string, intervalUs: number): string[] {
  if (!isDeno(argv[0] ?? "") || !["run", "test", "bench", "serve"].includes(argv[1] ?? "")) return [...argv];
  return [argv[0], argv[1], "--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${intervalUs}`, ...argv.slice(2)];
}

/**
 * The environment that makes Node processes profile themselves into `dir`/node and Bun
 * processes into `bunDir` (BUN_OPTIONS splits on spaces and takes quotes literally, so
 * that folder's path must have no whitespace).
 */
export function profilingEnv(base: NodeJS.ProcessEnv, dir: string, bunDir: string, preloadFile: string, intervalUs: number): NodeJS.ProcessEnv {
  const env = { ...base };
  delete env.NODE_V8_COVERAGE;
  env.NODE_OPTIONS = `${base.NODE_OPTIONS ? `${base.NODE_OPTIONS} ` : ""}--require ${quoteOption(preloadFile)}`;
  env[preloadEnv.dir] = join(dir, "node");
  env[preloadEnv.intervalUs] = String(intervalUs);
  env[preloadEnv.heap] = "0";
  env[preloadEnv.cpu] = "1";
  env.BUN_OPTIONS = `${base.BUN_OPTIONS ? `${base.BUN_OPTIONS} ` : ""}--cpu-prof --cpu-prof-dir=${bunDir} --cpu-prof-interval=${intervalUs}`;
  return env;
}

function moveFiles(from: string, to: string): void {
  for (const name of existsSync(from) ? readdirSync(from) : []) {
    try {
      renameSync(join(from, name), join(to, name));
    } catch {
      copyFileSync(join(from, name), join(to, name));
    }
  }
  rmSync(from, { recursive: true, force: true });
}

function filesIn(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

/** Runs the workload profiled (and once more counting calls, when asked and it succeeded) and lists the profiles. */
export async function profileWorkload(request: WorkloadRequest): Promise<WorkloadProfiles> {
  const runtimes: ProfiledRuntime[] = ["node", "bun", "deno"];
  for (const r of runtimes) mkdirSync(join(request.dir, r), { recursive: true });
  const preloadFile = join(request.dir, "xloop-node-profiler.cjs");
  writeFileSync(preloadFile, nodePreloadSource);
  const base = { ...process.env, ...request.env };
  const bunDir = /\s/.test(request.dir) ? mkdtempSync(join(tmpdir(), "xloop-bun-profile-")) : join(request.dir, "bun");
  const env = profilingEnv(base, request.dir, bunDir, preloadFile, request.intervalUs);
  const argv = denoProfiledArgv(request.argv, join(request.dir, "deno"), request.intervalUs);
  let profiled: RunOutcome;
  try {
    profiled = await runOnce(argv, request.cwd, env, request.signal, request.echo);
  } finally {
    if (bunDir !== join(request.dir, "bun")) moveFiles(bunDir, join(request.dir, "bun"));
  }
  const cpuProfiles = runtimes.flatMap((runtime) => filesIn(join(request.dir, runtime), ".cpuprofile").map((file) => ({ file, runtime })));
  let counted: RunOutcome | null = null;
  const coverageDir = join(request.dir, "coverage");
  const usedNode = cpuProfiles.some((p) => p.runtime === "node");
  if ((request.countCalls || request.heap) && usedNode && profiled.exitCode === 0 && !request.signal.aborted) {
    const secondEnv: NodeJS.ProcessEnv = { ...base };
    if (request.countCalls) secondEnv.NODE_V8_COVERAGE = coverageDir;
    if (request.heap) {
      secondEnv.NODE_OPTIONS = env.NODE_OPTIONS;
      secondEnv[preloadEnv.dir] = join(request.dir, "node");
      secondEnv[preloadEnv.heap] = "1";
      secondEnv[preloadEnv.cpu] = "0";
    }
    counted = await runOnce(request.argv, request.cwd, secondEnv, request.signal, () => {});
  }
  const heapProfiles = runtimes.flatMap((runtime) => filesIn(join(request.dir, runtime), ".heapprofile").map((file) => ({ file, runtime })));
  return { profiled, counted, cpuProfiles, heapProfiles, coverageFiles: filesIn(coverageDir, ".json") };
}
