import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { runtimeName } from "../runtime/runtime.ts";
import {
  Cell,
  SlotState,
  Turn,
  createControl,
  handOver,
  passProbeTurn,
  type CasesSpec,
  type Failure,
  type TargetSpec,
  type WorkerMessage,
  type WorkerReport,
} from "./protocol.ts";
import { initialWatchdog, watch, type SessionReading, type WatchdogAction, type WatchdogLimits } from "./watchdog.ts";
import { workerFile } from "./worker-file.ts";

/** One participant of a session: a target with its inputs, in a fresh worker. */
export interface SessionSlot {
  target: TargetSpec;
  cases: CasesSpec;
}

/** How a session runs. */
export interface SessionOptions {
  slots: SessionSlot[];
  /** CPU every worker pins itself to (null: no pinning). */
  cpu: number | null;
  /** Shortest timed batch, ns. */
  sliceNs: number;
  /** Longest a batch is lengthened to for passes over the cases, ns (see slice-length.ts). */
  maxSliceNs: number;
  /** Wall time of the sampling phase, ms. */
  samplingMs: number;
  /** Fewest sampling cycles before stopping, whatever the time. */
  minCycles: number;
  /** A target silent for this long (loading or in one turn) is terminated, ms. */
  timeoutMs: number;
  /** Resident memory above which the target holding the turn is terminated, MiB. */
  maxMemoryMb: number;
  /** Slots after the first take slot 0's batch size. */
  shareBatch: boolean;
  cloneArgs: "auto" | "always" | "never";
  /** Warm-up budget per worker and copy, ns of its own turns. */
  maxWarmupNs: number;
  /** Copies of its target's module each worker loads and takes turns with. */
  copies: number;
  /** Aborts the whole session (interrupts). */
  signal?: AbortSignal;
}

function failureFromRejection(error: unknown, imposed: Failure | undefined, label: string): Failure {
  if (imposed) return imposed;
  const e = error as Error & { code?: string };
  if (e?.code === "ERR_WORKER_OUT_OF_MEMORY") return { kind: "memory", message: `${label}: exhausted the worker's memory limit` };
  const exit = /worker exited with code:? ?(-?\d+)/i.exec(String(e?.message));
  if (exit) return { kind: "exit", message: `${label}: the worker exited with code ${exit[1]}` };
  return { kind: "crash", message: `${label}: the worker crashed: ${String(e?.message ?? e).split("\n")[0]}`, stack: e?.stack };
}

/** What the watchdog reads of the session at one look. */
function readSession(control: Int32Array, settled: readonly boolean[], imported: readonly boolean[]): SessionReading {
  return {
    now: Date.now(),
    turn: Atomics.load(control, Cell.turn),
    probeTurn: Atomics.load(control, Cell.probeTurn),
    step: Atomics.load(control, Cell.step),
    samplingFromCycle: Atomics.load(control, Cell.samplingFromCycle),
    slots: settled.map((done, i) => ({ state: Atomics.load(control, Cell.slotState + i), settled: done, imported: imported[i]! })),
    rssBytes: process.memoryUsage.rss(),
  };
}

/**
 * Runs one session: a fresh piscina worker per slot, all pinned to the same CPU,
 * taking turns slice by slice until the sampling time is spent. A slot that fails
 * (throws, hangs, exits, eats memory) leaves the ring and the others go on.
 */
export async function runSession(options: SessionOptions): Promise<WorkerReport[]> {
  const k = options.slots.length;
  const control = createControl(k);
  const filename = workerFile("measure");
  const imposed: (Failure | undefined)[] = new Array(k);
  const settled: boolean[] = new Array(k).fill(false);
  const aborters = options.slots.map(() => new AbortController());
  const imported: boolean[] = new Array(k).fill(false);
  const pools = options.slots.map(
    () =>
      new Piscina({
        filename,
        minThreads: 1,
        maxThreads: 1,
        idleTimeout: 60_000,
        // Node enforces this per worker; Bun ignores it, so the watchdog below
        // also watches the process's resident memory.
        resourceLimits: runtimeName() === "node" ? { maxOldGenerationSizeMb: options.maxMemoryMb } : undefined,
      }),
  );

  const terminate = (slot: number, failure: Failure) => {
    if (settled[slot] || imposed[slot]) return;
    imposed[slot] = failure;
    Atomics.store(control, Cell.slotState + slot, SlotState.gone);
    aborters[slot].abort();
    handOver(control, Atomics.load(control, Cell.step), slot);
    passProbeTurn(control, slot);
  };
  const onAbort = () => options.slots.forEach((s, i) => terminate(i, { kind: "crash", message: `${s.target.label}: interrupted` }));
  options.signal?.addEventListener("abort", onAbort);

  const runs = options.slots.map((slot, i) => {
    const { port1, port2 } = new MessageChannel();
    port1.on("message", (message: WorkerMessage) => {
      if (message.type === "imported") imported[i] = true;
    });
    port1.unref();
    const task = {
      slot: i,
      control: control.buffer,
      target: slot.target,
      cases: slot.cases,
      cpu: options.cpu,
      sliceNs: options.sliceNs,
      maxSliceNs: options.maxSliceNs,
      shareBatch: options.shareBatch,
      cloneArgs: options.cloneArgs,
      maxWarmupNs: options.maxWarmupNs,
      copies: options.copies,
      port: port2,
    };
    return pools[i]
      .run(task, { transferList: [port2] as any, signal: aborters[i].signal })
      .then(
        (report: WorkerReport) => report,
        (error: unknown): WorkerReport => ({
          slot: i,
          failure: failureFromRejection(error, imposed[i], slot.target.label),
          batch: 0,
          cycles: [],
          copies: [],
          totals: [],
          harnessTotals: [],
          warmup: { slices: 0, stable: false },
        }),
      )
      .finally(() => {
        settled[i] = true;
        port1.close();
        if (Atomics.load(control, Cell.slotState + i) !== SlotState.gone) {
          Atomics.store(control, Cell.slotState + i, SlotState.gone);
        }
        if (Atomics.load(control, Cell.turn) === i) handOver(control, Atomics.load(control, Cell.step), i);
        passProbeTurn(control, i);
      });
  });

  const limits: WatchdogLimits = {
    timeoutMs: options.timeoutMs,
    maxMemoryMb: options.maxMemoryMb,
    samplingMs: options.samplingMs,
    minCycles: options.minCycles,
    labels: options.slots.map((s) => s.target.label),
    copies: options.copies,
  };
  const act = (action: WatchdogAction) => {
    if (action.kind === "pass-probe") passProbeTurn(control, action.slot);
    else if (action.kind === "terminate") terminate(action.slot, action.failure);
    else if (action.kind === "start-turns") handOver(control, -1, Turn.waiting);
    else {
      Atomics.store(control, Cell.turn, Turn.stop);
      Atomics.notify(control, Cell.turn);
    }
  };
  let watched = initialWatchdog(Date.now());
  const watchdog = setInterval(() => {
    const look = watch(watched, readSession(control, settled, imported), limits);
    watched = look.state;
    for (const action of look.actions) act(action);
  }, 5);

  try {
    return await Promise.all(runs);
  } finally {
    clearInterval(watchdog);
    options.signal?.removeEventListener("abort", onAbort);
    await Promise.all(pools.map((pool) => pool.destroy().catch(() => {})));
  }
}
