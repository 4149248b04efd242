import { describe, expect, test } from "bun:test";
import { mean, median, quantile, stdev, tukeyOutliers, medianAbsoluteDeviation, geometricMean, trimmedMean } from "../src/stats/descriptive.ts";
import { targetStats, warningsFor } from "../src/benchmark/summarize.ts";
import { tQuantile, tTwoSidedP } from "../src/stats/student-t.ts";
import { signedRank, signedRankCdf } from "../src/stats/signed-rank.ts";
import { estimateRatio } from "../src/stats/paired.ts";
import { bootstrapCI, medianInPlace } from "../src/stats/bootstrap.ts";
import { judgeInterval } from "../src/stats/verdict.ts";
import { seededRandom } from "../src/stats/random.ts";
import { lookConfidence, nextLookAt } from "../src/stats/sequential.ts";
import { targetFacts } from "./fixtures/target-facts.ts";

describe("descriptive statistics", () => {
  test("quantiles interpolate between order statistics like R's type 7", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.75)).toBe(4);
    expect(quantile([10, 20], 0.25)).toBe(12.5);
  });

  test("mean, sample stdev, MAD and geometric mean have their textbook values", () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(stdev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138, 3);
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    expect(geometricMean([1, 4, 16])).toBeCloseTo(4, 12);
  });

  test("Tukey outliers are counted on each side, never removed", () => {
    const values = [10, 10, 11, 11, 12, 12, 13, 100, -50];
    const outliers = tukeyOutliers(values);
    expect(outliers.high).toBe(1);
    expect(outliers.low).toBe(1);
    expect(outliers.severe).toBe(2);
    expect(values).toHaveLength(9);
  });
});

describe("Student's t", () => {
  test("quantiles match the tables", () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706, 2);
    expect(tQuantile(0.975, 5)).toBeCloseTo(2.571, 3);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(tQuantile(0.025, 10)).toBeCloseTo(-2.228, 3);
  });

  test("two-sided p-values match the tables", () => {
    expect(tTwoSidedP(2.228, 10)).toBeCloseTo(0.05, 3);
    expect(tTwoSidedP(0, 10)).toBeCloseTo(1, 6);
  });
});

describe("Wilcoxon signed-rank", () => {
  test("the null distribution is exact for small n", () => {
    const cdf = signedRankCdf(3);
    // W+ over {1,2,3}: sums 0,1,2,3,3,4,5,6 — each 1/8.
    expect(cdf[0]).toBeCloseTo(1 / 8, 12);
    expect(cdf[3]).toBeCloseTo(5 / 8, 12);
    expect(cdf[6]).toBeCloseTo(1, 12);
  });

  test("the Hodges–Lehmann estimate ignores a wild replicate that would drag a mean", () => {
    const values = [0.01, 0.012, 0.009, 0.011, 0.01, 0.013, 0.008, 0.2];
    const result = signedRank(values);
    expect(result.estimate).toBeGreaterThan(0.009);
    expect(result.estimate).toBeLessThan(0.013);
    expect(mean(values)).toBeGreaterThan(0.03);
    expect(result.ci[0]).toBeLessThanOrEqual(result.estimate);
    expect(result.ci[1]).toBeGreaterThanOrEqual(result.estimate);
    expect(result.p).toBeLessThan(0.01);
  });

  test("the interval covers the true shift about 95% of the time", () => {
    const random = seededRandom(7);
    let covered = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const values = Array.from({ length: 12 }, () => 0.05 + (random() + random() + random() - 1.5) * 0.02);
      const { ci } = signedRank(values);
      if (ci[0] <= 0.05 && ci[1] >= 0.05) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.92);
    expect(covered / trials).toBeLessThan(0.99);
  });
});

describe("ratio estimates and verdicts", () => {
  test("replicate ratios combine on the log scale", () => {
    const estimate = estimateRatio([0.9, 0.91, 0.89, 0.9, 0.905, 0.895]);
    expect(estimate.ratio).toBeCloseTo(0.9, 2);
    expect(estimate.ci[1]).toBeLessThan(0.92);
    expect(estimate.replicates).toBe(6);
  });

  test("a single replicate gives an unbounded interval, so no verdict can follow", () => {
    const estimate = estimateRatio([0.5]);
    expect(estimate.ci).toEqual([0, Infinity]);
    expect(judgeInterval(estimate.ci, 0.01)).toBeNull();
  });

  test("verdicts need the whole interval beyond or inside the threshold", () => {
    expect(judgeInterval([0.95, 0.98], 0.01)).toBe("faster");
    expect(judgeInterval([1.02, 1.05], 0.01)).toBe("slower");
    expect(judgeInterval([0.995, 1.004], 0.01)).toBe("same");
    expect(judgeInterval([0.985, 1.004], 0.01)).toBeNull();
    expect(judgeInterval([0.98, 0.995], 0.01)).toBeNull();
  });
});

describe("bootstrap", () => {
  test("the interval of the median is reproducible and contains it", () => {
    const random = seededRandom(1);
    const values = Array.from({ length: 200 }, () => 100 + random() * 10);
    const a = bootstrapCI(values, medianInPlace);
    const b = bootstrapCI(values, medianInPlace);
    expect(a).toEqual(b);
    expect(a[0]).toBeLessThan(median(values));
    expect(a[1]).toBeGreaterThan(median(values));
  });

  test("the interval of a mean over replicates narrows as replicates are added", () => {
    const random = seededRandom(3);
    const few = Array.from({ length: 5 }, () => 100 + random() * 10);
    const many = Array.from({ length: 80 }, () => 100 + random() * 10);
    const width = (ci: [number, number]) => ci[1] - ci[0];
    expect(width(bootstrapCI(many, (s) => mean(s)))).toBeLessThan(width(bootstrapCI(few, (s) => mean(s))));
  });
});

