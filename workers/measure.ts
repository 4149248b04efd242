/**
 * The measuring worker (run by piscina, one fresh worker per target and replicate).
 * It pins itself, loads the target and its cases, then measures only in its turns
 * of the ring shared through the control buffer, so that every target in a session
 * sees the same machine conditions slice by slice.
 */
import { isDeepStrictEqual } from "node:util";
import { bestClock, measureClockCost } from "../src/runtime/clock.ts";
import { median } from "../src/stats/descriptive.ts";
import { warmupAcrossCopies } from "../src/stats/copies.ts";
import { pinCurrentThread } from "../src/pin/pin.ts";
import { commonArity, makeBatchRunner, type BatchRunner } from "../src/measure/batch-runner.ts";
import { callsPerBatch, type SliceLengthInput } from "../src/measure/slice-length.ts";
import { defaults } from "../src/settings/defaults.ts";
import { LoadFailure, loadCases, loadTargetCopies, type TargetCopies } from "../src/measure/load-target.ts";
import {
  Cell,
  SlotState,
  Turn,
  handOver,
  passProbeTurn,
  type Failure,
  type MeasureTask,
  type TargetFacts,
  type WorkerReport,
} from "../src/measure/protocol.ts";

// The target's prints go to stderr: stdout carries xloop's own output (--json), which a
// target printing megabytes would otherwise corrupt. A write still costs what it cost.
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

/** Thrown instead of exiting when a target calls process.exit. */
class ExitCalled extends Error {
  constructor(readonly code: unknown) {
    super(`called process.exit(${code ?? ""})`);
  }
}

function describeThrow(label: string, error: unknown, when: string): Failure {
  if (error instanceof ExitCalled) return { kind: "exit", message: `${label}: ${error.message} ${when}` };
  const e = error as Error;
  const name = e?.constructor?.name ?? typeof error;
  const message = e?.message !== undefined ? String(e.message).split("\n")[0] : String(error);
  return { kind: "threw", message: `${label}: threw ${name}: ${message} ${when}`, stack: e?.stack };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as any).then === "function";
}

function tryClone<T>(value: T): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: structuredClone(value) };
  } catch {
    return { ok: false };
  }
}

/**
 * Calls the target once per case (up to 20), to learn whether it is async and whether
 * it mutates. It is called on the cases themselves: a call on structuredClone copies
 * would show the library objects of other hidden classes than every later call's, and
 * V8 then keeps the slower polymorphic code for the worker's life (rfdc measured 11-14%
 * slower for it). Mutation shows as a difference between copies taken before and after.
 */
async function probeTarget(fn: (...a: unknown[]) => unknown, cases: unknown[][]): Promise<{ isAsync: boolean; mutates: boolean; cloneable: boolean; snapshots: (unknown[] | undefined)[] }> {
  let isAsync = false;
  let mutates = false;
  let cloneable = true;
  const snapshots: (unknown[] | undefined)[] = [];
  for (const args of cases.slice(0, 20)) {
    const before = tryClone(args);
    snapshots.push(before.ok ? before.value : undefined);
    const result = fn(...args);
    if (isThenable(result)) {
      isAsync = true;
      await result;
    }
    const after = tryClone(args);
    if (!before.ok || !after.ok) {
      cloneable = false;
      continue;
    }
    if (!isDeepStrictEqual(before.value, after.value)) mutates = true;
  }
  return { isAsync, mutates, cloneable, snapshots };
}

function waitForTurn(control: Int32Array, slot: number): boolean {
  for (;;) {
    const turn = Atomics.load(control, Cell.turn);
    if (turn === slot) return true;
    if (turn === Turn.stop) return false;
    Atomics.wait(control, Cell.turn, turn, 200);
  }
}

/** The piscina task handler. */
/**
 * Waits until this slot may make its first call: first calls go one slot at a time, so
 * no target's probing runs beside another's. False when the session stopped first.
 */
function waitForFirstCallTurn(control: Int32Array, slot: number): boolean {
  for (;;) {
    const probeTurn = Atomics.load(control, Cell.probeTurn);
    if (probeTurn === slot) return true;
    if (Atomics.load(control, Cell.turn) === Turn.stop) return false;
    Atomics.wait(control, Cell.probeTurn, probeTurn, 200);
  }
}

/**
 * A provisional batch for warming up: grown until one timed batch lasts a slice. The
 * first calls run cold, so the final size is set once warm.
 */
