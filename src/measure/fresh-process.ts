/**
 * Fresh processes of the measuring runtime running a small program of xloop's: the
 * structure domain's import probe and the memory domain's heap probe. The program is
 * written to a temporary folder and run by the runtime this process runs on (node,
 * deno, or bun: this binary itself acting as Bun), so nothing of xloop is loaded in it
 * besides that program. It reads its task from a JSON file and writes its result to the
 * task's `out` file: stdout and stderr stay the measured code's.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { kitCacheRoot } from "../runtime/kit.ts";
import { runtimeName } from "../runtime/runtime.ts";
import type { Failure, TargetSpec } from "./protocol.ts";

/** Set by scripts/build.ts: "compiled" in the single binary, "node" in dist/cli.js. */
declare const XLOOP_BUILD: string | undefined;

/**
 * The module hooks a Node program registers before importing the user's TypeScript:
 * xloop's own, as measuring workers use them (transpiled once and cached, so a .ts module
 * costs what its JavaScript does); none on Bun and Deno, which load TypeScript themselves.
 */
export function typeScriptHooksForNode(): { url: string; data: unknown } | undefined {
  if (runtimeName() !== "node" || typeof XLOOP_BUILD === "undefined" || XLOOP_BUILD !== "node") return undefined;
  const hooks = new URL("./typescript-hooks.js", import.meta.url);
  if (!existsSync(fileURLToPath(hooks))) return undefined;
  return { url: hooks.href, data: { cacheDir: join(kitCacheRoot(), "typescript") } };
}

/** A failed run: the file it was working on when it stopped, and why, in one line. */
export interface FreshProcessFailure {
  ok: false;
  file: string;
  error: string;
}

/** A folder holding one program, made once per use and removed by dispose(). */
/**
 * The part of a fresh-process probe program that loads the target and its cases (as
 * \`fn\` and \`cases\`), failing through the program's own \`fail(file, error)\`: shared
 * by the memory and async probes, which differ only in what they measure.
 */
export const loadTargetAndCases = `let fn, cases;
try {
  const mod = await import(pathToFileURL(task.target.file).href);
  fn = mod[task.target.exportName];
  if (typeof fn !== "function") fail(task.target.file, "export " + task.target.exportName + " is not a function");
} catch (error) { fail(task.target.file, error); }
try {
  if (task.cases.kind === "none") cases = [[]];
  else if (task.cases.kind === "args") cases = [JSON.parse(task.cases.json)];
  else {
    const mod = await import(pathToFileURL(task.cases.file).href);
    let value = mod[task.cases.exportName];
    if (typeof value === "function") value = await value();
    cases = value;
  }
} catch (error) { fail(task.cases.file ?? task.target.file, error); }`;

export class FreshProcessKit {
  readonly dir = mkdtempSync(join(tmpdir(), "xloop-fresh-"));
  readonly script = join(this.dir, "program.mjs");
  private count = 0;

  constructor(source: string) {
    writeFileSync(this.script, source);
    // Imported first by the programs, so the module loader starts outside any timing.
    writeFileSync(join(this.dir, "empty.mjs"), "export {};\n");
  }

  /**
   * Runs one fresh process on `task` (written as JSON, with `out` added) and resolves to
   * what the program wrote, or to a failure naming `file` when the process ended
   * without a result (a crash, process.exit, the timeout). `v8Flags` go to Node and
   * Deno (Bun has no V8).
   */
  run<R extends { ok: boolean }>(task: object, file: string, timeoutMs: number, v8Flags: string[] = []): Promise<R | FreshProcessFailure> {
    const n = this.count++;
    const out = join(this.dir, `result-${n}.json`);
    const taskFile = join(this.dir, `task-${n}.json`);
    writeFileSync(taskFile, JSON.stringify({ ...task, out }));
    const { command, args, env } = runtimeCommand(this.script, taskFile, v8Flags);
    return new Promise((resolve) => {
      const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], env, timeout: timeoutMs });
      let stderr = "";
      child.stderr!.on("data", (chunk) => {
        stderr = (stderr + chunk).slice(-2000);
      });
      child.on("error", (error) => resolve({ ok: false, file, error: `could not start ${command}: ${error.message}` }));
      child.on("close", (code, signal) => {
        try {
          resolve(JSON.parse(readFileSync(out, "utf8")) as R);
        } catch {
          const last = stderr.trim().split("\n").filter(Boolean).pop();
          const why = signal === "SIGTERM" ? `did not finish within ${timeoutMs} ms (--timeout)` : `exited with code ${code ?? signal}`;
          resolve({ ok: false, file, error: `its process ${why}${last ? `: ${last}` : ""}` });
        } finally {
          rmSync(out, { force: true });
          rmSync(taskFile, { force: true });
        }
      });
    });
  }

  /** Removes the folder. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * How to start the runtime this process runs on with a script: node and deno by their
 * executable, Bun by its executable too, which in the standalone binary is xloop itself
 * told by BUN_BE_BUN to behave as the plain Bun it carries.
 */
function runtimeCommand(script: string, taskFile: string, v8Flags: string[]): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const env = { ...process.env };
  const runtime = runtimeName();
  if (runtime === "deno") {
    const flags = v8Flags.length ? [`--v8-flags=${v8Flags.join(",")}`] : [];
    return { command: process.execPath, args: ["run", "--allow-all", "--quiet", ...flags, script, taskFile], env };
  }
  // Harmless for a plain bun; the standalone binary needs it to act as one.
  if (runtime === "bun") env.BUN_BE_BUN = "1";
  return { command: process.execPath, args: runtime === "node" ? ["--no-warnings", ...v8Flags, script, taskFile] : [script, taskFile], env };
}

/** One target's outcome over its fresh processes: the summary of its reports, or why it failed. */
export type FreshProcessTargetResult<S> = { target: string; ok: true; stats: S } | { target: string; ok: false; error: Failure };

/**
 * Runs each target in `processes` fresh processes of `kit`, targets interleaved process
 * by process (so a slow spell of the host falls on all of them), then summarises each
 * target's reports. A target's first failure ends its runs; the kit is disposed at the end.
 */
export async function runInFreshProcesses<R extends { ok: true }, S>(
  kit: FreshProcessKit,
  targets: readonly TargetSpec[],
  processes: number,
  runOne: (target: TargetSpec) => Promise<R | FreshProcessFailure>,
  summarize: (reports: R[]) => S,
  failureOf: (target: TargetSpec, failed: FreshProcessFailure) => Failure,
  options: { signal?: AbortSignal; progress?: (done: number, label: string) => void } = {},
): Promise<FreshProcessTargetResult<S>[]> {
  const reports: R[][] = targets.map(() => []);
  const failures: (Failure | undefined)[] = targets.map(() => undefined);
  try {
    for (let p = 0; p < processes; p++) {
      for (const [i, target] of targets.entries()) {
        if (options.signal?.aborted || failures[i]) continue;
        options.progress?.((p * targets.length + i) / (processes * targets.length), `process ${p + 1}/${processes}: ${target.label}`);
        const result = await runOne(target);
        if (result.ok) reports[i].push(result);
        else failures[i] = failureOf(target, result);
      }
    }
  } finally {
    kit.dispose();
  }
  return targets.map((target, i) => {
    if (failures[i]) return { target: target.label, ok: false, error: failures[i]! };
    if (reports[i].length === 0) return { target: target.label, ok: false, error: { kind: "crash", message: `${target.label}: interrupted before a process finished` } };
    return { target: target.label, ok: true, stats: summarize(reports[i]) };
  });
}
