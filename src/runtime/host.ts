/**
 * Hosting a measuring command on the runtime chosen for it. When that is not the
 * runtime xloop is running on, the whole command runs again in a child process of the
 * chosen runtime (its kit's cli.js, the same arguments), so everything it measures,
 * captures and records comes from the engine the user's code ships on; this process
 * only passes signals on and returns the child's exit code.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { realpathSync } from "node:fs";
import { basename } from "node:path";
import { constants } from "node:os";
import { UserError } from "../errors.ts";
import { chooseRuntime, runtimeNames, type RuntimeChoice } from "./choose.ts";
import { runtimeKitEntry } from "./kit.ts";
import { findOnPath, findProjectMarkers, isExecutable } from "./locate.ts";
import { isCompiledBinary, runtimeInfo, runtimeName, type RuntimeName } from "./runtime.ts";

/** Set in a hosted child to the runtime its parent chose, so it runs the command itself. */
const hostedVariable = "XLOOP_HOSTED";

/** Set in a child hosted by the standalone binary: its Bun's version and its path, "1.4.5:/path/to/xloop". */
const hostBinaryVariable = "XLOOP_HOST_BINARY";

/** The standalone binary that hosts this process, read once from its mark (null when none does). */
let hostBinary: { path: string; bunVersion: string } | null = null;

/** The standalone binary hosting this process and its own Bun, which `--runtime bun` measures with; null when not hosted by one. */
export function hostingBinary(): { path: string; bunVersion: string } | null {
  return hostBinary;
}

/** The oldest Node xloop's bundle runs on. */
const minimumNodeMajor = 20;

/** The runtime options of a measuring command as cac parsed them. */
export interface RuntimeOptions {
  runtime?: unknown;
  runtimePath?: unknown;
}

/** Where the command will run: here, or in a child of another runtime. */
export interface HostPlan {
  choice: RuntimeChoice;
  /** The executable to run the kit with; null to run in this process. */
  executable: string | null;
  /** Notes for stderr (a fallback, a default that is not the project's runtime). */
  notes: string[];
}

function parseRuntimeName(value: unknown, what: string): RuntimeName | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && (runtimeNames as readonly string[]).includes(value)) return value as RuntimeName;
  throw new UserError(`${what}: must be one of ${runtimeNames.join(", ")} (got ${JSON.stringify(value)})`);
}