async function provisionalBatch(timedBatch: (n: number) => Promise<number>, minimumSliceNs: number): Promise<number> {
  let n = 1;
  for (;;) {
    const elapsed = await timedBatch(n);
    if (elapsed >= minimumSliceNs || n >= 1e9) return n;
    const scale = elapsed > 0 ? minimumSliceNs / elapsed : 10;
    n = Math.max(n + 1, Math.ceil(n * Math.min(10, Math.max(1.5, scale * 1.05))));
  }
}

/**
 * Whether warm-up is over after a slice: the median of the last 5 slices within 2% of
 * the 5 before (the JIT has settled), or the budget spent. Judged on the average over
 * copies of a full turn of them, since copies differ by their placement luck. Returns
 * the final batch (one slice's worth of warm calls) when over, else undefined.
 */
function warmBatch(warmupByCopy: number[][], warmupNs: number, maxWarmupNs: number, slice: Omit<SliceLengthInput, "perCallNs">): { batch: number; stable: boolean } | undefined {
  const w = warmupAcrossCopies(warmupByCopy);
  const stable = w.length >= 10 && Math.abs(median(w.slice(-5)) / median(w.slice(-10, -5)) - 1) <= 0.02;
  if (!stable && warmupNs < maxWarmupNs) return undefined;
  // The same size in every worker of a target keeps GC and timer costs amortised alike.
  const warmPerCall = median(w.slice(-5));
  return { batch: callsPerBatch({ ...slice, perCallNs: warmPerCall }), stable };
}

/** True when every live slot is warm: the first slot to see it opens sampling at the next cycle. */
function allSlotsWarm(control: Int32Array): boolean {
  const slots = control[Cell.slots];
  for (let s = 0; s < slots; s++) {
    const state = Atomics.load(control, Cell.slotState + s);
    if (state !== SlotState.warm && state !== SlotState.gone) return false;
  }
  return true;
}

