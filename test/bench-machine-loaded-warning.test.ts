import { describe, expect, test } from "bun:test";
import { targetStats, warningsFor, type ReplicateSamples } from "../src/benchmark/summarize.ts";
import { targetFacts } from "./fixtures/target-facts.ts";

const worker = (ns: number): ReplicateSamples => ({ perCall: [ns - 0.01, ns, ns + 0.01], harnessPerCall: 1, rawMedian: ns + 1, batch: 1000, cycles: [], copies: [] });

function loadedWarning(interleavedPairs: boolean): string | undefined {
  const replicates = [100, 101, 99, 100.5].map(worker);
  const stats = targetStats(replicates);
  return warningsFor({ stats, replicates, facts: targetFacts(), warmupStable: true, loadAverage: 3.9, cores: 2, rounds: 4, interleavedPairs }).find((w) => w.code === "machine-loaded")?.message;
}

describe("the machine-loaded warning", () => {
  test("in bench and in ab it points to xloop doctor, which shows what else runs and how to quiet the machine", () => {
    for (const pairs of [false, true]) expect(loadedWarning(pairs)).toEndWith("; `xloop doctor` shows what else is running and how to quiet the machine");
  });
});
