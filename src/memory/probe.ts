/**
 * The memory domain's program for a fresh process (see measure/fresh-process.ts). It
 * loads the target and its cases, calls it to warm it up, then measures:
 *  - bytes allocated per call: the heap before and after a batch of calls, with a full
 *    GC before and none expected inside (V8 runs with a 64 MiB young generation and each
 *    batch allocates at most a few MiB; a batch a GC hit anyway shows as an outlier the
 *    median drops);
 *  - retained heap and its growth: a full GC, then chunks of calls, each followed by a
 *    full GC and a heap reading, so what the calls leave alive shows as a slope;
 *  - the peak heap seen and the process's peak resident memory; the GCs that ran during
 *    the batches where the runtime reports them (Node's PerformanceObserver).
 * Heap readings: V8 (Node, Deno) `used_heap_size + malloced_memory` as mitata reads it
 * (ArrayBuffer backing stores and other external memory are not in it). Bun: `bun:jsc`
 * `heapStats().heapCapacity` for allocation (it grows with each allocation, where
 * `heapSize()` changes only at a collection, and `memoryUsage().current`, the allocator's
 * bytes in use, moved by 0-25% of small allocations in trials here because the allocator
 * reuses its pages), `heapSize()` after a full GC for what stays alive; neither sees
 * what Bun allocates outside JavaScriptCore's heap (its native buffers).
 */
import { loadTargetAndCases } from "../measure/fresh-process.ts";
import type { FreshProcessFailure } from "../measure/fresh-process.ts";
import type { CasesSpec, TargetSpec } from "../measure/protocol.ts";

/** What one memory probe is asked to do. */
export interface MemoryTask {
  target: Pick<TargetSpec, "file" | "exportName">;
  cases: CasesSpec;
  hooks?: { url: string; data: unknown };
  /** Allocation batches to measure. */
  batches: number;
  /** Bytes one batch aims to allocate (calls per batch follow from the first estimate). */
  batchBytes: number;
  /** Retention chunks (0: skip the retention and leak measurement). */
  chunks: number;
  /** Wall time one retention chunk aims at, ms. */
  chunkMs: number;
}

/** A point of the retention measurement: calls made so far and the heap after a full GC. */
export interface RetentionPoint {
  calls: number;
  heap: number;
}

/** What a memory probe reports. */
export interface MemoryReport {
  ok: true;
  isAsync: boolean;
  /** Bytes allocated per call, one value per batch. */
  allocatedPerCall: number[];
  /** Bytes per call the same loop around an empty function allocates (subtracted by the summary). */
  harnessPerCall: number;
  /** Calls in each allocation batch. */
  batchCalls: number;
  /** Heap after a full GC before the retention calls, then after each chunk. */
  retention: RetentionPoint[];
  /** Largest heap reading seen, bytes. */
  peakHeap: number;
  /** Peak resident memory of the process, bytes (null when the runtime does not say). */
  peakRss: number | null;
  /** GCs that ran during the allocation batches (null when the runtime does not say). */
  gcs: number | null;
  /** How the heap was read, for the report. */
  heapSource: string;
}

export type MemoryResult = MemoryReport | FreshProcessFailure;

