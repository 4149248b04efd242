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
  /** Target duration of one timed batch, ns. */
  sliceNs: number;
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

  // Each copy evaluates the module again, so a slow top-level takes copies times as long.
  const copiesNote = options.copies > 1 ? `; each worker loads it ${options.copies} times (--copies ${options.copies}), --copies 1 loads it once` : "";
  const started = Date.now();
  let lastStep = -1;
  let lastProgress = Date.now();
  let samplingSince = 0;
  let samplingStep = 0;
  let probing = -1;
  let probingSince = Date.now();
  // After a worker is stopped for memory, the process may hold on to the pages for a
  // while; nobody else is blamed until resident memory has come back under the limit.
  let memoryAlarmArmed = true;
  const overMemory = () => {
    const over = process.memoryUsage.rss() > options.maxMemoryMb * 1024 * 1024;
    if (!over) memoryAlarmArmed = true;
    return over && memoryAlarmArmed;
  };
  const memoryFailure = (slot: number, when: string): Failure => {
    memoryAlarmArmed = false;
    return { kind: "memory", message: `${options.slots[slot].target.label}: exhausted memory ${when} (over ${options.maxMemoryMb} MiB resident, --max-memory); the worker was terminated` };
  };
  const watchdog = setInterval(() => {
    const now = Date.now();
    const turn = Atomics.load(control, Cell.turn);
    if (turn === Turn.waiting) {
      // Loading: imports run in parallel, first calls one slot at a time (probeTurn).
      const probeTurn = Atomics.load(control, Cell.probeTurn);
      if (probeTurn !== probing) {
        probing = probeTurn;
        probingSince = now;
      }
      if (probeTurn < k && (settled[probeTurn] || Atomics.load(control, Cell.slotState + probeTurn) === SlotState.gone)) {
        passProbeTurn(control, probeTurn);
        return;
      }
      const probingLive = probeTurn < k && imported[probeTurn] && !settled[probeTurn];
      if (probingLive && now - probingSince > options.timeoutMs) {
        terminate(probeTurn, { kind: "timeout", message: `${options.slots[probeTurn].target.label}: its first call did not return within ${options.timeoutMs} ms (--timeout); the worker was terminated` });
        return;
      }
      const memory = overMemory();
      if (memory && probingLive) {
        terminate(probeTurn, memoryFailure(probeTurn, "in its first call"));
        return;
      }
      let pending = false;
      for (let i = 0; i < k; i++) {
        if (Atomics.load(control, Cell.slotState + i) !== SlotState.loading || settled[i]) continue;
        pending = true;
        if (!imported[i] && (memory || now - started > options.timeoutMs)) {
          terminate(i, memory ? memoryFailure(i, "while being imported") : { kind: "timeout", message: `${options.slots[i].target.label}: its module did not finish loading within ${options.timeoutMs} ms (--timeout)${copiesNote}` });
        }
      }
      if (!pending) {
        handOver(control, -1, Turn.waiting);
        lastProgress = now;
      }
      return;
    }
    if (turn === Turn.stop) return;
    const step = Atomics.load(control, Cell.step);
    if (step !== lastStep) {
      lastStep = step;
      lastProgress = now;
    } else if (now - lastProgress > options.timeoutMs) {
      terminate(turn, { kind: "timeout", message: `${options.slots[turn].target.label}: one batch of calls ran longer than ${options.timeoutMs} ms (--timeout); the worker was terminated` });
      lastProgress = now;
      return;
    }
    if (overMemory()) {
      terminate(turn, memoryFailure(turn, "while measured"));
      return;
    }
    const from = Atomics.load(control, Cell.samplingFromCycle);
    if (from >= 0 && samplingSince === 0) {
      samplingSince = now;
      samplingStep = step;
    }
    if (samplingSince > 0 && now - samplingSince >= options.samplingMs && (step - samplingStep) / k >= options.minCycles) {
      Atomics.store(control, Cell.turn, Turn.stop);
      Atomics.notify(control, Cell.turn);
    }
  }, 5);

  try {
    return await Promise.all(runs);
  } finally {
    clearInterval(watchdog);
    options.signal?.removeEventListener("abort", onAbort);
    await Promise.all(pools.map((pool) => pool.destroy().catch(() => {})));
  }
}
