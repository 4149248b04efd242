import { describe, expect, test } from "bun:test";
import { groupByCopy, medianAcrossCopies, warmupAcrossCopies } from "../src/stats/copies.ts";
import { roundRatio } from "../src/ab/round-ratio.ts";
import type { WorkerReport } from "../src/measure/protocol.ts";

describe("figures over copies of a target", () => {
  test("samples are grouped by the copy that ran them, in copy order", () => {
    expect(groupByCopy([10, 20, 11, 21, 12], [0, 1, 0, 1, 0])).toEqual([[10, 11, 12], [20, 21]]);
    expect(groupByCopy([5, 6], [])).toEqual([[5, 6]]);
  });

  test("every copy counts once in a worker's median, however many samples it has", () => {
    // Copy 0 at 100 ns with five samples, copy 1 at 200 ns with one: 150, not the pooled median 100.
    expect(medianAcrossCopies([100, 100, 100, 100, 100, 200], [0, 0, 0, 0, 0, 1])).toBe(150);
  });

  test("a copy the JIT left unoptimised is left out of a worker's median", () => {
    // Four copies of an empty loop, one unoptimised; the harness (0.8 ns) was subtracted.
    expect(medianAcrossCopies([0, 0, 7.1, 0, 0, 0, 7.1, 0], [0, 1, 2, 3, 0, 1, 2, 3], 0.8)).toBeCloseTo(0, 10);
  });

  test("copies in different speed modes all count in a worker's median", () => {
    // sieve200us: copies at ~160, ~165, ~170 and ~190 µs are placement luck, averaged.
    expect(medianAcrossCopies([160, 165, 170, 190], [0, 1, 2, 3])).toBeCloseTo(171.25, 10);
  });

  test("copies split evenly into two speeds far apart are averaged, neither half dropped", () => {
    // Two copies at 100 ns and two at 400 ns: no copy lies near their midpoint of 250.
    expect(medianAcrossCopies([100, 100, 400, 400], [0, 1, 2, 3])).toBe(250);
    expect(medianAcrossCopies([100, 100, 300, 300], [0, 1, 2, 3])).toBe(200);
  });

  test("one copy gives the plain median", () => {
    expect(medianAcrossCopies([3, 1, 2], [0, 0, 0])).toBe(2);
    expect(medianAcrossCopies([3, 1, 2], [])).toBe(2);
  });

  test("warm-up figures average each full turn of the copies and ignore an unfinished turn", () => {
    expect(warmupAcrossCopies([[10, 8, 6], [20, 16]])).toEqual([15, 12]);
    expect(warmupAcrossCopies([[4, 2]])).toEqual([4, 2]);
  });
});

function report(totals: number[], copies: number[]): WorkerReport {
  return {
    slot: 0,
    batch: 1,
    cycles: totals.map((_, i) => i),
    copies,
    totals,
    harnessTotals: totals.map(() => 0),
    warmup: { slices: 0, stable: true },
    facts: { pin: { cpu: null, method: "none" }, isAsync: false, mutatesArgs: false, clonesArgs: false, cases: 1, clock: "test", clockCostNs: 0, copies: { asked: 2, made: 2 } },
  };
}

describe("ab's round ratio over copies", () => {
  test("each pairing of copies gets its own median and the pairings are averaged geometrically", () => {
    // Copy 0 pairs at ratio 1.0 in four cycles, copy 1 at 1.21 in two: sqrt(1.21) = 1.1, not the pooled median 1.0.
    const base = report([100, 100, 100, 100, 100, 100], [0, 0, 0, 0, 1, 1]);
    const head = report([100, 100, 100, 100, 121, 121], [0, 0, 0, 0, 1, 1]);
    expect(roundRatio(base, head)).toBeCloseTo(1.1, 10);
  });

  test("one copy on each side gives the plain median of the cycle ratios", () => {
    const base = report([100, 100, 100], [0, 0, 0]);
    const head = report([110, 120, 130], [0, 0, 0]);
    expect(roundRatio(base, head)).toBeCloseTo(1.2, 10);
  });
});
