/**
 * The program a fresh process runs to time imports: written to a temporary file and
 * run by the measured runtime itself (node, deno, or bun: this binary as Bun), so
 * nothing of xloop is loaded in it besides these lines. It reads its task from a JSON
 * file, imports an empty module first (the module loader and, on Node, the TypeScript
 * hooks start there, outside the timings), then imports the listed files one at a time,
 * each timed, and writes the times (ms) to the task's `out` file: stdout and stderr
 * stay the measured code's.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runtimeName } from "../runtime/runtime.ts";

/** What one probe process is asked to do. */
export interface ProbeTask {
  /** Files to import in this order, each timed. */
  files: string[];
  /** Node only: a module-hooks file to register first (xloop's TypeScript hooks), and its data. */
  hooks?: { url: string; data: unknown };
  /** Where to write the result. */
  out: string;
}

/** What a probe process reports: ms per import, in the task's order, or the error that stopped it. */
export type ProbeResult = { ok: true; ms: number[] } | { ok: false; file: string; error: string };

const probeSource = `
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import process from "node:process";
const task = JSON.parse(readFileSync(process.argv[process.argv.length - 1], "utf8"));
if (task.hooks) (await import("node:module")).register(task.hooks.url, { data: task.hooks.data });
await import(new URL("./empty.mjs", import.meta.url).href);
const ms = [];
let current = "";
try {
  for (const file of task.files) {
    current = file;
    const url = pathToFileURL(file).href;
    const t0 = performance.now();
    await import(url);
    ms.push(performance.now() - t0);
  }
  writeFileSync(task.out, JSON.stringify({ ok: true, ms }));
} catch (error) {
  writeFileSync(task.out, JSON.stringify({ ok: false, file: current, error: String(error && error.message || error).split("\\n")[0] }));
}
process.exit(0);
`;

/** A folder holding the probe program, made once per xloop process and removed on exit. */
export class ProbeKit {
  readonly dir = mkdtempSync(join(tmpdir(), "xloop-imports-"));
  readonly script = join(this.dir, "probe.mjs");
  private count = 0;

  constructor() {
    writeFileSync(this.script, probeSource);
    writeFileSync(join(this.dir, "empty.mjs"), "export {};\n");
  }

  /**
   * Runs one fresh process of the measuring runtime on `files` and resolves to its
   * times. A process that exits without a result (a crash, process.exit at import, the
   * timeout) resolves to a failure naming what it printed last.
   */
  run(files: string[], hooks: ProbeTask["hooks"], timeoutMs: number): Promise<ProbeResult> {
    const n = this.count++;
    const out = join(this.dir, `result-${n}.json`);
    const taskFile = join(this.dir, `task-${n}.json`);
    writeFileSync(taskFile, JSON.stringify({ files, hooks, out } satisfies ProbeTask));
    const { command, args, env } = runtimeCommand(this.script, taskFile);
    return new Promise((resolve) => {
      const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], env, timeout: timeoutMs });
      let stderr = "";
      child.stderr!.on("data", (chunk) => {
        stderr = (stderr + chunk).slice(-2000);
      });
      child.on("error", (error) => resolve({ ok: false, file: files[0], error: `could not start ${command}: ${error.message}` }));
      child.on("close", (code, signal) => {
        try {
          resolve(JSON.parse(readFileSync(out, "utf8")) as ProbeResult);
        } catch {
          const last = stderr.trim().split("\n").filter(Boolean).pop();
          const why = signal === "SIGTERM" ? `did not finish within ${timeoutMs} ms (--timeout)` : `exited with code ${code ?? signal}`;
          resolve({ ok: false, file: files[0], error: `the process importing it ${why}${last ? `: ${last}` : ""}` });
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
function runtimeCommand(script: string, taskFile: string): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const env = { ...process.env };
  const runtime = runtimeName();
  if (runtime === "deno") return { command: process.execPath, args: ["run", "--allow-all", "--quiet", script, taskFile], env };
  // Harmless for a plain bun; the standalone binary needs it to act as one.
  if (runtime === "bun") env.BUN_BE_BUN = "1";
  return { command: process.execPath, args: runtime === "node" ? ["--no-warnings", script, taskFile] : [script, taskFile], env };
}