/** The program's source. */
export const memoryProbeSource = `
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import process from "node:process";
const task = JSON.parse(readFileSync(process.argv[process.argv.length - 1], "utf8"));
const fail = (file, error) => { writeFileSync(task.out, JSON.stringify({ ok: false, file, error: String(error && error.message || error).split("\\n")[0] })); process.exit(0); };
if (task.hooks) (await import("node:module")).register(task.hooks.url, { data: task.hooks.data });
await import(new URL("./empty.mjs", import.meta.url).href);

let heap, live, gc, heapSource, gcEntries = null;
if (typeof Bun !== "undefined") {
  const jsc = await import("bun:jsc");
  // heapSize() changes only at a collection; the capacity grows with every allocation.
  heap = () => jsc.heapStats().heapCapacity;
  live = () => jsc.heapSize();
  gc = () => Bun.gc(true);
  heapSource = "bun:jsc heapStats().heapCapacity for allocation, heapSize() after a full GC for what stays alive";
} else {
  const v8 = await import("node:v8");
  heap = () => { const s = v8.getHeapStatistics(); return s.used_heap_size + s.malloced_memory; };
  live = heap;
  gc = globalThis.gc;
  if (typeof gc !== "function") fail(task.target.file, "no gc() in this runtime (--expose-gc was not honoured)");
  heapSource = "v8 used_heap_size + malloced_memory";
  try {
    const { PerformanceObserver } = await import("node:perf_hooks");
    gcEntries = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcEntries.push(e.startTime); });
    observer.observe({ entryTypes: ["gc"] });
  } catch { gcEntries = null; }
}

${loadTargetAndCases}

let sink;
let isAsync = false;
let k = 0;
const next = () => { const a = cases[k]; k = (k + 1) % cases.length; return a; };
try {
  const first = fn(...next());
  if (first && typeof first.then === "function") { isAsync = true; await first; }
} catch (error) { fail(task.target.file, error); }
const loop = (f) => isAsync
  ? async (n) => { for (let i = 0; i < n; i++) sink = await f(...next()); }
  : (n) => { for (let i = 0; i < n; i++) sink = f(...next()); };
const run = loop(fn);
// The same loop around an empty function: what the loop itself allocates per call, subtracted.
const runEmpty = loop(isAsync ? async () => {} : () => {});

let peakHeap = 0;
const read = () => { const h = heap(); if (h > peakHeap) peakHeap = h; return h; };
try {
  // Warm-up: the JIT's own allocations and the target's lazy set-up happen here.
  const warmUntil = performance.now() + 100;
  let warmCalls = 0;
  while ((performance.now() < warmUntil && warmCalls < 2000) || warmCalls < 20) { await run(1); warmCalls++; }
  await runEmpty(100);
  // Sixteen calls, not one, size the batches: one call's reading can come out near 0, and
  // the 100000 calls it then asks for overflow the young generation in every batch.
  gc(); let h0 = read(); await run(16); const once = Math.max((read() - h0) / 16, 1);
  let calls = Math.max(1, Math.min(100000, Math.floor(task.batchBytes / once)));
  const allocatedPerCall = [];
  const windows = [];
  // A GC inside a batch frees part of what its calls allocated, so the reading falls short
  // (a CI host read 743 B a call for a 1 KiB array, with 15 GCs in its 15 batches). So the
  // forced collection's own tasks and entries settle before a batch opens (they arrive on a
  // later turn of the event loop), and a batch a GC still ran in is taken again with half
  // the calls, down to a single call.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const disturbed = async (from, to) => {
    if (!gcEntries) return false;
    await settle();
    return gcEntries.some((t) => t >= from && t <= to);
  };
  for (let b = 0; b < task.batches; b++) {
    for (;;) {
      sink = undefined;
      gc();
      await settle();
      const t0 = performance.now();
      h0 = read();
      await run(calls);
      const h1 = read();
      const t1 = performance.now();
      if (calls > 1 && await disturbed(t0, t1)) { calls = Math.max(1, calls >> 1); continue; }
      windows.push([t0, t1]);
      allocatedPerCall.push((h1 - h0) / calls);
      break;
    }
  }
  const harness = [];
  for (let b = 0; b < 5; b++) {
    sink = undefined;
    gc();
    h0 = heap();
    await runEmpty(calls);
    harness.push((heap() - h0) / calls);
  }
  harness.sort((a, b) => a - b);
  const harnessPerCall = harness[2];
  // Retention: chunks of calls sized to chunkMs each, a full GC and a reading after each.
  const t0 = performance.now();
  await run(calls);
  const perCallMs = Math.max((performance.now() - t0) / calls, 1e-6);
  const chunk = Math.max(10, Math.min(10000, Math.round(task.chunkMs / perCallMs)));
  const retention = [];
  if (task.chunks > 0) {
    sink = undefined;
    gc(); gc();
    retention.push({ calls: 0, heap: live() });
    for (let c = 1; c <= task.chunks; c++) {
      await run(chunk);
      sink = undefined;
      gc(); gc();
      const h = live();
      if (h > peakHeap) peakHeap = h;
      retention.push({ calls: c * chunk, heap: h });
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 0));
  let gcs = null;
  if (gcEntries) gcs = gcEntries.filter((t) => windows.some(([a, b]) => t >= a && t <= b)).length;
  let peakRss = null;
  try { peakRss = process.resourceUsage().maxRSS * 1024; } catch {}
  writeFileSync(task.out, JSON.stringify({ ok: true, isAsync, allocatedPerCall, harnessPerCall, batchCalls: calls, retention, peakHeap, peakRss, gcs, heapSource }));
} catch (error) { fail(task.target.file, error); }
process.exit(0);
`;

/**
 * The V8 flags a memory probe needs: gc() exposed; a young generation large enough that a
 * batch's allocations trigger no GC; and collections on the main thread alone, so no
 * sweeper thread frees pages (and lowers the heap reading) in the middle of a batch.
 */
export const memoryV8Flags = ["--expose-gc", "--min-semi-space-size=64", "--max-semi-space-size=64", "--single-threaded-gc"];
