import { describe, expect, test } from "bun:test";
import { renderBenchHuman } from "../src/output/bench-report.ts";
import type { TargetResult } from "../src/benchmark/summarize.ts";
import type { Terminal } from "../src/format/terminal.ts";

const plain: Terminal = { color: false, interactive: false, status() {}, progress() {}, clearProgress() {} } as Terminal;

/** A measured result as bench reports it, with only what the report reads filled in. */
function measured(target: string, halfWidth: number, reached: boolean, roundsNeeded: number | null): TargetResult {
  const median = 180_000;
  return {
    target,
    ok: true,
    stats: {
      min: 150_000, median, mean: 185_000, p75: 190_000, p99: 230_000, max: 300_000, stdev: 9_000, mad: 6_000,
      ci: [median * (1 - halfWidth), median * (1 + halfWidth)], workers: 40, workerMedians: [], serialCorrelation: 0.1,
      opsPerSecond: 1e9 / median, samples: 4_000, outliers: { low: 0, high: 3, severe: 1, fences: [140_000, 230_000] },
    },
    batch: 5,
    rounds: 40,
    precision: { goal: 0.02, halfWidth, reached, roundsNeeded },
    pin: { cpu: 1, method: "sched_setaffinity" },
    facts: { pin: { cpu: 1, method: "sched_setaffinity" }, isAsync: false, mutatesArgs: false, clonesArgs: false, cases: 1, clock: "hrtime", clockCostNs: 20, copies: { asked: 1, made: 1 } },
    harnessPerCall: 2,
    warnings: [],
  } as TargetResult;
}

describe("the human bench report's line about fresh workers and the precision goal", () => {
  test("a target that missed its goal is named with its width and the --max-rounds that would meet it", () => {
    const out = renderBenchHuman([measured("lib/sieve.ts#sieve", 0.037, false, 137), measured("lib/hash.ts#hash", 0.01, true, null)], plain, "bun 1.4.5");
    expect(out).toContain("still wider than ±2% after the last round: lib/sieve.ts#sieve (±3.7%; about 137 rounds would reach it: --max-rounds 137)");
    expect(out).not.toContain("lib/hash.ts#hash (");
  });

  test("when every target met its goal, the line says so and proposes nothing", () => {
    const out = renderBenchHuman([measured("lib/hash.ts#hash", 0.01, true, null)], plain, "bun 1.4.5");
    expect(out).toContain("40 fresh workers per target; each median within ±2%");
    expect(out).not.toContain("--max-rounds");
  });
});