describe("sequential looks", () => {
  test("each look is stricter and the error spent over all looks stays within 1 - confidence", () => {
    const levels = Array.from({ length: 1000 }, (_, k) => lookConfidence(0.99, k + 1));
    expect(levels[0]).toBeCloseTo(0.995, 12);
    for (let k = 1; k < levels.length; k++) expect(levels[k]).toBeGreaterThan(levels[k - 1]);
    const spent = levels.reduce((sum, level) => sum + (1 - level), 0);
    expect(spent).toBeLessThan(0.01);
  });
});

describe("look schedule", () => {
  test("looks come at geometrically growing pair counts, so a long run makes few looks", () => {
    const schedule = [10];
    while (schedule.length < 8) schedule.push(nextLookAt(schedule[schedule.length - 1]));
    expect(schedule).toEqual([10, 15, 23, 35, 53, 80, 120, 180]);
    // Even from a tiny count the next look needs at least one more pair.
    expect(nextLookAt(1)).toBe(2);
  });
});

describe("combining fresh workers", () => {
  test("a trimmed mean drops the same share from each end and is the plain mean when that is nothing", () => {
    expect(trimmedMean([1, 2, 3, 4, 100], 0.2)).toBe(3);
    expect(trimmedMean([5, 1, 3], 0.2)).toBe(3);
    expect(trimmedMean([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000], 0.2)).toBe(5.5);
  });

  test("one worker caught in a slow phase moves the figure far less than a plain mean would", () => {
    const steady = (ns: number) => ({ perCall: Array.from({ length: 30 }, (_, i) => ns + (i % 3)), harnessPerCall: 0, rawMedian: ns, batch: 1, cycles: [], copies: [] });
    const workers = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100].map(steady);
    const quiet = targetStats(workers).median;
    const oneSlow = targetStats([...workers.slice(0, 9), steady(160)]).median;
    expect(Math.abs(oneSlow / quiet - 1)).toBeLessThan(0.01);
    // The plain mean of the worker medians would have moved by about 6%.
    expect(mean([...workers.slice(0, 9).map((w) => median(w.perCall)), 161]) / quiet - 1).toBeGreaterThan(0.05);
  });

  test("workers split between two speed modes are averaged, not resolved to one mode", () => {
    const mode = (ns: number) => ({ perCall: Array.from({ length: 30 }, () => ns), harnessPerCall: 0, rawMedian: ns, batch: 1, cycles: [], copies: [] });
    const mixed = targetStats([...Array.from({ length: 5 }, () => mode(167)), ...Array.from({ length: 5 }, () => mode(190))]).median;
    expect(mixed).toBeGreaterThan(170);
    expect(mixed).toBeLessThan(187);
  });

  test("workers that each averaged several copies are combined by their median, so a slow spell over a third of them moves it little", () => {
    const copies = [0, 1, 2, 3];
    const worker = (ns: number, copied: number[]) => ({ perCall: Array.from({ length: 32 }, (_, i) => ns + (i % 3)), harnessPerCall: 0, rawMedian: ns, batch: 1, cycles: [], copies: Array.from({ length: 32 }, (_, i) => copied[i % copied.length]) });
    const speeds = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100, 101, 99];
    const quiet = targetStats(speeds.map((ns) => worker(ns, copies))).median;
    // A spell of the host: four consecutive workers of twelve 60% slower.
    const spell = speeds.map((ns, i) => (i >= 4 && i < 8 ? ns * 1.6 : ns));
    expect(Math.abs(targetStats(spell.map((ns) => worker(ns, copies))).median / quiet - 1)).toBeLessThan(0.015);
    // One copy per worker keeps the trimmed mean, which the same spell drags by 10% or more.
    expect(targetStats(spell.map((ns) => worker(ns, [0]))).median / quiet - 1).toBeGreaterThan(0.1);
  });

  test("the two-speeds warning says how the median met the two groups: mixed them with one copy, sat in the larger group with several", () => {
    const worker = (ns: number, copied: number[]) => ({ perCall: Array.from({ length: 32 }, (_, i) => ns * (1 + ((i % 5) - 2) / 1000)), harnessPerCall: 1, rawMedian: ns + 1, batch: 100, cycles: [], copies: Array.from({ length: 32 }, (_, i) => copied[i % copied.length]) });
    const facts = targetFacts(4);
    const speeds = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 190 : 167) * (1 + ((i % 7) - 3) / 400));
    const message = (copied: number[]) => {
      const replicates = speeds.map((ns) => worker(ns, copied));
      const stats = targetStats(replicates);
      return warningsFor({ stats, replicates, facts, warmupStable: true, loadAverage: 0, cores: 2, rounds: 40 }).find((w) => w.code === "two-speeds")?.message;
    };
    expect(message([0])).toContain("the median is their mix");
    expect(message([0, 1, 2, 3])).toContain("the median lies in the larger group");
  });

  test("each fresh worker's median is reported in the order the workers ran", () => {
    const worker = (ns: number) => ({ perCall: [ns - 1, ns, ns + 5], harnessPerCall: 0, rawMedian: ns, batch: 1, cycles: [], copies: [] });
    const stats = targetStats([worker(30), worker(10), worker(20)]);
    expect(stats.workerMedians).toEqual([30, 10, 20]);
    expect(stats.workers).toBe(3);
  });
});
