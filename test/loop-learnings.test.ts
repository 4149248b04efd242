import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import * as fs from "node:fs";
import * as path from "node:path";
import { newRow } from "../src/record/columns.ts";
import { escalationRow } from "../src/record/row-kinds.ts";
import { appendLearnings, buildLearningsSection, unlearnedRows } from "../src/loop/learnings.ts";
import { codeflashFile, removeTempFolders } from "./fixtures/git-repo.ts";

let dir: string;
let file: string;

beforeEach(() => ({ dir, file } = codeflashFile("learnings.md", "xloop-learnings-")));
afterEach(removeTempFolders);

const rows = [
  newRow({ experiment: 1, status: "baseline", target: "src/price.ts#total", before: "1.92µs±0.01µs" }),
  newRow({
    experiment: 2,
    status: "keep",
    pattern: "data-structure",
    target: "src/price.ts#total",
    before: "1.92µs±0.01µs",
    after: "1.41µs±0.01µs",
    improvement: "+26.6%",
    ratio: "0.734",
    ci_low: "0.729",
    ci_high: "0.74",
    description: "index lines by sku",
  }),
  newRow({ experiment: 3, status: "discard", pattern: "caching", target: "src/price.ts#total", improvement: "+0.3%", reason: "noise: interval within 1%" }),
  newRow({ experiment: 4, status: "discard", pattern: "hoisting", target: "src/tax.ts#rate", description: "hoist\nthe regex", reason: "output differs" }),
  escalationRow({ experiment: 5, signal: "peak heap dominates runtime", suggests: "memory" }),
];

describe("the session section", () => {
  test("follows the format of docs/loop.md with figures and reasons", () => {
    const section = buildLearningsSection({
      date: new Date("2025-03-04T10:00:00Z"),
      domain: "cpu",
      branch: "main",
      rows,
      insights: ["tax rules are recomputed per line item"],
    });
    expect(section).toBe(
      [
        "## 2025-03-04 — cpu session on main",
        "",
        "### What worked",
        "- index lines by sku (data-structure) on src/price.ts#total gave +26.6% (1.92µs±0.01µs → 1.41µs±0.01µs; 0.734x [0.729, 0.74]; experiment 2)",
        "",
        "### What didn't work",
        "- caching on src/price.ts#total — noise: interval within 1% (+0.3%; experiment 3)",
        "- hoist the regex (hoisting) on src/tax.ts#rate — output differs (experiment 4)",
        "",
        "### Codebase insights",
        "- tax rules are recomputed per line item",
        "- escalated at experiment 5: peak heap dominates runtime — suggests memory",
        "",
        "<!-- xloop: experiments 1-5 -->",
        "",
      ].join("\n"),
    );
  });

  test("a session with nothing to report says so in each part", () => {
    const section = buildLearningsSection({ date: "2025-03-04", domain: "memory", branch: "perf", rows: [] });
    expect(section).toContain("### What worked\n- nothing was kept this session\n");
    expect(section).toContain("### What didn't work\n- nothing was discarded this session\n");
    expect(section).toContain("### Codebase insights\n- none recorded\n");
  });
});

describe("appending", () => {
  test("a second session is appended and the first stays byte-identical", () => {
    appendLearnings(file, buildLearningsSection({ date: "2025-03-04", domain: "cpu", branch: "main", rows: rows.slice(0, 3) }));
    const first = fs.readFileSync(file);
    appendLearnings(file, buildLearningsSection({ date: "2025-03-05", domain: "cpu", branch: "main", rows: rows.slice(3) }));
    const both = fs.readFileSync(file);
    expect(both.subarray(0, first.length).equals(first)).toBe(true);
    expect(both.toString("utf8")).toContain("\n\n## 2025-03-05 — cpu session on main\n");
  });

  test("hand-written notes without a final newline are kept byte for byte and the section starts on its own", () => {
    const notes = "# Notes\n\nthe ORM dominates";
    fs.writeFileSync(file, notes);
    appendLearnings(file, buildLearningsSection({ date: "2025-03-04", domain: "cpu", branch: "main", rows }));
    const text = fs.readFileSync(file, "utf8");
    expect(text.startsWith(`${notes}\n\n## 2025-03-04`)).toBe(true);
  });

  test("the next session's rows start after the experiments earlier sections cover", () => {
    appendLearnings(file, buildLearningsSection({ date: "2025-03-04", domain: "cpu", branch: "main", rows: rows.slice(0, 3) }));
    expect(unlearnedRows(rows, fs.readFileSync(file, "utf8")).map((r) => r.experiment)).toEqual([4, 5]);
    expect(unlearnedRows(rows, "").map((r) => r.experiment)).toEqual([1, 2, 3, 4, 5]);
  });

  test("a missing .codeflash directory says to run xloop init", () => {
    expect(() => appendLearnings(path.join(dir, "nope", "learnings.md"), "x")).toThrow("xloop init");
  });
});
