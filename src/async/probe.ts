/**
 * The async domain's program for a fresh process (see measure/fresh-process.ts). It
 * loads the target and its cases, warms it up, then for each concurrency level keeps
 * that many calls in flight for a fixed wall time, in real time (timers and I/O run as
 * they would), and records: calls completed, each call's latency, the event loop's
 * delay, and the process's CPU time, whose complement in the wall time is the share
 * spent waiting. Event-loop delay comes from `perf_hooks.monitorEventLoopDelay` on Node
 * and Bun; on Deno (whose node:perf_hooks histogram records nothing) a 1 ms timer
 * probe measures how late it fires. For bench, before each level the process idles for a
 * fifth of a level with the same delay measurement running: what the host alone does to the
 * loop (a busy machine delays a sleeping process's timers too), the control that the
 * blocked-loop rule measures the level against.
 */
import { loadTargetAndCases } from "../measure/fresh-process.ts";
import type { FreshProcessFailure } from "../measure/fresh-process.ts";
import type { CasesSpec, TargetSpec } from "../measure/protocol.ts";

/** What one async probe is asked to do. */
export interface AsyncTask {
  target: Pick<TargetSpec, "file" | "exportName">;
  cases: CasesSpec;
  hooks?: { url: string; data: unknown };
  /** Concurrency levels, measured in this order. */
  concurrency: number[];
  /** Wall time per level, ms. */
  levelMs: number;
  /** Idle before each level to measure the host's own loop delay (bench's BLOCKED flag needs it; ab decides on throughput alone). */
  idleControl: boolean;
}

/** One concurrency level's raw figures. */
export interface AsyncLevel {
  concurrency: number;
  completed: number;
  elapsedMs: number;
  /** Latency of every completed call, ms (at most 20,000, evenly thinned). */
  latenciesMs: number[];
  /** Event-loop delay over the level: p50, p99 and max, ms. */
  loopDelayMs: { p50: number; p99: number; max: number };
  /** CPU time of the process over the level, ms (user + system). */
  cpuMs: number;
  /** Event-loop delay p99 while the process idled just before the level, ms: the host's own share (0 without idleControl). */
  idleLoopDelayP99Ms: number;
}

/** What an async probe reports. */
export interface AsyncReport {
  ok: true;
  isAsync: boolean;
  loopDelaySource: string;
  levels: AsyncLevel[];
}

export type AsyncResult = AsyncReport | FreshProcessFailure;

/** The program's source. */
export const asyncProbeSource = `
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import process from "node:process";
const task = JSON.parse(readFileSync(process.argv[process.argv.length - 1], "utf8"));
const fail = (file, error) => { writeFileSync(task.out, JSON.stringify({ ok: false, file, error: String(error && error.message || error).split("\\n")[0] })); process.exit(0); };
if (task.hooks) (await import("node:module")).register(task.hooks.url, { data: task.hooks.data });
await import(new URL("./empty.mjs", import.meta.url).href);

${loadTargetAndCases}
let k = 0;
const next = () => { const a = cases[k]; k = (k + 1) % cases.length; return a; };

// Event-loop delay: the runtime's histogram where it has one, else a 1 ms timer probe.
let monitor = null, loopDelaySource;
try {
  // Deno's node:perf_hooks has the function, but its histogram records nothing (0.00 ms on 2.9.6): probe instead.
  if (globalThis.Deno) throw new Error("no working monitorEventLoopDelay");
  const { monitorEventLoopDelay } = await import("node:perf_hooks");
  monitor = monitorEventLoopDelay({ resolution: 1 });
  monitor.enable(); monitor.disable(); monitor.reset();
  loopDelaySource = "perf_hooks.monitorEventLoopDelay (resolution 1 ms)";
} catch { monitor = null; loopDelaySource = "a 1 ms timer probe (this runtime has no working monitorEventLoopDelay)"; }
const percentile = (sorted, q) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
function startDelay() {
  if (monitor) { monitor.reset(); monitor.enable(); return () => { monitor.disable(); return { p50: monitor.percentile(50) / 1e6, p99: monitor.percentile(99) / 1e6, max: monitor.max / 1e6 }; }; }
  const lateness = []; let stopped = false; let expected = performance.now() + 1;
  const tick = () => { if (stopped) return; const now = performance.now(); lateness.push(Math.max(0, now - expected)); expected = now + 1; setTimeout(tick, 1); };
  setTimeout(tick, 1);
  return () => { stopped = true; lateness.sort((a, b) => a - b); return { p50: percentile(lateness, 0.5), p99: percentile(lateness, 0.99), max: lateness[lateness.length - 1] ?? 0 }; };
}

let isAsync = false;
try {
  const first = fn(...next());
  if (first && typeof first.then === "function") { isAsync = true; await first; }
} catch (error) { fail(task.target.file, error); }

// The host's own delay: the process idles with only the delay measurement running.
async function idleDelayP99(ms) {
  const stop = startDelay();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return stop().p99;
}

async function level(concurrency, ms, record) {
  const idleLoopDelayP99Ms = record && task.idleControl ? await idleDelayP99(Math.max(50, ms / 5)) : 0;
  const latencies = [];
  let completed = 0;
  const cpu0 = process.cpuUsage();
  const stop = record ? startDelay() : null;
  const t0 = performance.now();
  const end = t0 + ms;
  const lane = async () => {
    while (performance.now() < end) {
      const s = performance.now();
      await fn(...next());
      latencies.push(performance.now() - s);
      completed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const elapsedMs = performance.now() - t0;
  const loopDelayMs = stop ? stop() : { p50: 0, p99: 0, max: 0 };
  const cpu = process.cpuUsage(cpu0);
  const step = Math.max(1, Math.ceil(latencies.length / 20000));
  return { concurrency, completed, elapsedMs, latenciesMs: latencies.filter((_, i) => i % step === 0), loopDelayMs, cpuMs: (cpu.user + cpu.system) / 1000, idleLoopDelayP99Ms };
}

try {
  // Warm-up at the first level, a fifth of a level's time, not recorded.
  await level(task.concurrency[0], Math.max(20, task.levelMs / 5), false);
  const levels = [];
  for (const c of task.concurrency) levels.push(await level(c, task.levelMs, true));
  writeFileSync(task.out, JSON.stringify({ ok: true, isAsync, loopDelaySource, levels }));
} catch (error) { fail(task.target.file, error); }
process.exit(0);
`;
