import { describe, expect, test } from "bun:test";
import { newRow } from "../src/record/columns.ts";
import { rowFacts, targetStates } from "../src/record/facts.ts";
import { parseResults } from "../src/record/parse.ts";
import { escalationRow, milestoneRow, targetStateRow } from "../src/record/row-kinds.ts";

describe("a row's facts", () => {
  test("figures, names and the guard are read into typed fields", () => {
    const row = newRow({ experiment: 3, status: "keep", pattern: " Caching ", target: " src/a.ts#f ", domain: "CPU", ratio: "0.8", ci_low: "0.78", ci_high: "0.82", guard: "guard_pass" });
    expect(rowFacts(row)).toEqual({
      pattern: "caching",
      target: "src/a.ts#f",
      domain: "cpu",
      ratio: 0.8,
      gain: 1 - 0.8,
      ci: [0.78, 0.82],
      guard: "pass",
      escalation: undefined,
      milestone: false,
      targetState: undefined,
    });
  });

  test("empty cells read as no value, a half interval as none, and the ratio falls back to the durations", () => {
    const facts = rowFacts(newRow({ experiment: 1, status: "discard", before: "2.00µs", after: "1.50µs", ci_low: "0.7" }));
    expect(facts).toMatchObject({ pattern: "(none)", target: undefined, domain: undefined, ci: undefined, guard: "skipped" });
    expect(facts.ratio).toBeCloseTo(0.75);
  });

  test("a guard written by hand in the status column is the row's guard", () => {
    const [row] = parseResults("experiment\tstatus\n4\tdiscard guard_fail\n", "results.tsv").rows;
    expect(rowFacts(row!).guard).toBe("fail");
  });

  test("a row is read once: asking again gives the same facts", () => {
    const row = newRow({ experiment: 2, status: "keep", ratio: "0.9" });
    expect(rowFacts(row)).toBe(rowFacts(row));
  });

  test("loop events are recognised: escalation, milestone, target state", () => {
    expect(rowFacts(escalationRow({ experiment: 5, signal: "peak heap", suggests: "memory" })).escalation?.suggests).toBe("memory");
    expect(rowFacts(milestoneRow({ experiment: 6, branch: "codeflash/milestone-v1", commit: "abc" })).milestone).toBe(true);
    const marked = targetStateRow({ experiment: 7, target: "src/a.ts#f", nonOptimizable: true, why: "I/O bound" });
    const reopened = targetStateRow({ experiment: 8, target: "src/a.ts#f", nonOptimizable: false });
    expect(rowFacts(marked).targetState?.nonOptimizable).toBe(true);
    expect(targetStates([marked, reopened]).get("src/a.ts#f")?.nonOptimizable).toBe(false);
  });
});
