/** The pure rules behind the loop-state commands: milestone versions, figures, target ranking, hand-off ranking, escalation wording. */
import { describe, expect, test } from "bun:test";
import { getDomain } from "../src/domains/domains.ts";
import { newRow, type ResultRow } from "../src/record/columns.ts";
import { milestoneRow } from "../src/record/row-kinds.ts";
import { DEFAULT_LOOP_CONFIG } from "../src/loop/config.ts";
import { escalationMessage } from "../src/loop/escalation.ts";
import { buildHandoff, givenTargetsOf } from "../src/loop/handoff.ts";
import { milestoneLine, milestoneVersionOf, nextMilestoneVersion, productOfKeptRatios } from "../src/loop/milestone.ts";
import { rankRemainingTargets } from "../src/loop/remaining.ts";
import { summarize } from "../src/loop/state.ts";

const keep = (experiment: number, target: string, ratio?: string): ResultRow => newRow({ experiment, status: "keep", pattern: "algorithm", target, ratio });
const discard = (experiment: number, target: string): ResultRow => newRow({ experiment, status: "discard", pattern: "caching", target });
const baseline = (experiment: number, target: string): ResultRow => newRow({ experiment, status: "baseline", target });

describe("milestone versions", () => {
  test("the first milestone is v1", () => {
    expect(nextMilestoneVersion([], [])).toBe(1);
  });

  test("the next version is above every existing branch, even with gaps and other branches around", () => {
    expect(nextMilestoneVersion(["codeflash/milestone-v1", "codeflash/milestone-v3", "codeflash/milestone-v9x", "main"], [])).toBe(4);
  });

  test("milestone rows count too, by their branch or, without one, by their number", () => {
    expect(nextMilestoneVersion([], [milestoneRow({ experiment: 4, branch: "codeflash/milestone-v2", commit: "abc" })])).toBe(3);
    const unnamed = [1, 2].map((experiment) => newRow({ experiment, status: "measurement", pattern: "milestone" }));
    expect(nextMilestoneVersion([], unnamed)).toBe(3);
  });

  test("only exact milestone branch names carry a version", () => {
    expect(milestoneVersionOf("codeflash/milestone-v12")).toBe(12);
    expect(milestoneVersionOf("codeflash/milestone-v1-old")).toBeUndefined();
    expect(milestoneVersionOf("milestone-v1")).toBeUndefined();
  });
});

describe("the cumulative figure until compare measures it", () => {
  test("is the product of the kept ratios per target, labelled as such, saying which keeps it leaves out", () => {
    const state = summarize([baseline(1, "a.ts#f"), keep(2, "a.ts#f", "0.8"), keep(3, "a.ts#f", "0.5"), keep(4, "b.ts#g")]);
    const figure = productOfKeptRatios(state);
    expect(figure.measured).toBe(false);
    expect(figure.targets).toEqual([{ target: "a.ts#f", ratio: 0.4, improvement: 0.6, experiments: [2, 3] }]);
    expect(figure.text).toBe("+60.0% on a.ts#f (product of kept ratios; 1 keep without a ratio left out)");
    expect(milestoneLine(2, state, figure)).toBe("[milestone] v2 — 3/3 kept, cumulative +60.0% on a.ts#f (product of kept ratios; 1 keep without a ratio left out)");
  });

  test("with nothing kept it says nothing was measured rather than print +0%", () => {
    expect(productOfKeptRatios(summarize([baseline(1, "a.ts#f")])).text).toBe("nothing measured yet (product of kept ratios: no kept ratios)");
  });
});

describe("remaining targets ranked from the record", () => {
  test("targets with a goal come first, the furthest from it first; reached goals are left out", () => {
    const config = { ...DEFAULT_LOOP_CONFIG, targets: { "a.ts#f": 0.3, "b.ts#g": 0.3, "c.ts#h": 0.1, "new.ts#n": 0.2 } };
    const rows = [baseline(1, "a.ts#f"), baseline(2, "b.ts#g"), keep(3, "a.ts#f", "0.8"), keep(4, "c.ts#h", "0.5"), keep(5, "other.ts#o", "0.9")];
    expect(rankRemainingTargets(rows, config).map((t) => t.target)).toEqual(["b.ts#g", "new.ts#n", "a.ts#f", "other.ts#o"]);
  });

  test("without goals, a target still yielding ranks above an untried one, and both above one that only failed", () => {
    const rows = [baseline(1, "untried.ts#u"), discard(2, "failing.ts#f"), keep(3, "small.ts#s", "0.97"), keep(4, "big.ts#b", "0.7")];
    const ranked = rankRemainingTargets(rows, DEFAULT_LOOP_CONFIG);
    expect(ranked.map((t) => t.target)).toEqual(["big.ts#b", "small.ts#s", "untried.ts#u", "failing.ts#f"]);
    expect(ranked[0]!.why).toBe("no goal set; +30.0% so far (product of kept ratios), the last keep gave +30.0% (experiment 4)");
    expect(ranked[3]!.why).toBe("no goal set; nothing kept yet (1 discarded)");
  });
});

describe("a ranking given by hand survives a rewrite of HANDOFF.md", () => {
  const rows = [baseline(1, "a.ts#f")];
  const input = { date: "2025-01-01T00:00:00Z", domain: getDomain("cpu"), rows, state: summarize(rows) };

  test("the targets are read back in order", () => {
    const text = buildHandoff({ ...input, remainingTargets: [{ target: "x.ts#one" }, { target: "y.ts#two" }], targetsGiven: true });
    expect(givenTargetsOf(text)).toEqual(["x.ts#one", "y.ts#two"]);
  });

  test("xloop's own ranking is not carried over, since the record can rebuild it", () => {
    const text = buildHandoff({ ...input, remainingTargets: [{ target: "x.ts#one", why: "no goal set" }] });
    expect(givenTargetsOf(text)).toBeUndefined();
  });
});

describe("the escalation question", () => {
  test("is worded as docs/loop.md asks, on one line, without a doubled full stop", () => {
    expect(escalationMessage({ signal: "peak heap\ndominates runtime.", to: "memory", from: "cpu" })).toBe(
      "I'm finding that the real bottleneck is peak heap dominates runtime — this is a memory issue, not cpu. Want me to switch?",
    );
  });
});
