import { describe, expect, test } from "bun:test";
import { isDrifting, serialCorrelation, serialWidening } from "../src/stats/serial.ts";
import { bootstrapCI } from "../src/stats/bootstrap.ts";
import { seededRandom } from "../src/stats/random.ts";
import { acrossWorkers, targetStats, warningsFor, type ReplicateSamples } from "../src/benchmark/summarize.ts";
import { targetFacts } from "./fixtures/target-facts.ts";

const random = seededRandom(11);
const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());

/** A first-order autoregressive series: each value keeps `rho` of the one before. */
function drifting(rho: number, n: number): number[] {
  const values: number[] = [];
  let previous = gauss();
  for (let i = 0; i < n; i++) {
    previous = rho * previous + Math.sqrt(1 - rho * rho) * gauss();
    values.push(previous);
  }
  return values;
}

/** Share of trials whose interval for `statistic` (bench's rule across workers) covers the true centre, 0. */
function coverage(rho: number, n: number, trials: number, widen: boolean, statistic = acrossWorkers(1)): number {
  let covered = 0;
  for (let t = 0; t < trials; t++) {
    const values = drifting(rho, n);
    const estimate = statistic(values);
    const [low, high] = bootstrapCI(values, statistic, { expand: true, seed: t + 1, resamples: 1000 });
    const factor = widen ? serialWidening(serialCorrelation(values)) : 1;
    if (estimate - (estimate - low) * factor <= 0 && estimate + (high - estimate) * factor >= 0) covered++;
  }
  return covered / trials;
}

describe("workers that ran alike one after the other", () => {
  test("independent values have a serial correlation near zero and an interval widened by little", () => {
    const correlations = Array.from({ length: 300 }, () => serialCorrelation(drifting(0, 40))!);
    const average = correlations.reduce((a, b) => a + b) / correlations.length;
    expect(Math.abs(average)).toBeLessThan(0.03);
    const widening = correlations.map(serialWidening).reduce((a, b) => a + b) / correlations.length;
    expect(widening).toBeLessThan(1.12);
  });

  test("a drifting series is recognised, and widening brings its interval back near 95%", () => {
    const plain = coverage(0.3, 40, 300, false);
    const widened = coverage(0.3, 40, 300, true);
    expect(plain).toBeLessThan(0.91);
    expect(widened).toBeGreaterThan(0.91);
    expect(widened - plain).toBeGreaterThan(0.025);
  });

  test("the median that workers with several copies are combined by is widened as well", () => {
    const median = acrossWorkers(4);
    expect(coverage(0.3, 40, 300, true, median)).toBeGreaterThan(0.91);
    expect(coverage(0.3, 40, 300, true, median) - coverage(0.3, 40, 300, false, median)).toBeGreaterThan(0.025);
  });

  test("independent values keep at least their nominal coverage", () => {
    expect(coverage(0, 20, 300, true)).toBeGreaterThan(0.94);
    expect(coverage(0, 20, 300, true, acrossWorkers(4))).toBeGreaterThan(0.94);
  });

  test("too few values give no estimate and no widening", () => {
    expect(serialCorrelation([1, 2, 3, 4, 5])).toBeNull();
    expect(serialWidening(null)).toBe(1);
    expect(serialWidening(-0.4)).toBe(1);
  });

  test("a correlation is called drift only beyond two standard errors and from 20 workers on", () => {
    expect(isDrifting(0.5, 19)).toBe(false);
    expect(isDrifting(0.3, 40)).toBe(false);
    expect(isDrifting(0.35, 40)).toBe(true);
  });
});

describe("the drift warning", () => {
  const worker = (ns: number): ReplicateSamples => ({ perCall: [ns * 0.99, ns, ns * 1.01], harnessPerCall: 1, rawMedian: ns + 1, batch: 100, cycles: [], copies: [] });
  const facts = targetFacts();
  const warn = (medians: number[]) => {
    const replicates = medians.map(worker);
    const stats = targetStats(replicates);
    return { stats, codes: warningsFor({ stats, replicates, facts, warmupStable: true, loadAverage: 0, cores: 2, rounds: replicates.length }).map((w) => w.code) };
  };

  test("workers slowing steadily over the run are reported as drift, with a wider interval", () => {
    const slowing = Array.from({ length: 30 }, (_, i) => 2000 * (1 + i * 0.002) * (1 + 0.004 * gauss()));
    const shuffled = [...slowing];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const drift = warn(slowing);
    const steady = warn(shuffled);
    expect(drift.codes).toContain("drift");
    expect(steady.codes).not.toContain("drift");
    expect(drift.stats.serialCorrelation!).toBeGreaterThan(0.5);
    expect(drift.stats.ci[1] - drift.stats.ci[0]).toBeGreaterThan(steady.stats.ci[1] - steady.stats.ci[0]);
  });
});
