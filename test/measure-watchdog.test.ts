/**
 * The session watchdog's decisions on made-up readings: which worker it terminates and
 * why, when the turns start, when sampling stops. No worker runs.
 */
import { describe, expect, test } from "bun:test";
import { SlotState, Turn } from "../src/measure/protocol.ts";
import { initialWatchdog, watch, type SessionReading, type SlotReading, type WatchdogLimits, type WatchdogState } from "../src/measure/watchdog.ts";

const MiB = 1024 * 1024;
const limits: WatchdogLimits = { timeoutMs: 1000, maxMemoryMb: 100, samplingMs: 500, minCycles: 3, labels: ["a.ts#f", "b.ts#f"], copies: 1 };
const loading: SlotReading = { state: SlotState.loading, settled: false, imported: false };
const imported: SlotReading = { ...loading, imported: true };
const warm: SlotReading = { state: SlotState.warm, settled: false, imported: true };

function reading(fields: Partial<SessionReading>): SessionReading {
  return { now: 0, turn: Turn.waiting, probeTurn: 0, step: 0, samplingFromCycle: -1, slots: [loading, loading], rssBytes: 10 * MiB, ...fields };
}

/** The watchdog after looks at each reading in turn, with every action of the last. */
function after(readings: SessionReading[], options: { limits?: WatchdogLimits; state?: WatchdogState } = {}) {
  let state = options.state ?? initialWatchdog(0);
  let actions: ReturnType<typeof watch>["actions"] = [];
  for (const r of readings) ({ state, actions } = watch(state, r, options.limits ?? limits));
  return { state, actions };
}

describe("while the workers load", () => {
  test("nothing happens while every module imports within the timeout", () => {
    expect(after([reading({ now: 999 })]).actions).toEqual([]);
  });

  test("a module still importing past the timeout is terminated, and every such module is", () => {
    const { actions } = after([reading({ now: 1001 })]);
    expect(actions).toEqual([
      { kind: "terminate", slot: 0, failure: { kind: "timeout", message: "a.ts#f: its module did not finish loading within 1000 ms (--timeout)" } },
      { kind: "terminate", slot: 1, failure: { kind: "timeout", message: "b.ts#f: its module did not finish loading within 1000 ms (--timeout)" } },
    ]);
  });

  test("a slow load with several copies says the copies are why and how to load once", () => {
    const { actions } = after([reading({ now: 1001, slots: [loading] })], { limits: { ...limits, copies: 4 } });
    expect(actions[0]).toMatchObject({ kind: "terminate", failure: { message: "a.ts#f: its module did not finish loading within 1000 ms (--timeout); each worker loads it 4 times (--copies 4), --copies 1 loads it once" } });
  });

  test("a first call that does not return within the timeout is blamed on the slot making it alone", () => {
    const look = after([reading({ now: 10, slots: [imported, loading] }), reading({ now: 1011, slots: [imported, loading] })]);
    expect(look.actions).toEqual([
      { kind: "terminate", slot: 0, failure: { kind: "timeout", message: "a.ts#f: its first call did not return within 1000 ms (--timeout); the worker was terminated" } },
    ]);
  });

  test("the first-call clock starts when the probe turn reaches the slot, not when the session started", () => {
    const look = after([reading({ now: 900, probeTurn: 1, slots: [warm, imported] }), reading({ now: 1500, probeTurn: 1, slots: [warm, imported] })]);
    expect(look.actions).toEqual([]);
  });

  test("memory over the limit during a first call terminates the slot making it, not the ones importing", () => {
    const { actions } = after([reading({ now: 10, slots: [imported, loading], rssBytes: 101 * MiB })]);
    expect(actions).toEqual([
      {
        kind: "terminate",
        slot: 0,
        failure: { kind: "memory", message: "a.ts#f: exhausted memory in its first call (over 100 MiB resident, --max-memory); the worker was terminated" },
      },
    ]);
  });

  test("memory over the limit while nobody makes a first call terminates every module still importing", () => {
    const { actions } = after([reading({ now: 10, probeTurn: 2, rssBytes: 101 * MiB })]);
    expect(actions.map((a) => a.kind === "terminate" && a.failure.message)).toEqual([
      "a.ts#f: exhausted memory while being imported (over 100 MiB resident, --max-memory); the worker was terminated",
      "b.ts#f: exhausted memory while being imported (over 100 MiB resident, --max-memory); the worker was terminated",
    ]);
  });

  test("a slot that left while holding the first-call turn passes the turn on", () => {
    const gone: SlotReading = { state: SlotState.gone, settled: false, imported: true };
    expect(after([reading({ slots: [gone, loading] })]).actions).toEqual([{ kind: "pass-probe", slot: 0 }]);
  });

  test("once no slot is loading the turns start and the batch clock starts with them", () => {
    const look = after([reading({ now: 40, probeTurn: 2, slots: [warm, warm] })]);
    expect(look.actions).toEqual([{ kind: "start-turns" }]);
    expect(look.state.lastProgress).toBe(40);
  });
});

