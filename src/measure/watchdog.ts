/**
 * The session watchdog's decisions, apart from the timer and the shared memory it reads:
 * given what it saw a moment ago and what it sees now, which worker to terminate and
 * why, when the turns start and when sampling is done. Pure, so each rule is tested on
 * made-up readings instead of on workers made to hang or eat memory.
 */
import { SlotState, Turn, type Failure } from "./protocol.ts";

/** What the watchdog remembers from one look to the next. */
export interface WatchdogState {
  /** When the session started (ms): a module still importing is timed from here. */
  readonly started: number;
  /** The last heartbeat (Cell.step) seen, and when it last moved: a batch is timed from it. */
  readonly lastStep: number;
  readonly lastProgress: number;
  /** When sampling began (0: not yet), and the heartbeat then, to count the cycles since. */
  readonly samplingSince: number;
  readonly samplingStep: number;
  /** The slot last seen making its first calls (Cell.probeTurn), and since when. */
  readonly probing: number;
  readonly probingSince: number;
  /**
   * False after a worker was stopped for memory: the process may hold on to the pages
   * for a while, and nobody else is blamed until resident memory is back under the limit.
   */
  readonly memoryAlarmArmed: boolean;
}

/** One slot as the watchdog sees it. */
export interface SlotReading {
  /** Its SlotState cell. */
  readonly state: number;
  /** Its worker's task has settled (returned or failed). */
  readonly settled: boolean;
  /** Its worker said its module finished importing. */
  readonly imported: boolean;
}

/** What the watchdog reads at one look. */
export interface SessionReading {
  readonly now: number;
  /** The Cell.turn, Cell.probeTurn, Cell.step and Cell.samplingFromCycle cells. */
  readonly turn: number;
  readonly probeTurn: number;
  readonly step: number;
  readonly samplingFromCycle: number;
  readonly slots: readonly SlotReading[];
  /** The process's resident memory, bytes. */
  readonly rssBytes: number;
}

/** The session's limits and names, fixed for its whole run. */
export interface WatchdogLimits {
  readonly timeoutMs: number;
  readonly maxMemoryMb: number;
  readonly samplingMs: number;
  readonly minCycles: number;
  /** Each slot's target as the user wrote it, for the failure messages. */
  readonly labels: readonly string[];
  /** Copies of the module each worker loads: a slow load is explained by them. */
  readonly copies: number;
}

/** What the session does after a look. */
export type WatchdogAction =
  /** The slot holding the first-call turn is gone: the turn passes on. */
  | { readonly kind: "pass-probe"; readonly slot: number }
  /** The worker misbehaved: it leaves the ring with this failure. */
  | { readonly kind: "terminate"; readonly slot: number; readonly failure: Failure }
  /** Every slot has loaded (or left): the first turn is handed out. */
  | { readonly kind: "start-turns" }
  /** Sampling has had its time and cycles: every worker stops. */
  | { readonly kind: "stop" };

/** The watchdog before its first look, at `now`. */
export function initialWatchdog(now: number): WatchdogState {
  return { started: now, lastStep: -1, lastProgress: now, samplingSince: 0, samplingStep: 0, probing: -1, probingSince: now, memoryAlarmArmed: true };
}

/** A look's outcome: what to remember and what to do, in order. */
export interface WatchdogLook {
  readonly state: WatchdogState;
  readonly actions: WatchdogAction[];
}

/**
 * Whether resident memory is over the limit in a way that blames someone: over it, with
 * the alarm armed. Memory back under the limit re-arms the alarm.
 */
function memoryAlarm(state: WatchdogState, reading: SessionReading, limits: WatchdogLimits): { over: boolean; state: WatchdogState } {
  const over = reading.rssBytes > limits.maxMemoryMb * 1024 * 1024;
  const armed = over ? state.memoryAlarmArmed : true;
  return { over: over && armed, state: armed === state.memoryAlarmArmed ? state : { ...state, memoryAlarmArmed: armed } };
}

function memoryFailure(limits: WatchdogLimits, slot: number, when: string): Failure {
  return { kind: "memory", message: `${limits.labels[slot]}: exhausted memory ${when} (over ${limits.maxMemoryMb} MiB resident, --max-memory); the worker was terminated` };
}

/** Terminating for memory disarms the alarm until memory comes back under the limit. */
function terminateForMemory(state: WatchdogState, limits: WatchdogLimits, slot: number, when: string): { state: WatchdogState; action: WatchdogAction } {
  return { state: { ...state, memoryAlarmArmed: false }, action: { kind: "terminate", slot, failure: memoryFailure(limits, slot, when) } };
}

