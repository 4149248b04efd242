import { describe, expect, test } from "bun:test";
import { binomialHalfCdf, signTest } from "../src/stats/sign-test.ts";
import { estimateRatio } from "../src/stats/paired.ts";
import { seededRandom } from "../src/stats/random.ts";

describe("the sign test's interval for a median", () => {
  test("the binomial(n, 1/2) distribution sums as the tables give it", () => {
    expect(binomialHalfCdf(10, 1)).toBeCloseTo(11 / 1024, 12);
    expect(binomialHalfCdf(10, 2)).toBeCloseTo(56 / 1024, 12);
    expect(binomialHalfCdf(10, 10)).toBe(1);
    expect(binomialHalfCdf(10, -1)).toBe(0);
    expect(binomialHalfCdf(1000, 500)).toBeCloseTo(0.5126, 3);
  });

  test("ten values at 95% give the textbook interval: the 2nd to the 9th smallest, 97.9% achieved", () => {
    const r = signTest([5, 1, 9, 3, 7, 2, 10, 4, 8, 6], 0.95);
    expect(r.ci).toEqual([2, 9]);
    expect(r.confidence).toBeCloseTo(1 - (2 * 11) / 1024, 12);
    expect(r.estimate).toBe(5.5);
  });

  test("too few values for the level give min to max with the lower confidence they achieve", () => {
    const r = signTest([3, 1, 2], 0.99);
    expect(r.ci).toEqual([1, 3]);
    expect(r.confidence).toBeCloseTo(0.75, 12);
  });

  test("the p-value of all-positive values falls as the sample grows, and is 1 for a balanced one", () => {
    expect(signTest([1, 2, 3, 4, 5, 6]).p).toBeCloseTo(2 / 64, 12);
    expect(signTest([-1, 1, -2, 2]).p).toBe(1);
  });

  test("a tight core with a quarter of far-off pairs gets an interval inside the core", () => {
    const random = seededRandom(7);
    const ratios = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? (i % 8 === 0 ? 0.99 : 1.045) + random() * 0.01 : 1.0133 + (random() - 0.5) * 0.0004));
    const median = estimateRatio(ratios, 0.99, "median");
    const signedRank = estimateRatio(ratios, 0.99, "signed-rank");
    expect(median.ci[0]).toBeGreaterThan(1.01);
    expect(median.ci[1]).toBeLessThan(1.0136);
    expect(signedRank.ci[1]).toBeLessThan(1.02);
  });

  test("on identical code (a distribution symmetric about 1) the 99% interval misses 1 in about 1% of samples, never far more", () => {
    const random = seededRandom(11);
    let misses = 0;
    const samples = 4000;
    for (let s = 0; s < samples; s++) {
      const ratios = Array.from({ length: 25 }, () => Math.exp((random() - 0.5) * (random() < 0.3 ? 0.1 : 0.002)));
      const { ci } = estimateRatio(ratios, 0.99, "median");
      if (ci[0] > 1 || ci[1] < 1) misses++;
    }
    expect(misses / samples).toBeLessThan(0.015);
  });
});
