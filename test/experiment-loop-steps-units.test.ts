import { describe, expect, test } from "bun:test";
import { keysRead } from "../src/experiment/config-audit.ts";
import { judgeFidelity, lineRanges, linesOfDiff } from "../src/experiment/fidelity.ts";
import { protectedFiles } from "../src/experiment/guard-files.ts";
import { codeLines, linesOfCoverage } from "../src/oracle/coverage-lines.ts";
import { getDomain } from "../src/domains/domains.ts";
import { isRotationPattern, nearestPatterns } from "../src/domains/patterns.ts";
import { checklistLine, splitMessage } from "../src/loop/checklist.ts";

describe("config keys a source reads", () => {
  test("environment variables, flags and option reads are found; a method call or a word in a string is not a key", () => {
    const keys = keysRead(`
      const a = process.env.API_URL; const b = process.env["TOKEN"]; const c = Deno.env.get("HOME_DIR");
      if (argv.includes("--dry-run")) {}
      const d = options.retries ?? config["pool-size"]; const e = opts?.verbose;
      console.log("a plain sentence with options in it");
    `);
    expect(keys.map((k) => `${k.kind}:${k.key}`).sort()).toEqual(
      ["env:API_URL", "env:TOKEN", "env:HOME_DIR", "flag:--dry-run", "option:retries", "option:pool-size", "option:verbose"].sort(),
    );
  });
});

describe("guard files", () => {
  test("test files by the runners' conventions and listed paths or globs are protected; source files are not", () => {
    const files = ["src/a.ts", "src/a.test.ts", "lib/b.spec.js", "test/helper.ts", "pkg/__tests__/x.js", "golden/out.json", "fixtures/data.csv", "src/testing.ts"];
    expect(protectedFiles(files, ["golden/", "fixtures/*.csv"])).toEqual(["src/a.test.ts", "lib/b.spec.js", "test/helper.ts", "pkg/__tests__/x.js", "golden/out.json", "fixtures/data.csv"]);
  });
});

describe("changed lines and their coverage", () => {
  test("a -U0 diff gives the new version's touched lines; pure deletions give none", () => {
    expect(linesOfDiff("@@ -3,2 +3,3 @@\n-a\n+b\n@@ -10 +11 @@\n-x\n+y\n@@ -20,2 +21,0 @@\n-z\n")).toEqual([3, 4, 5, 11]);
    expect(lineRanges([3, 4, 5, 11, 13, 14])).toBe("3-5, 11, 13-14");
  });

  test("blank, comment and closing-bracket lines are not checked", () => {
    expect(codeLines("a();\n\n// note\n  }\nb();\n", [1, 2, 3, 4, 5])).toEqual([1, 5]);
  });

  test("a line is executed when some of its code ran in its innermost range", () => {
    const source = "function f(x) {\n  if (x) {\n    return 1;\n  }\n  return 2;\n}\n";
    const body = source.indexOf("{\n    return 1");
    const ranges = [
      { startOffset: 0, endOffset: source.length, count: 1 },
      { startOffset: 0, endOffset: source.length - 1, count: 3 },
      { startOffset: body, endOffset: source.indexOf("  return 2") - 1, count: 0 },
    ];
    const { executed } = linesOfCoverage(source, ranges);
    expect([...executed].sort()).toEqual([1, 2, 5, 6]);
  });

  test("fidelity refuses only when no changed line runs, and names the cases that miss them", () => {
    const report = { available: true as const, files: [{ file: "/r/a.ts", checked: [3, 4, 9], load: [], cases: [[3, 4], [], [3]] }] };
    const f = judgeFidelity("/r", report, 3);
    expect(f).toMatchObject({ checked: 3, unexecuted: [{ file: "a.ts", lines: [9] }], casesMissing: [2], refused: false });
    const none = judgeFidelity("/r", { available: true, files: [{ file: "/r/a.ts", checked: [9], load: [], cases: [[], []] }] }, 2);
    expect(none.refused).toBe(true);
    // A changed constant runs at load: no case is said to miss it.
    const constant = judgeFidelity("/r", { available: true, files: [{ file: "/r/a.ts", checked: [1, 5], load: [1], cases: [[5], []] }] }, 2);
    expect(constant.casesMissing).toEqual([2]);
    expect(judgeFidelity("/r", { available: true, files: [{ file: "/r/a.ts", checked: [1], load: [1], cases: [[], []] }] }, 2).casesMissing).toEqual([]);
    expect(judgeFidelity("/r", { available: false, reason: "line coverage is not available on bun" }, 2)).toMatchObject({ skipped: "line coverage is not available on bun", refused: false });
  });
});

describe("patterns and checklists", () => {
  test("names outside the rotation get the nearest ones, a shared word first", () => {
    const cpu = getDomain("cpu");
    expect(isRotationPattern(cpu, "Hoisting")).toBe(true);
    expect(isRotationPattern(cpu, "set-lookup")).toBe(false);
    expect(nearestPatterns(cpu, "hoist")[0]).toBe("hoisting");
    expect(nearestPatterns(cpu, "data-structures")[0]).toBe("data-structure");
  });

  test("a message's first line is the description and its ## Checklist section the answers", () => {
    expect(splitMessage("index by sku")).toEqual({ description: "index by sku", body: undefined, checklist: undefined });
    const split = splitMessage("index by sku\n\nwhy it helps\n## Checklist\n- hot: yes\n## Notes\nmore");
    expect(split.description).toBe("index by sku");
    expect(split.checklist).toBe("- hot: yes");
    expect(checklistLine("## Checklist\n- a: yes\n\n2. b: no\n")).toBe("a: yes; b: no");
  });
});
