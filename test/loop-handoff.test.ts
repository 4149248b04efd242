import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import * as fs from "node:fs";
import * as path from "node:path";
import { getDomain } from "../src/domains/domains.ts";
import { newRow } from "../src/record/columns.ts";
import { escalationRow, milestoneRow } from "../src/record/row-kinds.ts";
import { buildHandoff, writeHandoff } from "../src/loop/handoff.ts";
import { nextAction } from "../src/loop/next-action.ts";
import { summarize } from "../src/loop/state.ts";
import { removeTempFolders, tempFolder } from "./fixtures/git-repo.ts";

const cpu = getDomain("cpu");
const rows = [
  newRow({ experiment: 1, status: "baseline", target: "src/price.ts#total", before: "1.92µs±0.01µs", commit: "base123" }),
  newRow({ experiment: 2, status: "keep", pattern: "algorithm", target: "src/price.ts#total", ratio: "0.8", improvement: "+20.0%", description: "sort once" }),
  milestoneRow({ experiment: 3, branch: "codeflash/milestone-v1", commit: "abc" }),
  newRow({ experiment: 4, status: "discard", pattern: "caching", target: "src/price.ts#total", reason: "noise" }),
  escalationRow({ experiment: 5, signal: "GC pauses dominate", suggests: "memory", from: "cpu" }),
];

describe("the hand-off", () => {
  const state = summarize(rows);
  const text = buildHandoff({
    date: new Date("2025-03-04T10:00:00.123Z"),
    domain: cpu,
    branch: "main",
    rows,
    state,
    next: nextAction({ rows, domain: cpu }),
    remainingTargets: [
      { target: "src/tax.ts#rate", category: "cpu", estimate: "~15%" },
      { target: "src/io.ts#load", nonOptimizable: true, why: "waiting on disk" },
    ],
  });

  test("names the baseline commit and its figure", () => {
    expect(text).toContain("## Baseline\n- commit base123\n- experiment 1: src/price.ts#total at 1.92µs±0.01µs\n");
  });

  test("gives the current state with the cumulative figure labelled as a product of ratios", () => {
    expect(text).toContain("- 2 experiments: 1 kept, 1 discarded; 1 escalation\n");
    expect(text).toContain("- src/price.ts#total: +20.0% cumulative (product of kept ratios, 1 keep)");
    expect(text).toContain("- 0 keeps since the last milestone (milestones at experiments 3)");
    expect(text).toContain("- next action: escalated — open escalation");
  });

  test("lists open escalations, ranked remaining targets and what was tried", () => {
    expect(text).toContain("## Open escalations\n- experiment 5: GC pauses dominate — suggests memory (from cpu)\n");
    expect(text).toContain("1. src/tax.ts#rate (cpu, est. ~15%)\n2. src/io.ts#load — non-optimizable: waiting on disk\n");
    expect(text).toContain("### Kept\n- sort once (algorithm) on src/price.ts#total gave +20.0% (0.8x; experiment 2)\n");
    expect(text).toContain("### Discarded\n- caching on src/price.ts#total — noise (experiment 4)\n");
  });

  test("without a baseline or a ranking it says what to do", () => {
    const bare = buildHandoff({ date: "2025-03-04", domain: cpu, rows: [], state: summarize([]) });
    expect(bare).toContain("- none recorded: run `xloop baseline` before the first experiment");
    expect(bare).toContain("- not ranked this session: rebuild the list from a profile");
  });
});

describe("writing the hand-off", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempFolder("xloop-handoff-");
  });
  afterEach(removeTempFolders);

  test("replaces the previous hand-off whole and leaves no temporary file", () => {
    const file = path.join(dir, "HANDOFF.md");
    fs.writeFileSync(file, "old hand-off that was much longer than the new one\n".repeat(20));
    writeHandoff(file, "# new\n");
    expect(fs.readFileSync(file, "utf8")).toBe("# new\n");
    expect(fs.readdirSync(dir)).toEqual(["HANDOFF.md"]);
  });
});
