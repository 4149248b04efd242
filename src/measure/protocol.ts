/**
 * The contract between the main thread and measuring workers. Workers take turns
 * through one SharedArrayBuffer (Int32 cells below), so the main thread's event loop
 * never sits inside the timed region and hand-overs cost one futex wake.
 */

/** Cells of the control buffer. */
export const Cell = {
  /** Slot whose turn it is; WAITING before the start, STOP at the end. */
  turn: 0,
  /** Number of turns handed over so far (the heartbeat the watchdog reads). */
  step: 1,
  /** Number of slots in the ring. */
  slots: 2,
  /** Batch size chosen by slot 0 when slots share one (0 until chosen). */
  sharedBatch: 3,
  /** First cycle whose slices count as samples (-1 while someone warms up). */
  samplingFromCycle: 4,
  /**
   * Slot allowed to make its first calls now. First calls go one slot at a time so
   * that a hang or a memory blow-up in one is blamed on the right target.
   */
  probeTurn: 5,
  /** First per-slot state cell; slot i lives at slotState + i. */
  slotState: 8,
} as const;

/** Values of the turn cell that are not slot numbers. */
export const Turn = { waiting: -2, stop: -1 } as const;

/** Per-slot lifecycle, stored at Cell.slotState + slot. */
export const SlotState = { loading: 0, ready: 1, warm: 2, gone: 3 } as const;

/** Allocates a control buffer for `slots` workers. */
export function createControl(slots: number): Int32Array {
  const control = new Int32Array(new SharedArrayBuffer(4 * (Cell.slotState + slots)));
  control[Cell.turn] = Turn.waiting;
  control[Cell.slots] = slots;
  control[Cell.samplingFromCycle] = -1;
  return control;
}

/**
 * The slot that runs turn `step`: cycles alternate forward and backward
 * (A B, B A, A B, ... for two slots) so neither side always runs first after a
 * hand-over, the balanced ABBA order of duet benchmarking.
 */
export function slotForStep(step: number, slots: number): number {
  const cycle = Math.floor(step / slots);
  const position = step % slots;
  return cycle % 2 === 0 ? position : slots - 1 - position;
}

/**
 * Hands the turn from `fromTurn` to the next slot still in the ring after
 * `fromStep`, or STOP when none is left. Used by workers after each slice and by the main thread when the
 * slot holding the turn died.
 */
export function handOver(control: Int32Array, fromStep: number, fromTurn: number): void {
  if (Atomics.load(control, Cell.turn) !== fromTurn) return;
  const slots = control[Cell.slots];
  let nextTurn: number = Turn.stop;
  let nextStep = fromStep;
  for (let next = fromStep + 1; next <= fromStep + 2 * slots; next++) {
    const slot = slotForStep(next, slots);
    if (Atomics.load(control, Cell.slotState + slot) !== SlotState.gone) {
      nextTurn = slot;
      nextStep = next;
      break;
    }
  }
  Atomics.store(control, Cell.step, nextStep);
  // Only the holder of the turn passes it on: a STOP set meanwhile must stand.
  Atomics.compareExchange(control, Cell.turn, fromTurn, nextTurn);
  Atomics.notify(control, Cell.turn);
}

/** Where the target comes from: a module path (absolute) and an export name. */
export interface TargetSpec {
  file: string;
  exportName: string;
  /** As the user wrote it, for messages. */
  label: string;
}

/** Where the inputs come from. */
export type CasesSpec =
  | { kind: "none" }
  | { kind: "args"; json: string }
  | { kind: "module"; file: string; exportName: string; label: string };

/** What a worker is asked to do. */
export interface MeasureTask {
  slot: number;
  control: SharedArrayBuffer;
  target: TargetSpec;
  cases: CasesSpec;
  /** CPU to pin to, or null to skip pinning. */
  cpu: number | null;
  /** Shortest timed batch, ns. */
  sliceNs: number;
  /** Longest a batch is lengthened to for passes over the cases, ns (see slice-length.ts). */
  maxSliceNs: number;
  /** Whether this slot takes slot 0's batch size (A/B comparisons). */
  shareBatch: boolean;
  /** "auto": clone when the target mutates its arguments. */
  cloneArgs: "auto" | "always" | "never";
  /** Warm-up budget of this worker's own turns, in ns, for each copy. */
  maxWarmupNs: number;
  /** Copies of the target's module to load and take turns with (see loadTargetCopies). */
  copies: number;
  /** Port for progress messages to the main thread. */
  port: MessagePort;
}

/** Why a target failed. */
export type FailureKind = "load" | "not-function" | "cases" | "threw" | "timeout" | "exit" | "memory" | "crash";

/** A failure, reported as one line to the user. */
export interface Failure {
  kind: FailureKind;
  message: string;
  /** Present with --verbose. */
  stack?: string;
}

/** Facts the worker learnt before measuring. */
export interface TargetFacts {
  pin: { cpu: number | null; method: string; reason?: string };
  isAsync: boolean;
  mutatesArgs: boolean;
  clonesArgs: boolean;
  cases: number;
  clock: string;
  clockCostNs: number;
  /** Copies of the target's module asked for and made; `reason` when fewer were made. */
  copies: { asked: number; made: number; reason?: string };
}

/** What a worker returns. */
export interface WorkerReport {
  slot: number;
  facts?: TargetFacts;
  failure?: Failure;
  /** Calls per timed batch. */
  batch: number;
  /** Cycle index of each sample slice. */
  cycles: number[];
  /** Which copy of the target (see TargetFacts.copies) ran each sample slice. */
  copies: number[];
  /** Total ns of each sample slice (batch calls, clock cost not yet removed). */
  totals: number[];
  /** Total ns of the empty function's batch measured in each turn. */
  harnessTotals: number[];
  /** Warm-up slices run and whether the medians stabilised. */
  warmup: { slices: number; stable: boolean };
}

/** Passes the first-call turn from `slot` to the next slot. */
export function passProbeTurn(control: Int32Array, slot: number): void {
  if (Atomics.compareExchange(control, Cell.probeTurn, slot, slot + 1) === slot) Atomics.notify(control, Cell.probeTurn);
}

/** Messages a worker posts on its port. */
export type WorkerMessage =
  | { type: "imported"; slot: number }
  | { type: "ready"; slot: number; facts: TargetFacts }
  | { type: "failed"; slot: number; failure: Failure };