/**
 * Before the turns start: modules import in parallel, then first calls go one slot at a
 * time (the probe turn). A first call or an import past the timeout, or memory over the
 * limit, terminates the slot it is blamed on; once no slot is still loading, turns start.
 */
export function watchLoading(previous: WatchdogState, reading: SessionReading, limits: WatchdogLimits): WatchdogLook {
  const { now, probeTurn, slots } = reading;
  const k = slots.length;
  let state = previous;
  if (probeTurn !== state.probing) state = { ...state, probing: probeTurn, probingSince: now };
  const prober = slots[probeTurn];
  if (prober && (prober.settled || prober.state === SlotState.gone)) return { state, actions: [{ kind: "pass-probe", slot: probeTurn }] };
  const probingLive = prober !== undefined && prober.imported && !prober.settled;
  if (probingLive && now - state.probingSince > limits.timeoutMs) {
    const message = `${limits.labels[probeTurn]}: its first call did not return within ${limits.timeoutMs} ms (--timeout); the worker was terminated`;
    return { state, actions: [{ kind: "terminate", slot: probeTurn, failure: { kind: "timeout", message } }] };
  }
  const alarm = memoryAlarm(state, reading, limits);
  state = alarm.state;
  if (alarm.over && probingLive) {
    const blamed = terminateForMemory(state, limits, probeTurn, "in its first call");
    return { state: blamed.state, actions: [blamed.action] };
  }
  // Each copy evaluates the module again, so a slow top-level takes copies times as long.
  const copiesNote = limits.copies > 1 ? `; each worker loads it ${limits.copies} times (--copies ${limits.copies}), --copies 1 loads it once` : "";
  const actions: WatchdogAction[] = [];
  let pending = false;
  for (let i = 0; i < k; i++) {
    if (slots[i]!.state !== SlotState.loading || slots[i]!.settled) continue;
    pending = true;
    if (slots[i]!.imported) continue;
    if (alarm.over) {
      const blamed = terminateForMemory(state, limits, i, "while being imported");
      state = blamed.state;
      actions.push(blamed.action);
    } else if (now - state.started > limits.timeoutMs) {
      const message = `${limits.labels[i]}: its module did not finish loading within ${limits.timeoutMs} ms (--timeout)${copiesNote}`;
      actions.push({ kind: "terminate", slot: i, failure: { kind: "timeout", message } });
    }
  }
  if (!pending) return { state: { ...state, lastProgress: now }, actions: [{ kind: "start-turns" }] };
  return { state, actions };
}

/**
 * While the slots take turns: a turn whose heartbeat stands still past the timeout, or
 * memory over the limit, terminates the slot holding the turn; sampling stops once it has
 * had its time and every slot its fewest cycles.
 */
export function watchMeasuring(previous: WatchdogState, reading: SessionReading, limits: WatchdogLimits): WatchdogLook {
  const { now, turn, step } = reading;
  let state = previous;
  if (step !== state.lastStep) state = { ...state, lastStep: step, lastProgress: now };
  else if (now - state.lastProgress > limits.timeoutMs) {
    const message = `${limits.labels[turn]}: one batch of calls ran longer than ${limits.timeoutMs} ms (--timeout); the worker was terminated`;
    // The clock restarts: the next slot's turn is timed afresh.
    return { state: { ...state, lastProgress: now }, actions: [{ kind: "terminate", slot: turn, failure: { kind: "timeout", message } }] };
  }
  const alarm = memoryAlarm(state, reading, limits);
  state = alarm.state;
  if (alarm.over) {
    const blamed = terminateForMemory(state, limits, turn, "while measured");
    return { state: blamed.state, actions: [blamed.action] };
  }
  if (reading.samplingFromCycle >= 0 && state.samplingSince === 0) state = { ...state, samplingSince: now, samplingStep: step };
  const sampledEnough = state.samplingSince > 0 && now - state.samplingSince >= limits.samplingMs && (step - state.samplingStep) / reading.slots.length >= limits.minCycles;
  return { state, actions: sampledEnough ? [{ kind: "stop" }] : [] };
}

/** One look of the watchdog, whichever phase the session is in; nothing to do once stopped. */
export function watch(state: WatchdogState, reading: SessionReading, limits: WatchdogLimits): WatchdogLook {
  if (reading.turn === Turn.waiting) return watchLoading(state, reading, limits);
  if (reading.turn === Turn.stop) return { state, actions: [] };
  return watchMeasuring(state, reading, limits);
}
