import { describe, expect, test } from "bun:test";
import { precisionReached, relativeHalfWidth, absoluteResolutionNs, roundsForPrecision, roundsLimit, type TargetStats } from "../src/benchmark/summarize.ts";
import { needsAnotherRound } from "../src/benchmark/run-bench.ts";
import { benchSettings, defaultMaxRounds } from "../src/settings/options.ts";
import { xloop } from "./helpers.ts";

const sumTo = "test/fixtures/targets.ts#sumTo";
// ~25 µs a call: half a nanosecond is 0.002% of it, so only the relative goal can stop the rounds.
const short = ["--args", "[20000]", "--json", "--time", "0.1"];

describe("the precision goal that decides when bench stops adding fresh workers", () => {
  test("a median whose CI spans at most the goal is known; a wider one is not", () => {
    expect(relativeHalfWidth({ median: 100, ci: [99, 101] })).toBeCloseTo(0.01, 12);
    expect(precisionReached({ median: 100, ci: [99, 101] }, 0.01)).toBe(true);
    expect(precisionReached({ median: 100, ci: [98, 102.5] }, 0.02)).toBe(false);
  });

  test("near zero nanoseconds the half-nanosecond resolution decides, not the percentage", () => {
    // An optimised-away target: ±200% of its median, yet known to a fraction of a nanosecond.
    expect(precisionReached({ median: 0.1, ci: [-0.1, 0.3] }, 0.01)).toBe(true);
    expect(precisionReached({ median: 0.1, ci: [-1, 1.2] }, 0.01)).toBe(false);
    expect(absoluteResolutionNs).toBe(0.5);
  });
});

describe("how many rounds a missed goal would take", () => {
  test("a CI twice as wide as the goal needs about four times the rounds, since width falls as one over the square root", () => {
    expect(roundsForPrecision(40, 0.04, 0.02)).toBe(160);
    expect(roundsForPrecision(10, 0.03, 0.02)).toBe(23);
  });

  test("a width just over the goal still asks for at least one more round", () => {
    expect(roundsForPrecision(10, 0.0201, 0.02)).toBe(11);
  });

  test("a goal beyond what --max-rounds accepts, or an unknown width, gives no number", () => {
    expect(roundsForPrecision(40, 1, 0.000001)).toBeNull();
    expect(roundsForPrecision(10, Number.NaN, 0.02)).toBeNull();
    expect(roundsForPrecision(roundsLimit, 0.03, 0.02)).toBeNull();
  });
});

describe("whether a target gets another round of fresh workers", () => {
  const wide = () => ({ median: 100, ci: [95, 105] }) as TargetStats;
  const narrow = () => ({ median: 100, ci: [99.5, 100.5] }) as TargetStats;
  const adaptive = { rounds: 10, precision: 0.02, maxRounds: 40 };

  test("every target runs --rounds first, however precise it already is", () => {
    expect(needsAnotherRound(9, adaptive, narrow)).toBe(true);
  });

  test("after --rounds, only a target whose CI is still wider than the goal goes on", () => {
    expect(needsAnotherRound(10, adaptive, wide)).toBe(true);
    expect(needsAnotherRound(10, adaptive, narrow)).toBe(false);
  });

  test("no target goes past --max-rounds", () => {
    expect(needsAnotherRound(40, adaptive, wide)).toBe(false);
  });

  test("without a goal, exactly --rounds", () => {
    expect(needsAnotherRound(10, { rounds: 10 }, wide)).toBe(false);
    expect(needsAnotherRound(10, { rounds: 10, precision: 0, maxRounds: 40 }, wide)).toBe(false);
  });

  test("a target without usable samples yet keeps going until the limit", () => {
    expect(needsAnotherRound(12, adaptive, () => null)).toBe(true);
  });
});

describe("how many rounds a goal may take when --max-rounds is not given", () => {
  test("four times --rounds at the default ±2%", () => {
    expect(defaultMaxRounds(10, 0.02)).toBe(40);
    expect(benchSettings({}).maxRounds).toBe(40);
  });

  test("a goal half as wide may take four times as many rounds, as a CI narrows with the square root", () => {
    expect(defaultMaxRounds(10, 0.01)).toBe(160);
    expect(benchSettings({ precision: 0.01 }).maxRounds).toBe(160);
    expect(benchSettings({ precision: 0.01, rounds: 20 }).maxRounds).toBe(320);
  });

  test("a looser goal keeps four times --rounds, and no goal passes the rounds limit", () => {
    expect(defaultMaxRounds(10, 0.05)).toBe(40);
    expect(defaultMaxRounds(10, 0.001)).toBe(roundsLimit);
    expect(defaultMaxRounds(roundsLimit, 0.02)).toBe(roundsLimit);
  });

  test("an explicit --max-rounds wins over the default", () => {
    expect(benchSettings({ precision: 0.01, maxRounds: 50 }).maxRounds).toBe(50);
  });
});

