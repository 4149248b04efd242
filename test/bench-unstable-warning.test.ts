import { describe, expect, test } from "bun:test";
import { relativeHalfWidth, roundsForPrecision, roundsLimit, targetStats, unstableHalfWidth, warningsFor, type ReplicateSamples } from "../src/benchmark/summarize.ts";
import { targetFacts } from "./fixtures/target-facts.ts";

const worker = (ns: number): ReplicateSamples => ({ perCall: [ns * 0.99, ns, ns * 1.01], harnessPerCall: 1, rawMedian: ns + 1, batch: 100, cycles: [], copies: [] });
const facts = targetFacts();

function unstableWarning(medians: number[]) {
  const replicates = medians.map(worker);
  const stats = targetStats(replicates);
  const warning = warningsFor({ stats, replicates, facts, warmupStable: true, loadAverage: 0, cores: 2, rounds: medians.length }).find((w) => w.code === "unstable");
  return { stats, warning };
}

describe("the unstable warning", () => {
  test("workers that agree within a percent earn no unstable warning", () => {
    const { warning } = unstableWarning([1000, 1004, 996, 1002, 998, 1001, 999, 1003, 997, 1000]);
    expect(warning).toBeUndefined();
  });

  test("a wide interval names the rounds it ran and how many would bring it within ±3%", () => {
    const { stats, warning } = unstableWarning([1000, 1150, 900, 1080, 930, 1120, 880, 1050, 960, 1100]);
    expect(relativeHalfWidth(stats)).toBeGreaterThan(unstableHalfWidth);
    const needed = roundsForPrecision(10, relativeHalfWidth(stats), unstableHalfWidth)!;
    expect(needed).toBeGreaterThan(10);
    expect(warning!.message).toContain("after 10 rounds");
    expect(warning!.message).toContain(`about ${needed} would bring it within ±3% (--rounds ${needed})`);
  });

  test("an interval no affordable number of rounds could narrow says so and points to ab", () => {
    const { warning } = unstableWarning([1000, 3000, 400, 2500, 600, 2800, 350, 2000, 700, 3200]);
    expect(warning!.message).toContain(`more than ${roundsLimit} rounds would be needed`);
    expect(warning!.message).toContain("xloop ab");
    expect(warning!.message).not.toContain("--rounds");
  });
});
