/**
 * The program a fresh process runs to time imports (see measure/fresh-process.ts): it
 * imports an empty module first (the module loader and, on Node, the TypeScript hooks
 * start there, outside the timings), then the listed files one at a time, each timed.
 */
import { FreshProcessKit, type FreshProcessFailure } from "../measure/fresh-process.ts";

/** What one probe process is asked to do. */
export interface ProbeTask {
  /** Files to import in this order, each timed. */
  files: string[];
  /** Node only: a module-hooks file to register first (xloop's TypeScript hooks), and its data. */
  hooks?: { url: string; data: unknown };
}

/** What a probe process reports: ms per import, in the task's order, or the error that stopped it. */
export type ProbeResult = { ok: true; ms: number[] } | FreshProcessFailure;

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

/** The import probe: one per measurement, disposed at its end. */
export class ProbeKit {
  private readonly kit = new FreshProcessKit(probeSource);

  /** Runs one fresh process importing `files` in order and resolves to their times. */
  run(files: string[], hooks: ProbeTask["hooks"], timeoutMs: number): Promise<ProbeResult> {
    return this.kit.run<ProbeResult>({ files, hooks } satisfies ProbeTask, files[0], timeoutMs);
  }

  /** Removes its folder. */
  dispose(): void {
    this.kit.dispose();
  }
}
