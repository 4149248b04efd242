import { describe, expect, test } from "bun:test";
import { driftParts } from "../bench/host-drift.ts";

describe("bench/host-drift's split of a moments × processes table", () => {
  test("processes that all speed up and slow down together are the host's time part, none their own", () => {
    const table = [1, 1.02, 0.98, 1.01, 0.99].map((f) => [100 * f, 100 * f, 100 * f, 100 * f]);
    const parts = driftParts(table);
    expect(parts.time).toBeGreaterThan(0.01);
    expect(parts.process).toBe(0);
    expect(parts.residual).toBeCloseTo(0, 12);
  });

  test("processes that keep their own speed all along are the process part, none the host's", () => {
    const table = [0, 1, 2, 3, 4].map(() => [100, 103, 97, 100]);
    const parts = driftParts(table);
    expect(parts.process).toBeGreaterThan(0.02);
    expect(parts.time).toBe(0);
  });

  test("both at once are told apart in proportion", () => {
    const moments = [1, 1.03, 0.97, 1.01, 0.99, 1.02];
    const processes = [1, 1.005, 0.995, 1];
    const parts = driftParts(moments.map((m) => processes.map((p) => 100 * m * p)));
    expect(parts.time).toBeGreaterThan(4 * parts.process);
    expect(parts.process).toBeGreaterThan(0);
  });
});