export default async function measure(task: MeasureTask): Promise<WorkerReport> {
  const control = new Int32Array(task.control);
  const { slot, port } = task;
  const report: WorkerReport = { slot, batch: 0, cycles: [], copies: [], totals: [], harnessTotals: [], warmup: { slices: 0, stable: false } };
  const leave = (failure: Failure) => {
    report.failure = failure;
    Atomics.store(control, Cell.slotState + slot, SlotState.gone);
    port.postMessage({ type: "failed", slot, failure });
    handOver(control, Atomics.load(control, Cell.step), slot);
    passProbeTurn(control, slot);
    port.close();
    return report;
  };

  process.exit = ((code?: unknown) => {
    throw new ExitCalled(code);
  }) as typeof process.exit;

  const pin = await pinCurrentThread(task.cpu);
  let loaded: TargetCopies;
  let cases: unknown[][];
  try {
    loaded = await loadTargetCopies(task.target, task.copies);
    cases = await loadCases(task.cases);
  } catch (error) {
    if (error instanceof LoadFailure) return leave(error.failure);
    return leave(describeThrow(task.target.label, error, "while loading"));
  }

  port.postMessage({ type: "imported", slot });
  if (!waitForFirstCallTurn(control, slot)) return leave({ kind: "crash", message: `${task.target.label}: stopped before its first call` });
  const fns = loaded.fns;
  let probe: Awaited<ReturnType<typeof probeTarget>>;
  const hooks = loaded.hooks;
  try {
    // A suite task's first call gets its beforeEach too (mitata's computed parameters are made there).
    await hooks?.[0].beforeEach?.();
    probe = await probeTarget(fns[0], cases);
    await hooks?.[0].afterEach?.();
  } catch (error) {
    return leave(describeThrow(task.target.label, error, "on the first call"));
  }
  const clonesArgs = task.cloneArgs === "always" || (task.cloneArgs === "auto" && probe.mutates && probe.cloneable);
  if (probe.mutates) {
    // The probe changed the cases themselves: load them afresh, so every timed call
    // (on its own copy) starts from the original input.
    try {
      const reloaded = await loadCases(task.cases, { fresh: true });
      // A CommonJS cases module hands back its cached, changed values: use the copies taken before the probe.
      const cached = reloaded.some((args, i) => args === cases[i]);
      cases = cached ? cases.map((args, i) => probe.snapshots[i] ?? args) : reloaded;
    } catch (error) {
      if (error instanceof LoadFailure) return leave(error.failure);
      return leave(describeThrow(task.target.label, error, "while reloading the cases the first call changed"));
    }
  }
  const clock = bestClock();
  const clockCostNs = measureClockCost(clock);
  const facts: TargetFacts = {
    pin,
    isAsync: probe.isAsync,
    mutatesArgs: probe.mutates,
    clonesArgs,
    cases: cases.length,
    clock: clock.name,
    clockCostNs,
    copies: { asked: task.copies, made: fns.length, ...(loaded.fewerReason ? { reason: loaded.fewerReason } : {}) },
  };
  report.facts = facts;

  const shape = { arity: commonArity(cases), isAsync: probe.isAsync };
  // A loop of its own per copy, so no copy's call site sees another copy's function.
  // A suite task with beforeEach/afterEach is timed call by call, and so is its empty-function harness.
  const runners: BatchRunner[] = fns.map((_, i) => makeBatchRunner(shape, hooks?.[i]));
  const runHarness: BatchRunner = makeBatchRunner(shape, hooks ? {} : undefined);
  const empty = probe.isAsync ? async () => {} : () => {};
  const sink = { value: undefined as unknown };
  let nextCase = 0;
  // Copies take turns cycle by cycle, so each is sampled alike across the run.
  let copy = 0;

  const timedBatch = async (n: number): Promise<number> => {
    const runTarget = runners[copy];
    const fn = fns[copy];
    if (!clonesArgs) {
      const elapsed = await runTarget(fn, cases, n, nextCase, clock.now, sink);
      nextCase = (nextCase + n) % cases.length;
      return elapsed;
    }
    // Fresh copies made outside the timed region: a target that sorts in place
    // must see unsorted input on every call, as it would in production.
    const copies = new Array<unknown[]>(n);
    for (let i = 0; i < n; i++) copies[i] = structuredClone(cases[(nextCase + i) % cases.length]);
    nextCase = (nextCase + n) % cases.length;
    return runTarget(fn, copies, n, 0, clock.now, sink);
  };

  port.postMessage({ type: "ready", slot, facts });
  Atomics.store(control, Cell.slotState + slot, SlotState.ready);
  passProbeTurn(control, slot);

  const minimumSliceNs = Math.max(task.sliceNs, 1000 * clockCostNs);
  const slice = { minimumSliceNs, maximumSliceNs: task.maxSliceNs, cases: cases.length, passes: defaults.slicePasses };
  const maxWarmupNs = task.maxWarmupNs * fns.length;
  // Warm-up per-call times, one list per copy (see warmBatch).
  const warmupByCopy: number[][] = fns.map(() => []);
  let warmupNs = 0;
  let batch = 0;
  let sampling = false;

  try {
    while (waitForTurn(control, slot)) {
      const step = Atomics.load(control, Cell.step);
      const slots = control[Cell.slots];
      const cycle = Math.floor(step / slots);
      copy = cycle % fns.length;

      if (batch === 0) batch = await provisionalBatch(timedBatch, minimumSliceNs);

      const samplingFrom = Atomics.load(control, Cell.samplingFromCycle);
      if (!sampling && samplingFrom >= 0 && cycle >= samplingFrom) {
        sampling = true;
        // Slot 0 fixed the shared size when it got warm, before sampling could open.
        if (task.shareBatch && slot !== 0) batch = Atomics.load(control, Cell.sharedBatch) || batch;
        report.batch = batch;
      }

      const total = await timedBatch(batch);
      const harness = await runHarness(empty, cases, batch, 0, clock.now, sink);

      if (sampling) {
        report.cycles.push(cycle);
        report.copies.push(copy);
        report.totals.push(total);
        report.harnessTotals.push(harness);
      } else {
        warmupByCopy[copy].push(total / batch);
        warmupNs += total;
        report.warmup.slices++;
        if (Atomics.load(control, Cell.slotState + slot) !== SlotState.warm) {
          const warm = warmBatch(warmupByCopy, warmupNs, maxWarmupNs, slice);
          if (warm) {
            report.warmup.stable = warm.stable;
            batch = warm.batch;
            if (task.shareBatch && slot === 0) Atomics.store(control, Cell.sharedBatch, batch);
            Atomics.store(control, Cell.slotState + slot, SlotState.warm);
          }
        }
        if (allSlotsWarm(control)) Atomics.compareExchange(control, Cell.samplingFromCycle, -1, cycle + 1);
      }
      handOver(control, step, slot);
    }
  } catch (error) {
    return leave(describeThrow(task.target.label, error, sampling ? "while measuring" : "while warming up"));
  }
  Atomics.store(control, Cell.slotState + slot, SlotState.gone);
  port.close();
  return report;
}
