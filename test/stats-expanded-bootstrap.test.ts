import { describe, expect, test } from "bun:test";
import { bootstrapCI, expandedConfidence } from "../src/stats/bootstrap.ts";
import { normalUpperTail } from "../src/stats/normal.ts";
import { mean } from "../src/stats/descriptive.ts";
import { seededRandom } from "../src/stats/random.ts";

describe("the normal tail behind the expanded bootstrap", () => {
  test("matches the textbook values", () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 6);
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(-1.959964)).toBeCloseTo(0.975, 6);
    expect(normalUpperTail(3)).toBeCloseTo(0.0013499, 6);
  });
});

describe("expanded percentile bootstrap intervals (Hesterberg)", () => {
  test("read the percentiles further out for few values, and not at all for many", () => {
    expect(expandedConfidence(0.95, 10)).toBeCloseTo(0.983, 3);
    expect(expandedConfidence(0.95, 40)).toBeCloseTo(0.9595, 3);
    expect(expandedConfidence(0.95, 100_000)).toBeCloseTo(0.95, 3);
    for (const n of [2, 3, 5, 10, 20, 40, 200]) expect(expandedConfidence(0.95, n)).toBeGreaterThanOrEqual(0.95);
  });

  test("from ten values, cover the true mean about as often as they claim, where plain percentiles fall short", () => {
    const random = seededRandom(11);
    const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
    let plain = 0;
    let expanded = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const values = Array.from({ length: 10 }, () => 100 + 5 * gauss());
      const a = bootstrapCI(values, (s) => mean(s), { resamples: 1000, seed: t + 1 });
      const b = bootstrapCI(values, (s) => mean(s), { resamples: 1000, seed: t + 1, expand: true });
      if (a[0] <= 100 && 100 <= a[1]) plain++;
      if (b[0] <= 100 && 100 <= b[1]) expanded++;
    }
    expect(plain / trials).toBeLessThan(0.93);
    expect(expanded / trials).toBeGreaterThan(0.93);
    expect(expanded / trials).toBeLessThan(0.99);
  });
});