/** The runtime an executable is, by its name (node, bun, deno, node22, bun-canary …), or undefined. */
function runtimeOfExecutable(path: string): RuntimeName | undefined {
  const name = basename(path).toLowerCase();
  return runtimeNames.find((r) => name.startsWith(r));
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * Decides where a measuring command runs: --runtime, else the config's, else the
 * project's own runtime (see chooseRuntime), executed by --runtime-path or the one
 * on PATH; the standalone binary is itself a Bun, so bun needs nothing installed.
 */
export function planHosting(options: RuntimeOptions, cwd: string, configured?: RuntimeName): HostPlan {
  const flag = parseRuntimeName(options.runtime, "--runtime");
  let runtimePath: string | undefined;
  if (options.runtimePath !== undefined) {
    if (typeof options.runtimePath !== "string" || !isExecutable(options.runtimePath)) {
      throw new UserError(`--runtime-path: ${JSON.stringify(options.runtimePath)} is not an executable file; give the path of a node, bun or deno executable`);
    }
    runtimePath = options.runtimePath;
  }
  const pathRuntime = runtimePath ? runtimeOfExecutable(runtimePath) : undefined;
  if (runtimePath && !flag && !pathRuntime) {
    throw new UserError(`--runtime-path: cannot tell which runtime ${runtimePath} is from its name; add --runtime node, bun or deno`);
  }
  const current = runtimeName();
  const choice = chooseRuntime({
    flag: flag ?? pathRuntime,
    config: configured,
    markers: findProjectMarkers(cwd),
    nodeAvailable: findOnPath("node") !== null,
  });
  if (runtimePath && !flag && pathRuntime) choice.because = "--runtime-path";
  const notes = choice.note ? [choice.note] : [];
  if (runtimePath) return { choice, executable: sameFile(runtimePath, process.execPath) ? null : runtimePath, notes };
  if (choice.name === current) return { choice, executable: null, notes };
  const found = findOnPath(choice.name);
  if (found) return { choice, executable: found, notes };
  if (choice.explicit) {
    throw new UserError(`--runtime ${choice.name} (from ${choice.because}): no ${choice.name} executable on PATH; install it, give its path with --runtime-path, or choose another runtime`);
  }
  notes.push(`${choice.because} says this project runs on ${choice.name}, but no ${choice.name} is on PATH: measuring on ${current} instead; install ${choice.name}, or pass --runtime-path or --runtime`);
  return { choice: { ...choice, name: current }, executable: null, notes };
}

function kitArguments(runtime: RuntimeName, entry: string, argv: string[]): string[] {
  // Deno asks before each file, variable or subprocess; a measuring run needs them all.
  if (runtime === "deno") return ["run", "--allow-all", "--quiet", entry, ...argv];
  return [entry, ...argv];
}

let child: ChildProcess | null = null;

/**
 * Passes a signal this process received on to a hosted child, once per arrival (a
 * second Ctrl-C is the child's "quit at once"). True when there was a child to take it.
 */
export function forwardToHostedChild(signal: NodeJS.Signals): boolean {
  if (!child || child.exitCode !== null || child.signalCode !== null) return false;
  child.kill(signal);
  return true;
}

/** Runs the command in a child of the planned runtime and resolves to its exit code. */
async function runHosted(plan: HostPlan, argv: string[], beforeSpawn: () => void): Promise<number> {
  const entry = await runtimeKitEntry();
  beforeSpawn();
  const runtime = plan.choice.name;
  return new Promise((resolve, reject) => {
    // A process group of its own: a terminal's Ctrl-C reaches this process alone, which
    // passes it on once, so the child cleans up once rather than quitting at once.
    const started = spawn(plan.executable!, kitArguments(runtime, entry, argv), {
      stdio: "inherit",
      detached: true,
      env: { ...process.env, [hostedVariable]: runtime, ...(isCompiledBinary() ? { [hostBinaryVariable]: `${process.versions.bun}:${process.execPath}` } : {}) },
    });
    child = started;
    started.on("error", (error) => {
      child = null;
      reject(new UserError(`--runtime ${runtime}: could not start ${plan.executable} (${error.message})`));
    });
    started.on("exit", (code, signal) => {
      child = null;
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 1) : 1));
    });
  });
}

/**
 * In a hosted child: ends this process as a SIGTERM would (cleaning up) once the parent
 * is gone. A parent killed with SIGKILL cannot pass anything on, and a child left
 * running would go on changing the user's repository behind the user's back.
 */
function watchParent(): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, "SIGTERM");
  }, 250);
  timer.unref();
}

/**
 * In a hosted child: checks that this process is the runtime its parent chose and
 * clears the mark, so commands the child runs (a guard calling xloop) choose afresh.
 * Returns true in a hosted child.
 */
function acceptHosting(): boolean {
  const expected = process.env[hostedVariable];
  if (expected === undefined) return false;
  delete process.env[hostedVariable];
  const host = process.env[hostBinaryVariable];
  delete process.env[hostBinaryVariable];
  const colon = host?.indexOf(":") ?? -1;
  if (host && colon > 0) hostBinary = { bunVersion: host.slice(0, colon), path: host.slice(colon + 1) };
  watchParent();
  const here = runtimeInfo();
  if (here.name !== expected) throw new UserError(`--runtime ${expected}: the executable given runs ${here.name} ${here.version}, not ${expected}`);
  const major = Number.parseInt(here.version, 10);
  if (here.name === "node" && major < minimumNodeMajor) {
    throw new UserError(`--runtime node: node ${here.version} is too old; xloop needs Node >= ${minimumNodeMajor} (give a newer one with --runtime-path)`);
  }
  return true;
}

/**
 * Runs a measuring command on its runtime: null when this process is that runtime
 * (the caller goes on and runs the command), else the exit code of the child that ran
 * it. `configured` is the project's configured runtime, read only when needed; notes
 * go to stderr through `note`; `beforeSpawn` hands this process's own interrupt
 * handling over to the child (which cleans up what it did).
 */
export async function hostOnChosenRuntime(
  options: RuntimeOptions,
  cwd: string,
  configured: () => RuntimeName | undefined,
  argv: string[],
  note: (line: string) => void,
  beforeSpawn: () => void,
): Promise<number | null> {
  if (acceptHosting()) return null;
  const plan = planHosting(options, cwd, options.runtime === undefined ? configured() : undefined);
  for (const line of plan.notes) note(line);
  if (plan.executable === null) return null;
  return runHosted(plan, argv, beforeSpawn);
}
