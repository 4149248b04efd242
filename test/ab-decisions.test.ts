/**
 * ab's decisions on made-up worker reports, through the session seam of runAb: each
 * verdict's path, the interval, the stop rules and failures, exactly and in
 * milliseconds, with no timing of real code. The real-timing suites (ab-cli, decide)
 * show that real reports look like these.
 */
import { describe, expect, test } from "bun:test";
import { runAb } from "../src/ab/run-ab.ts";
import type { TargetSpec } from "../src/measure/protocol.ts";
import { madeUpAbSettings, madeUpSession } from "./fixtures/made-up-session.ts";

const base: TargetSpec = { file: "/p/a.ts", exportName: "f", label: "a.ts#f" };
const head: TargetSpec = { file: "/p/b.ts", exportName: "f", label: "b.ts#f" };

const settings = madeUpAbSettings;

const cases = { kind: "none" } as const;

describe("ab's verdicts on made-up reports", () => {
  test("a head 10% faster is 'faster', with an interval around 0.9, after the fewest pairs allowed", async () => {
    const r = await runAb(base, head, cases, settings, undefined, madeUpSession(1000, 0.9, 0.01));
    expect(r.verdict).toBe("faster");
    expect(r.ratio).toBeCloseTo(0.9, 2);
    expect(r.ci[0]).toBeLessThan(0.9);
    expect(r.ci[1]).toBeGreaterThan(0.9);
    expect(r.rounds).toBe(settings.minRounds);
  });

  test("a head 5% slower is 'slower'", async () => {
    const r = await runAb(base, head, cases, settings, undefined, madeUpSession(1000, 1.05, 0.01));
    expect(r.verdict).toBe("slower");
    expect(r.ci[0]).toBeGreaterThan(1.01);
  });

  test("identical code with little noise is 'same': the interval lies inside ±1%", async () => {
    const r = await runAb(base, head, cases, settings, undefined, madeUpSession(1000, 1, 0.002));
    expect(r.verdict).toBe("same");
    expect(r.ci[0]).toBeGreaterThanOrEqual(0.99);
    expect(r.ci[1]).toBeLessThanOrEqual(1.01);
  });

  test("a difference right at the threshold under pair-to-pair noise of ±3% stays 'inconclusive' when the time runs out, never a direction", async () => {
    const r = await runAb(base, head, cases, { ...settings, maxTimeMs: 300 }, undefined, madeUpSession(1000, 1.01, 0.01, 0.03));
    expect(r.verdict).toBe("inconclusive");
    expect(r.ci[0]).toBeLessThan(1.01);
    expect(r.ci[1]).toBeGreaterThan(0.99);
  });

  test("sessions sample the round time until a look leaves the verdict open, then four times as long", async () => {
    const sampled: number[] = [];
    const made = madeUpSession(1000, 1.01, 0.01, 0.03);
    const r = await runAb(base, head, cases, { ...settings, maxTimeMs: 200 }, undefined, (options) => {
      sampled.push(options.samplingMs);
      return made(options);
    });
    expect(r.verdict).toBe("inconclusive");
    // Two pairs a session: five sessions reach the first look at ten pairs.
    expect(sampled.slice(0, 5)).toEqual([100, 100, 100, 100, 100]);
    expect(sampled.length).toBeGreaterThan(5);
    expect(new Set(sampled.slice(5))).toEqual(new Set([400]));
  });

  test("the keep rule stops as soon as a gain beyond the threshold is ruled out", async () => {
    const r = await runAb(base, head, cases, { ...settings, stopRule: "keep" }, undefined, madeUpSession(1000, 1.0, 0.002));
    expect(r.ci[0]).toBeGreaterThanOrEqual(0.99);
    expect(r.rounds).toBe(settings.minRounds);
  });

  test("a fixed number of pairs measures exactly that many", async () => {
    const r = await runAb(base, head, cases, { ...settings, fixedRounds: 16 }, undefined, madeUpSession(1000, 1, 0.01));
    expect(r.rounds).toBe(16);
  });

  test("a head that throws ends the comparison with its failure, no verdict claimed", async () => {
    const r = await runAb(base, head, cases, settings, undefined, madeUpSession(1000, 1, 0.01, 0, { slot: 1, kind: "threw" }));
    expect(r.error).toMatchObject({ kind: "threw", message: "b.ts#f: made-up threw" });
    expect(r.head.ok).toBe(false);
    expect(r.verdict).toBe("inconclusive");
  });
});
