import { describe, expect, test } from "bun:test";
import { Cell, SlotState, Turn, createControl, handOver, slotForStep, passProbeTurn } from "../src/measure/protocol.ts";
import { makeBatchRunner, commonArity } from "../src/measure/batch-runner.ts";

describe("the turn-taking protocol", () => {
  test("two slots alternate in ABBA order", () => {
    const order = Array.from({ length: 8 }, (_, step) => slotForStep(step, 2));
    expect(order).toEqual([0, 1, 1, 0, 0, 1, 1, 0]);
  });

  test("three slots go forward then backward", () => {
    expect(Array.from({ length: 6 }, (_, s) => slotForStep(s, 3))).toEqual([0, 1, 2, 2, 1, 0]);
  });

  test("a hand-over skips slots that left the ring", () => {
    const control = createControl(3);
    control[Cell.slotState + 1] = SlotState.gone;
    handOver(control, -1, Turn.waiting);
    expect(control[Cell.turn]).toBe(0);
    handOver(control, 0, 0);
    expect(control[Cell.turn]).toBe(2);
  });

  test("a STOP set while a slot runs is never overwritten by its hand-over", () => {
    const control = createControl(2);
    handOver(control, -1, Turn.waiting);
    control[Cell.turn] = Turn.stop;
    handOver(control, 0, 0);
    expect(control[Cell.turn]).toBe(Turn.stop);
  });

  test("when every slot is gone the turn becomes STOP", () => {
    const control = createControl(2);
    handOver(control, -1, Turn.waiting);
    control[Cell.slotState] = SlotState.gone;
    control[Cell.slotState + 1] = SlotState.gone;
    handOver(control, 0, 0);
    expect(control[Cell.turn]).toBe(Turn.stop);
  });

  test("the first-call turn passes only from its holder", () => {
    const control = createControl(2);
    passProbeTurn(control, 1);
    expect(control[Cell.probeTurn]).toBe(0);
    passProbeTurn(control, 0);
    expect(control[Cell.probeTurn]).toBe(1);
  });
});

describe("batch runners", () => {
  test("a batch makes exactly n calls, cycling through the cases", () => {
    const seen: number[] = [];
    const run = makeBatchRunner({ arity: 1, isAsync: false });
    const sink = { value: undefined as unknown };
    run((x) => seen.push(x as number), [[1], [2], [3]], 7, 1, () => 0, sink);
    expect(seen).toEqual([2, 3, 1, 2, 3, 1, 2]);
  });

  test("cases of different lengths are passed whole", () => {
    const lengths: number[] = [];
    const run = makeBatchRunner({ arity: commonArity([[1], [1, 2]]), isAsync: false });
    run((...a) => lengths.push(a.length), [[1], [1, 2]], 2, 0, () => 0, { value: undefined });
    expect(lengths).toEqual([1, 2]);
  });

  test("async runners await every call", async () => {
    let done = 0;
    const run = makeBatchRunner({ arity: 0, isAsync: true });
    await run(async () => {
      await null;
      done++;
    }, [[]], 5, 0, () => 0, { value: undefined });
    expect(done).toBe(5);
  });
});