describe("while the workers take turns", () => {
  const turning = (fields: Partial<SessionReading>) => reading({ turn: 0, probeTurn: 2, slots: [warm, warm], ...fields });

  test("a turn whose heartbeat stands still past the timeout terminates the slot holding it", () => {
    const { actions } = after([turning({ now: 0, step: 7 }), turning({ now: 1001, step: 7, turn: 1 })]);
    expect(actions).toEqual([
      { kind: "terminate", slot: 1, failure: { kind: "timeout", message: "b.ts#f: one batch of calls ran longer than 1000 ms (--timeout); the worker was terminated" } },
    ]);
  });

  test("after a batch timeout the next slot's turn is timed afresh", () => {
    const look = after([turning({ now: 0, step: 7 }), turning({ now: 1001, step: 7 }), turning({ now: 1500, step: 7 })]);
    expect(look.actions).toEqual([]);
  });

  test("a moving heartbeat keeps every slot alive however long the session runs", () => {
    const readings = Array.from({ length: 5 }, (_, i) => turning({ now: i * 900, step: i }));
    expect(after(readings).actions).toEqual([]);
  });

  test("memory over the limit while measured terminates the slot holding the turn", () => {
    const { actions } = after([turning({ turn: 1, rssBytes: 200 * MiB })]);
    expect(actions).toEqual([
      { kind: "terminate", slot: 1, failure: { kind: "memory", message: "b.ts#f: exhausted memory while measured (over 100 MiB resident, --max-memory); the worker was terminated" } },
    ]);
  });

  test("after a memory termination nobody else is blamed until memory comes back under the limit", () => {
    const over = 200 * MiB;
    const first = after([turning({ turn: 1, step: 1, rssBytes: over })]);
    const stillOver = watch(first.state, turning({ turn: 0, step: 2, rssBytes: over }), limits);
    expect(stillOver.actions).toEqual([]);
    const under = watch(stillOver.state, turning({ turn: 0, step: 3, rssBytes: 10 * MiB }), limits);
    const overAgain = watch(under.state, turning({ turn: 0, step: 4, rssBytes: over }), limits);
    expect(overAgain.actions).toMatchObject([{ kind: "terminate", slot: 0, failure: { kind: "memory" } }]);
  });

  test("sampling stops once it has had its time and every slot its fewest cycles", () => {
    const look = after([turning({ now: 100, step: 10, samplingFromCycle: 5 }), turning({ now: 600, step: 16, samplingFromCycle: 5 })]);
    expect(look.actions).toEqual([{ kind: "stop" }]);
  });

  test("sampling goes on past its time until every slot had its fewest cycles", () => {
    const look = after([turning({ now: 100, step: 10, samplingFromCycle: 5 }), turning({ now: 5000, step: 15, samplingFromCycle: 5 })]);
    expect(look.actions).toEqual([]);
  });

  test("warm-up does not count towards the sampling time", () => {
    const look = after([turning({ now: 100, step: 10 }), turning({ now: 5000, step: 100 })]);
    expect(look.actions).toEqual([]);
    expect(look.state.samplingSince).toBe(0);
  });

  test("once stopped the watchdog does nothing", () => {
    expect(after([reading({ turn: Turn.stop, now: 99_999, rssBytes: 999 * MiB })]).actions).toEqual([]);
  });
});
