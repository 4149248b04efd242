import { describe, expect, test } from "bun:test";
import { UserError } from "../src/errors.ts";
import { newRow, type ResultRow, type Status } from "../src/record/columns.ts";
import { escalationRow, milestoneRow } from "../src/record/row-kinds.ts";
import { DEFAULT_LOOP_CONFIG, parseLoopConfig } from "../src/loop/config.ts";
import { experimentOutcomes, summarize } from "../src/loop/state.ts";

function row(experiment: number, status: Status, fields: Partial<ResultRow> = {}): ResultRow {
  return newRow({ experiment, status, target: "t.ts#f", ...fields });
}

describe("summarising the record", () => {
  test("experiments, keeps, discards and escalations are counted; baselines and measurements are not experiments", () => {
    const state = summarize([
      row(1, "baseline"),
      row(2, "keep", { pattern: "algorithm", ratio: "0.8" }),
      row(3, "discard", { pattern: "caching" }),
      row(4, "measurement", { pattern: "e2e" }),
      escalationRow({ experiment: 5, signal: "GC pressure", suggests: "memory" }),
    ]);
    expect([state.experiments, state.keeps, state.discards, state.escalations]).toEqual([2, 1, 1, 1]);
  });

  test("an experiment recorded twice (a rework) counts once, by its last outcome", () => {
    const rows = [row(2, "discard", { pattern: "caching", guard: "fail" }), row(2, "keep", { pattern: "caching", ratio: "0.9" })];
    expect(experimentOutcomes(rows).map((r) => r.status)).toEqual(["keep"]);
    expect(summarize(rows).discardStreak).toBe(0);
  });

  test("the discard streak overall and per pattern", () => {
    const state = summarize([
      row(1, "discard", { pattern: "caching" }),
      row(2, "keep", { pattern: "algorithm" }),
      row(3, "discard", { pattern: "caching" }),
      row(4, "discard", { pattern: "Hoisting" }),
      row(5, "measurement"),
      row(6, "discard", { pattern: "caching" }),
    ]);
    expect(state.discardStreak).toBe(3);
    expect(state.streakPatterns).toEqual(["caching", "hoisting", "caching"]);
    expect(state.patternStreaks).toEqual({ caching: 3, algorithm: 0, hoisting: 1 });
  });

  test("cumulative improvement per target is the product of kept ratios since the target's latest baseline, labelled so", () => {
    const state = summarize([
      row(1, "baseline", { target: "a#f" }),
      row(2, "keep", { target: "a#f", ratio: "0.5" }),
      row(3, "baseline", { target: "a#f" }),
      row(4, "keep", { target: "a#f", ratio: "0.8" }),
      row(5, "keep", { target: "a#f", improvement: "+25.0%" }),
      row(6, "discard", { target: "a#f", ratio: "0.1" }),
      row(7, "keep", { target: "b#g", ratio: "0.9" }),
      row(8, "keep", { target: "b#g" }),
    ]);
    const [a, b] = state.cumulative;
    expect(a!.target).toBe("a#f");
    expect(a!.ratio).toBeCloseTo(0.6);
    expect(a!.improvement).toBeCloseTo(0.4);
    expect(a!.keptExperiments).toEqual([4, 5]);
    expect(a!.label).toBe("product of kept ratios");
    expect(b!.keptExperiments).toEqual([7]);
    expect(b!.unmeasuredKeeps).toEqual([8]);
  });

  test("a keep turned into a discard by the end-to-end check no longer counts", () => {
    const state = summarize([row(1, "baseline"), row(2, "keep", { ratio: "0.5" }), row(2, "discard", { ratio: "0.5", e2e_ratio: "0.99" })]);
    expect(state.cumulative[0]!.improvement).toBe(0);
    expect(state.keeps).toBe(0);
  });

  test("keeps since the last milestone count from the milestone row", () => {
    const state = summarize([
      row(2, "keep"),
      row(3, "keep"),
      milestoneRow({ experiment: 4, branch: "codeflash/milestone-v1", commit: "abc" }),
      row(5, "keep"),
    ]);
    expect(state.milestones).toEqual([4]);
    expect(state.keepsSinceMilestone).toBe(1);
  });

  test("an escalation stays open until a later experiment or baseline", () => {
    const escalation = escalationRow({ experiment: 3, signal: "await-heavy", suggests: "async" });
    expect(summarize([row(2, "keep"), escalation]).openEscalations.map((e) => e.suggests)).toEqual(["async"]);
    expect(summarize([row(2, "keep"), escalation, row(4, "discard")]).openEscalations).toEqual([]);
  });

  test("the domain is the latest one recorded and the baseline is the latest baseline row", () => {
    const state = summarize([row(1, "baseline", { domain: "cpu", commit: "aaa" }), row(2, "baseline", { commit: "bbb" }), row(3, "keep", { domain: "MEMORY" })]);
    expect(state.domain).toBe("memory");
    expect(state.baseline!.commit).toBe("bbb");
  });
});

describe("the loop configuration", () => {
  test("an empty configuration is the defaults of docs/loop.md", () => {
    expect(parseLoopConfig({}, "loop.json")).toEqual({ ...DEFAULT_LOOP_CONFIG, targets: {} });
  });

  test("a goal may be a fraction or a percentage string", () => {
    expect(parseLoopConfig({ targets: { "a#f": 0.3, "b#g": "25%" } }, "loop.json").targets).toEqual({ "a#f": 0.3, "b#g": 0.25 });
  });

  test("a goal written as 30 rather than 0.3 is refused, naming the file and field", () => {
    expect(() => parseLoopConfig({ targets: { "a#f": 30 } }, "loop.json")).toThrow(UserError);
    expect(() => parseLoopConfig({ targets: { "a#f": 30 } }, "loop.json")).toThrow('loop.json: targets.a#f: write a goal as a fraction below 1 (0.3) or as "30%"');
  });

  test("an unknown setting is refused rather than ignored", () => {
    expect(() => parseLoopConfig({ rotateAfer: 4 }, "loop.json")).toThrow(/^loop\.json: rotateAfer: /);
  });
});
