import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../src/errors.ts";
import { LOOP_COLUMNS, RESULT_COLUMNS, newRow, type ResultRow } from "../src/record/columns.ts";
import { formatResultRow } from "../src/record/format.ts";
import { parseResults } from "../src/record/parse.ts";
import { appendResult, nextExperimentNumber, readResults, rewriteResult } from "../src/record/results-tsv.ts";
import { escalationOf, escalationRow, isMilestone, milestoneRow } from "../src/record/row-kinds.ts";
import { codeflashFile, removeTempFolders } from "./fixtures/git-repo.ts";

let dir: string;
let file: string;

beforeEach(() => ({ dir, file } = codeflashFile("results.tsv", "xloop-record-")));
afterEach(removeTempFolders);

const LOOP_HEADER = LOOP_COLUMNS.join("\t");

function keep(experiment: number, extra: Partial<ResultRow> = {}): ResultRow {
  return newRow({
    experiment,
    status: "keep",
    pattern: "set-lookup",
    target: "src/price.ts#total",
    before: "1.92µs±0.01µs",
    after: "1.41µs±0.01µs",
    improvement: "+26.6%",
    timestamp: "2025-01-02T03:04:05Z",
    commit: "3f2a9c1",
    domain: "cpu",
    ratio: "0.734",
    ...extra,
  });
}

