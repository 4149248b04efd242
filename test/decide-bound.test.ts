import { describe, expect, test } from "bun:test";
import { renderAbHuman } from "../src/output/ab-report.ts";
import { renderSuiteText } from "../src/compare/report-suite.ts";
import { overallSpeedup } from "../src/compare/suite.ts";
import { equivalenceBound, sharedBound } from "../src/stats/verdict.ts";
import { openTerminal } from "../src/format/terminal.ts";
import { madeUpAb, madeUpSuite } from "./fixtures/made-up-results.ts";

describe("the equivalence bound an interval supports", () => {
  test("is the farther end of the interval from 1", () => {
    expect(equivalenceBound([0.983, 1.009])).toBeCloseTo(0.017, 10);
    expect(equivalenceBound([0.995, 1.018])).toBeCloseTo(0.018, 10);
    expect(equivalenceBound([1.02, 1.05])).toBeCloseTo(0.05, 10);
  });

  test("is not a number without an interval", () => {
    expect(equivalenceBound([Number.NaN, Number.NaN])).toBeNaN();
    expect(equivalenceBound([1.1, 0.9])).toBeNaN();
  });

  test("is shared by several comparisons only when none showed a difference", () => {
    expect(sharedBound([{ verdict: "same", ci: [0.99, 1.004] }, { verdict: "inconclusive", ci: [0.985, 1.012] }])).toBeCloseTo(0.015, 10);
    expect(sharedBound([{ verdict: "same", ci: [0.99, 1.004] }, { verdict: "faster", ci: [0.8, 0.9] }])).toBeUndefined();
    expect(sharedBound([])).toBeUndefined();
  });
});

describe("reports say what an undecided run did show", () => {
  const terminal = openTerminal({ color: false });

  test("ab's lines carry the bound of an inconclusive comparison, not of a decided one", () => {
    const undecided = { ...madeUpAb("a.ts#f", "b.ts#f", 1000, 0.996, "inconclusive"), ci: [0.983, 1.009] as [number, number], confidence: 0.99 };
    const decided = madeUpAb("a.ts#g", "b.ts#g", 1000, 0.8, "faster");
    const text = renderAbHuman([undecided, decided], terminal, "node 20");
    expect(text).toContain("f: inconclusive — no difference beyond ±1.7% at 99%");
    expect(text).not.toContain("g: faster — no difference");
  });

  test("compare's summary says no benchmark changed by more than the largest bound", () => {
    const suite = madeUpSuite(3);
    suite.benchmarks = suite.benchmarks.map((b, i) => ({ ...b, verdict: i === 0 ? "same" : "inconclusive", ci: [0.99 - i * 0.004, 1.005] as [number, number] }));
    suite.overall = overallSpeedup(suite.benchmarks);
    expect(suite.overall?.bound).toBeCloseTo(0.018, 10);
    expect(renderSuiteText(suite, terminal)).toContain("no benchmark changed by more than 1.8%");
  });
});
