import { describe, expect, test } from "bun:test";
import { newRow, type ResultRow } from "../src/record/columns.ts";
import { analyzeHistory, failedPatterns, keptTechniques, type Commit } from "../src/loop/history.ts";

function keep(experiment: number, commit: string, pattern: string, ratio: string, description = "-"): ResultRow {
  return newRow({ experiment, status: "keep", commit, pattern, ratio, description, target: `t${experiment}.ts#f` });
}

function discard(experiment: number, pattern: string, reason = "noise"): ResultRow {
  return newRow({ experiment, status: "discard", pattern, reason, target: "t.ts#f" });
}

const commits: Commit[] = [
  { hash: "ddd4444aaaa", subject: "cpu: memoize totals", files: ["src/price/total.ts", ".codeflash/results.tsv"] },
  { hash: "eee5555bbbb", subject: "unrelated docs", files: ["README.md"] },
  { hash: "ccc3333aaaa", subject: "cpu: set lookup", files: ["src/price/total.ts", "src/price/index.ts"] },
  { hash: "bbb2222aaaa", subject: "cpu: hoist regex", files: ["src/price/total.ts", "src/util/re.ts"] },
  { hash: "aaa1111aaaa", subject: "cpu: sort once", files: ["src/util/sort.ts"] },
];

const rows = [
  newRow({ experiment: 1, status: "baseline", commit: "0000000" }),
  keep(2, "aaa1111", "algorithm", "0.9", "sort once"),
  keep(3, "bbb2222", "hoisting", "0.95", "hoist the regex out of the loop"),
  discard(4, "caching", "noise"),
  keep(5, "ccc3333aaaa", "data-structure", "0.6", "replaced array scan with Set"),
  discard(6, "caching", "guard failed"),
  discard(7, "caching", "noise"),
  keep(8, "ddd4444", "caching", "0.85"),
  discard(9, "specialization"),
];

describe("where wins cluster", () => {
  test("a file and its folders touched by three improving commits are hotspots; two commits are not", () => {
    const { hotspots } = analyzeHistory(commits, rows);
    expect(hotspots.map((h) => [h.path, h.kind, h.commits])).toEqual([
      ["src/", "folder", 4],
      ["src/price/total.ts", "file", 3],
      ["src/price/", "folder", 3],
    ]);
    expect(hotspots.find((h) => h.path === "src/util/")).toBeUndefined();
  });

  test("short and full hashes match; commits that are no kept experiment's are not improving", () => {
    const { improvingCommits } = analyzeHistory(commits, rows);
    expect(improvingCommits.map((c) => [c.hash, c.experiment])).toEqual([
      ["ddd4444aaaa", 8],
      ["ccc3333aaaa", 5],
      ["bbb2222aaaa", 3],
      ["aaa1111aaaa", 2],
    ]);
  });

  test("xloop's own record files never count as a hotspot", () => {
    const everyCommitTouchesRecord = commits.map((c) => ({ ...c, files: [...c.files, ".codeflash/results.tsv"] }));
    expect(analyzeHistory(everyCommitTouchesRecord, rows).hotspots.some((h) => h.path.startsWith(".codeflash"))).toBe(false);
  });

  test("the last change is the newest commit, with its experiment", () => {
    expect(analyzeHistory(commits, rows).lastCommit).toMatchObject({ hash: "ddd4444aaaa", experiment: 8 });
    expect(analyzeHistory([], rows).lastCommit).toBeUndefined();
  });
});

describe("what keeps failing", () => {
  test("a pattern discarded three times is to be avoided, with its reasons, even if it was kept once", () => {
    expect(failedPatterns(rows)).toEqual([
      { pattern: "caching", discards: 3, keeps: 1, experiments: [4, 6, 7], reasons: ["noise", "guard failed"] },
    ]);
  });

  test("two failures are not yet a pattern to avoid", () => {
    expect(failedPatterns(rows.slice(0, 6))).toEqual([]);
  });
});

describe("what worked", () => {
  test("kept techniques come from descriptions, or the pattern when there is none, largest gain first", () => {
    expect(keptTechniques(rows).map((t) => [t.technique, t.pattern, t.experiment])).toEqual([
      ["replaced array scan with Set", "data-structure", 5],
      ["caching", "caching", 8],
      ["sort once", "algorithm", 2],
      ["hoist the regex out of the loop", "hoisting", 3],
    ]);
  });
});