describe("xloop bench --precision and --max-rounds", () => {
  test("an unreachable goal runs exactly --max-rounds rounds of fresh workers and says it was not reached", () => {
    const run = xloop(["bench", sumTo, ...short, "--rounds", "2", "--max-rounds", "4", "--precision", "0.000001"]);
    expect(run.code).toBe(0);
    const [result] = JSON.parse(run.stdout).results;
    expect(result.rounds).toBe(4);
    expect(result.stats.workers).toBe(4);
    expect(result.stats.workerMedians).toHaveLength(4);
    expect(result.precision.goal).toBe(0.000001);
    expect(result.precision.reached).toBe(false);
    expect(result.precision.halfWidth).toBeGreaterThan(0.000001);
    expect(result.precision.roundsNeeded).toBeNull();
  });

  test("a goal met after --rounds stops there", () => {
    const run = xloop(["bench", sumTo, ...short, "--rounds", "2", "--max-rounds", "6", "--precision", "0.9"]);
    expect(run.code).toBe(0);
    const [result] = JSON.parse(run.stdout).results;
    expect(result.rounds).toBe(2);
    expect(result.precision.reached).toBe(true);
    expect(result.precision.halfWidth).toBeLessThanOrEqual(0.9);
    expect(result.precision.roundsNeeded).toBeNull();
  });

  test("the human report says how many workers each target took and which missed the goal", () => {
    const run = xloop(["bench", sumTo, "--args", "[20000]", "--time", "0.1", "--rounds", "2", "--max-rounds", "3", "--precision", "0.000001"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`3 fresh workers per target, each taking turns with 8 copies of its target; still wider than ±0.0001% after the last round: ${sumTo} (±`);
    expect(run.stdout).toContain("more than 1000 rounds would be needed: compare versions with `xloop ab` instead)");
  });

  test("--precision 0 runs exactly --rounds and reports no goal", () => {
    const run = xloop(["bench", sumTo, ...short, "--rounds", "3", "--precision", "0"]);
    expect(run.code).toBe(0);
    const [result] = JSON.parse(run.stdout).results;
    expect(result.rounds).toBe(3);
    expect(result.precision.goal).toBeNull();
    expect(result.precision.reached).toBeNull();
  });

  test("with several targets, each gets the added rounds it needs", () => {
    const run = xloop(["bench", sumTo, "test/fixtures/targets.ts#sumToTwice", ...short, "--rounds", "2", "--max-rounds", "3", "--precision", "0.000001"]);
    expect(run.code).toBe(0);
    const results = JSON.parse(run.stdout).results;
    expect(results.map((r: { rounds: number }) => r.rounds)).toEqual([3, 3]);
  });

  test("a --max-rounds below --rounds is a usage error in one line naming both", () => {
    const bad = xloop(["bench", sumTo, ...short, "--rounds", "4", "--max-rounds", "2"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("--max-rounds");
    expect(bad.stderr).toContain("--rounds (4)");
  });

  test("a percentage given as --precision is refused with what to write instead", () => {
    const bad = xloop(["bench", sumTo, ...short, "--precision", "2"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--precision");
    expect(bad.stderr).toContain("0.01");
    expect(bad.stderr).not.toContain("    at ");
  });
});

describe("xloop bench on a target whose fresh workers run at two speeds", () => {
  test("says so, with the two speeds and how many workers ran at each", () => {
    // One copy a worker: the fixture draws its speed per module instance, so copies would average the two.
    const run = xloop(["bench", "test/fixtures/targets.ts#twoSpeeds", "--args", "[20000]", "--json", "--time", "0.6", "--rounds", "30", "--precision", "0", "--copies", "1"]);
    expect(run.code).toBe(0);
    const [result] = JSON.parse(run.stdout).results;
    const warning = result.warnings.find((w: { code: string }) => w.code === "two-speeds");
    expect(warning).toBeDefined();
    const counts = [...warning.message.matchAll(/\((\d+) of 30\)/g)].map((m) => Number(m[1]));
    expect(counts).toHaveLength(2);
    expect(counts[0] + counts[1]).toBe(30);
  });
  // That one spread is not called two speeds is tested on controlled data in
  // test/stats-speed-modes.test.ts: a real run on this shared machine can meet a
  // slow phase that truly splits its workers.
});
