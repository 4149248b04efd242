import { describe, expect, test } from "bun:test";
import { minimumWorkersForModes, speedModes } from "../src/stats/speed-modes.ts";
import { seededRandom } from "../src/stats/random.ts";

const random = seededRandom(42);
const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
const around = (center: number, spread: number, count: number) => Array.from({ length: count }, () => center * (1 + spread * gauss()));

describe("fresh workers that ran at two speeds", () => {
  test("groups like the sieve's (~167 and ~190 µs, ~1.5% spread each) are found with their sizes", () => {
    const modes = speedModes([...around(167_000, 0.015, 18), ...around(190_000, 0.015, 22)]);
    expect(modes).not.toBeNull();
    expect(modes!.fast.workers).toBe(18);
    expect(modes!.slow.workers).toBe(22);
    expect(modes!.fast.center / 167_000).toBeCloseTo(1, 1);
    expect(modes!.slow.center / 190_000).toBeCloseTo(1, 1);
    expect(modes!.separation).toBeGreaterThan(4);
  });

  test("one spread, however wide, is not two speeds", () => {
    for (const spread of [0.01, 0.03, 0.08]) expect(speedModes(around(2000, spread, 40))).toBeNull();
  });

  test("a few slow rounds are outliers, not a second speed", () => {
    expect(speedModes([...around(100, 0.01, 36), 150, 155, 160, 148])).toBeNull();
  });

  test("two groups closer than 3% are not reported, however tight", () => {
    expect(speedModes([...around(100, 0.001, 20), ...around(102, 0.001, 20)])).toBeNull();
  });

  test("fewer workers than the test needs give no answer", () => {
    const few = [...around(167, 0.01, 14), ...around(190, 0.01, 14)];
    expect(few.length).toBeLessThan(minimumWorkersForModes);
    expect(speedModes(few)).toBeNull();
  });
});