function errorOf(action: () => unknown): UserError {
  try {
    action();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError");
}

describe("writing and reading the record", () => {
  test("the first append creates the file with xloop's header, the loop's columns first", () => {
    appendResult(file, keep(1));
    const [header] = fs.readFileSync(file, "utf8").split("\n");
    expect(header).toBe(RESULT_COLUMNS.join("\t"));
    expect(header!.startsWith(`${LOOP_HEADER}\tdomain`)).toBe(true);
  });

  test("a description with tabs and newlines round-trips and never breaks the row", () => {
    const description = "index lines\tby sku\nthen sum\r\nwith C:\\cache";
    appendResult(file, keep(1, { description }));
    appendResult(file, keep(2, { description: "second" }));
    const text = fs.readFileSync(file, "utf8");
    expect(text.split("\n").filter(Boolean)).toHaveLength(3);
    const { rows } = readResults(file);
    expect(rows.map((row) => row.description)).toEqual([description, "second"]);
  });

  test("empty cells are written as a dash and read back as a dash", () => {
    appendResult(file, newRow({ experiment: 1, status: "discard", pattern: "caching", reason: "" }));
    const line = fs.readFileSync(file, "utf8").split("\n")[1]!;
    expect(line.split("\t")[8]).toBe("-");
    expect(readResults(file).rows[0]!.reason).toBe("-");
  });

  test("a missing record reads as empty and a missing .codeflash says to run xloop init", () => {
    expect(readResults(file)).toEqual({ columns: [], rows: [] });
    const missing = path.join(dir, "nowhere", "results.tsv");
    expect(errorOf(() => readResults(missing)).message).toContain("xloop init");
    expect(errorOf(() => appendResult(missing, keep(1))).message).toContain("xloop init");
  });

  test("appending to a file without a final newline starts a new line", () => {
    fs.writeFileSync(file, `${LOOP_HEADER}\n1\tbaseline\t-\tsrc/a.ts#f\t2µs\t-\t-\t-\tabc1234`);
    appendResult(file, keep(2));
    expect(readResults(file).rows.map((row) => row.experiment)).toEqual([1, 2]);
  });

  test("a last row cut short and without its line end (a write that was interrupted) is named with its line; a full row without it still reads", () => {
    const whole = `${LOOP_HEADER}\n1\tbaseline\t-\tsrc/a.ts#f\t2µs\t-\t-\t-\tabc1234\n`;
    const torn = `${whole}2\tkeep\tset-lookup\tsrc/a.ts#f\t2µs`;
    expect(errorOf(() => parseResults(torn, file)).message).toBe(`${file} line 3: the row is cut short (5 of 9 columns and no line end): a write was interrupted; complete the row or delete the line`);
    expect(parseResults(`${torn}\t1µs\t+50%\t2025-01-02T03:04:05Z\tdef5678`, file).rows).toHaveLength(2);
    // With its line end, a short row is a hand edit: the older rule names what it lacks.
    expect(errorOf(() => parseResults(`${whole}2\tkeep\n`, file)).message).toContain("fill missing cells with -");
  });

  test("a record from the loop's own agent gets xloop's columns added to the end of its header, rows untouched", () => {
    const original = `${LOOP_HEADER}\n1\tbaseline\t-\tsrc/a.ts#f\t3.859ms±0.079ms\t-\t-\t2025-01-01\tabc1234\n`;
    fs.writeFileSync(file, original);
    appendResult(file, keep(2));
    const lines = fs.readFileSync(file, "utf8").split("\n");
    expect(lines[0]).toBe(RESULT_COLUMNS.join("\t"));
    expect(lines[1]).toBe(original.split("\n")[1]!);
    const { rows } = readResults(file);
    expect(rows[0]!.ratio).toBe("-");
    expect(rows[1]!.ratio).toBe("0.734");
  });

  test("nextExperimentNumber is one past the highest, and 1 for an empty record", () => {
    expect(nextExperimentNumber([])).toBe(1);
    expect(nextExperimentNumber([keep(3), keep(7), keep(5)])).toBe(8);
  });
});

describe("rewriting one row", () => {
  test("an end-to-end contradiction turns a keep into a discard, every other line byte-identical", () => {
    appendResult(file, keep(1));
    appendResult(file, keep(2, { description: "tab\there" }));
    appendResult(file, keep(3));
    const before = fs.readFileSync(file, "utf8").split("\n");
    const updated = rewriteResult(file, 2, (row) => ({ ...row, status: "discard", e2e_ratio: "0.99", reason: "e2e shows <2%" }));
    const after = fs.readFileSync(file, "utf8").split("\n");
    expect(updated.status).toBe("discard");
    expect(after.length).toBe(before.length);
    expect([after[0], after[1], after[3], after[4]]).toEqual([before[0], before[1], before[3], before[4]]);
    const row = readResults(file).rows[1]!;
    expect([row.status, row.e2e_ratio, row.reason, row.description]).toEqual(["discard", "0.99", "e2e shows <2%", "tab\there"]);
  });

  test("rewriting an experiment that is not in the record names it", () => {
    appendResult(file, keep(1));
    expect(errorOf(() => rewriteResult(file, 9, (row) => row)).message).toContain("no row for experiment 9");
  });

  test("no temporary file or lock is left behind", () => {
    appendResult(file, keep(1));
    rewriteResult(file, 1, (row) => ({ ...row, status: "discard" }));
    expect(fs.readdirSync(path.dirname(file))).toEqual(["results.tsv"]);
  });
});

describe("lenient parsing where the meaning is clear", () => {
  test("blank lines and CRLF line endings are ignored", () => {
    const text = `\n${LOOP_HEADER}\r\n\r\n1\tbaseline\t-\tt\t1ms\t-\t-\t-\tabc\r\n\n`;
    expect(parseResults(text, "r.tsv").rows).toHaveLength(1);
  });

  test("status is read in any case", () => {
    const text = `${LOOP_HEADER}\n1\tKEEP\tp\tt\t2ms\t1ms\t+50.0%\t-\tabc\n2\tDiscard\tp\tt\t2ms\t2ms\t+0.0%\t-\t-\n`;
    expect(parseResults(text, "r.tsv").rows.map((row) => row.status)).toEqual(["keep", "discard"]);
  });

  test("a guard token written by hand in the status column becomes the guard cell", () => {
    const text = `${LOOP_HEADER}\n4\tkeep guard_pass\tp\tt\t2ms\t1ms\t+50.0%\t-\tabc\n5\tdiscard,guard_fail\tp\tt\t-\t-\t-\t-\t-\n`;
    const rows = parseResults(text, "r.tsv").rows;
    expect(rows.map((row) => [row.status, row.guard])).toEqual([
      ["keep", "pass"],
      ["discard", "fail"],
    ]);
  });

  test("missing trailing columns read as a dash", () => {
    const header = RESULT_COLUMNS.join("\t");
    const row = parseResults(`${header}\n1\tkeep\tp\tt\t2ms\t1ms\t+50.0%\t-\tabc\tcpu\t0.5\n`, "r.tsv").rows[0]!;
    expect([row.ratio, row.ci_low, row.description, row.e2e_ratio]).toEqual(["0.5", "-", "-", "-"]);
  });

  test("columns are matched by header name, not position", () => {
    const text = "status\tcommit\texperiment\tpattern\ttarget\tbefore\tafter\timprovement\ttimestamp\n" + "keep\tabc\t3\tp\tt\t-\t-\t-\t-\n";
    const row = parseResults(text, "r.tsv").rows[0]!;
    expect([row.experiment, row.status, row.commit]).toEqual([3, "keep", "abc"]);
  });

  test("unknown columns are kept and written back under their names", () => {
    const header = `${LOOP_HEADER}\tnotes`;
    const parsed = parseResults(`${header}\n1\tkeep\tp\tt\t-\t-\t-\t-\tabc\tby hand\n`, "r.tsv");
    const row = parsed.rows[0]!;
    expect(row.extra).toEqual({ notes: "by hand" });
    expect(formatResultRow(row, parsed.columns)).toBe("1\tkeep\tp\tt\t-\t-\t-\t-\tabc\tby hand");
  });

  test("an escalation written by hand as docs/loop.md describes, four cells, is read as what it says", () => {
    const text = `${LOOP_HEADER}\n6\tESCALATE\tpeak heap dominates runtime\tsuggests memory\n`;
    const row = parseResults(text, "r.tsv").rows[0]!;
    expect(escalationOf(row)).toEqual({ experiment: 6, signal: "peak heap dominates runtime", suggests: "memory", from: undefined });
  });

  test("stray tabs at the end of a line carry nothing and are dropped", () => {
    const text = `${LOOP_HEADER}\n1\tkeep\tp\tt\t-\t-\t-\t-\tabc\t\t\n`;
    expect(parseResults(text, "r.tsv").rows[0]!.commit).toBe("abc");
  });
});

describe("errors that name the line", () => {
  test("an unknown status names the file, the line and the valid statuses", () => {
    const rows = ["1\tbaseline\t-\tt\t2ms\t-\t-\t-\tabc", ...[2, 3, 4, 5].map((n) => `${n}\tdiscard\tp\tt\t-\t-\t-\t-\t-`)];
    const text = `${LOOP_HEADER}\n\n${rows.join("\n")}\n7\tkepp\tp\tt\t-\t-\t-\t-\t-\n`;
    const error = errorOf(() => parseResults(text, ".codeflash/results.tsv"));
    expect(error.message).toBe(
      '.codeflash/results.tsv line 8: unknown status "kepp"; use one of baseline, keep, discard, measurement, escalate',
    );
  });

  test("a row missing some of the loop's own nine columns is refused with its line", () => {
    const text = `${LOOP_HEADER}\n1\tkeep\tp\tt\t2ms\t1ms\n`;
    expect(errorOf(() => parseResults(text, "r.tsv")).message).toStartWith("r.tsv line 2: 6 cells but a row needs at least the loop's 9");
  });

  test("more cells than the header has means an unescaped tab, and says so", () => {
    const text = `${LOOP_HEADER}\n1\tkeep\tp\tt\t-\t-\t-\t-\tabc\tstray\ttab\n`;
    expect(errorOf(() => parseResults(text, "r.tsv")).message).toContain("line 2: 11 cells but the header has 9 columns");
  });

  test("an experiment that is not a number is refused", () => {
    const text = `${LOOP_HEADER}\nfour\tkeep\tp\tt\t-\t-\t-\t-\tabc\n`;
    expect(errorOf(() => parseResults(text, "r.tsv")).message).toContain('line 2: experiment "four" is not a whole number');
  });

  test("a file whose first line is not a header says to add one", () => {
    const text = "1\tkeep\tp\tt\t-\t-\t-\t-\tabc\n";
    expect(errorOf(() => parseResults(text, "r.tsv")).message).toContain("r.tsv line 1: expected the header row");
  });

  test("reading a broken record never rewrites it", () => {
    const text = `${LOOP_HEADER}\n1\tkepp\tp\tt\t-\t-\t-\t-\tabc\n`;
    fs.writeFileSync(file, text);
    expect(() => readResults(file)).toThrow(UserError);
    expect(fs.readFileSync(file, "utf8")).toBe(text);
  });
});

describe("loop event rows", () => {
  test("an escalation row reads back as the same escalation", () => {
    appendResult(file, escalationRow({ experiment: 5, signal: "hot function awaits in series", suggests: "async", from: "cpu" }));
    const row = readResults(file).rows[0]!;
    expect([row.status, row.pattern, row.target]).toEqual(["escalate", "hot function awaits in series", "suggests async"]);
    expect(escalationOf(row)).toEqual({ experiment: 5, signal: "hot function awaits in series", suggests: "async", from: "cpu" });
  });

  test("a milestone row is recognised as one and an ordinary measurement is not", () => {
    expect(isMilestone(milestoneRow({ experiment: 9, branch: "codeflash/milestone-v1", commit: "abc" }))).toBe(true);
    expect(isMilestone(newRow({ experiment: 9, status: "measurement", pattern: "e2e" }))).toBe(false);
  });
});

describe("file permissions", () => {
  test("rewriting a row keeps the record's permissions", () => {
    appendResult(file, keep(1));
    fs.chmodSync(file, 0o640);
    rewriteResult(file, 1, (row) => ({ ...row, status: "discard" }));
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
  });
});
