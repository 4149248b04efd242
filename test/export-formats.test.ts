import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { abEntries, benchEntries, suiteEntries } from "../src/export/entries.ts";
import { csvTextCell, renderCsv } from "../src/export/csv.ts";
import { bmfDocument, renderBmf } from "../src/export/bmf.ts";
import { gabEntries, renderGab } from "../src/export/gab.ts";
import { renderHtml } from "../src/export/html.ts";
import { distributionSvg, durationTicks, ratioSvg } from "../src/export/svg.ts";
import { renderExport } from "../src/export/files.ts";
import { renderAbMarkdown } from "../src/output/ab-report.ts";
import { renderSuiteMarkdown } from "../src/compare/report-suite.ts";
import { BmfSchema, GabSchema, parseCsv } from "./fixtures/export-schemas.ts";
import { madeUpAb, madeUpFailure, madeUpSuite, madeUpTarget } from "./fixtures/made-up-results.ts";

const bench = [madeUpTarget("src/a.ts#parse", 2310), madeUpTarget("=HYPERLINK(\"http://x\"),evil#f", 500), madeUpFailure("src/b.ts#broken", "threw: TypeError: x is not a function")];
const ab = [madeUpAb("src/v1.ts#parse", "src/v2.ts#parse", 2310, 0.887, "faster")];

describe("CSV export", () => {
  test("a cell that a spreadsheet would run as a formula starts with a quote mark, and one with a comma is quoted", () => {
    for (const lead of ["=", "+", "-", "@"]) expect(csvTextCell(`${lead}SUM(A1)`)).toBe(`'${lead}SUM(A1)`);
    expect(csvTextCell("\tcmd")).toBe("'\tcmd");
    expect(csvTextCell("src/a,b.ts#f")).toBe('"src/a,b.ts#f"');
    expect(csvTextCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvTextCell("src/a.ts#parse")).toBe("src/a.ts#parse");
  });

  test("bench's CSV has one row per target with times in ns, and a failed target keeps its name and error", () => {
    const rows = parseCsv(renderCsv(benchEntries(bench)));
    expect(rows[0]).toEqual(["name", "median_ns", "ci_low_ns", "ci_high_ns", "mean_ns", "stdev_ns", "min_ns", "max_ns", "replicates", "error"]);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.length === rows[0].length)).toBe(true);
    expect(rows[1][0]).toBe("src/a.ts#parse");
    expect(Number(rows[1][1])).toBeCloseTo(2310, 6);
    expect(rows[2][0]).toBe("'=HYPERLINK(\"http://x\"),evil#f");
    expect(rows[3][0]).toBe("src/b.ts#broken");
    expect(rows[3][1]).toBe("");
    expect(rows[3][9]).toBe("threw: TypeError: x is not a function");
  });

  test("ab's CSV adds base, ratio, its interval, verdict, threshold and pairs", () => {
    const rows = parseCsv(renderCsv(abEntries(ab)));
    const row = Object.fromEntries(rows[0].map((h, i) => [h, rows[1][i]]));
    expect(row.name).toBe("src/v2.ts#parse");
    expect(row.base).toBe("src/v1.ts#parse");
    expect(Number(row.ratio)).toBeCloseTo(0.887, 6);
    expect(Number(row.ratio_ci_low)).toBeLessThan(Number(row.ratio));
    expect(row.verdict).toBe("faster");
    expect(Number(row.threshold)).toBe(0.01);
    expect(Number(row.pairs)).toBe(10);
  });
});

describe("Bencher Metric Format export", () => {
  test("every measured benchmark has a latency with value, lower_value and upper_value in ns, and the document passes BMF's schema", () => {
    const doc = JSON.parse(renderBmf(benchEntries(bench)));
    expect(v.safeParse(BmfSchema, doc).success).toBe(true);
    expect(Object.keys(doc)).toEqual(["src/a.ts#parse", "=HYPERLINK(\"http://x\"),evil#f"]);
    const latency = doc["src/a.ts#parse"].latency;
    expect(Object.keys(latency)).toEqual(["value", "lower_value", "upper_value"]);
    expect(latency.value).toBeCloseTo(2310, 6);
    expect(latency.lower_value).toBeCloseTo(2310 * 0.99, 6);
    expect(latency.upper_value).toBeCloseTo(2310 * 1.01, 6);
    expect(latency.lower_value).toBeLessThanOrEqual(latency.value);
    expect(latency.upper_value).toBeGreaterThanOrEqual(latency.value);
  });

  test("a failed benchmark is left out rather than reported as zero", () => {
    expect(bmfDocument(benchEntries(bench))["src/b.ts#broken"]).toBeUndefined();
    expect(JSON.stringify(bmfDocument(benchEntries(bench)))).not.toContain(":0");
  });

  test("a comparison reports head's latency under head's name", () => {
    const doc = bmfDocument(abEntries(ab));
    expect(v.safeParse(BmfSchema, doc).success).toBe(true);
    expect(doc["src/v2.ts#parse"].latency.value).toBeCloseTo(2310 * 0.887, 6);
  });
});

describe("github-action-benchmark export", () => {
  test("each entry has name, unit ns, the median as value, '± half-width' as range and the interval in extra, and passes the action's schema", () => {
    const entries = JSON.parse(renderGab(benchEntries(bench)));
    expect(v.safeParse(GabSchema, entries).success).toBe(true);
    expect(entries).toHaveLength(2);
    const first = entries[0];
    expect(Object.keys(first)).toEqual(["name", "unit", "value", "range", "extra"]);
    expect(first.name).toBe("src/a.ts#parse");
    expect(first.unit).toBe("ns");
    expect(first.value).toBeCloseTo(2310, 6);
    expect(first.range).toMatch(/^± [0-9.]+$/);
    expect(Number(first.range.slice(2))).toBeCloseTo(23.1, 1);
    expect(first.extra).toContain("95% CI [2.29 µs, 2.33 µs]");
    expect(first.extra).toContain("10 fresh workers");
  });

  test("a comparison's extra names base, the ratio with its interval and the verdict", () => {
    const [entry] = gabEntries(abEntries(ab));
    expect(entry.extra).toContain("vs src/v1.ts#parse: 0.887x [0.883, 0.891] faster");
  });
});

describe("markdown and JSON exports", () => {
  test("ab's markdown is a table naming both targets in full, the ratio, interval and verdict", () => {
    const md = renderAbMarkdown(ab, "node 20.20.2");
    expect(md).toContain("| comparison | medians | ratio | 99% CI | verdict |");
    expect(md).toContain("| `src/v1.ts#parse` → `src/v2.ts#parse` | base 2.31 µs -> head 2.05 µs | 0.887x | [0.883, 0.891] | **faster** |");
    expect(md).toContain("measured on node 20.20.2");
  });

  test("the markdown export is the command's markdown report and the JSON export its JSON document", () => {
    const report = madeUpSuite(3);
    const bundle = { json: () => ({ command: "compare", n: 3 }), markdown: () => renderSuiteMarkdown(report), entries: suiteEntries(report), html: () => ({ title: "t", context: [], entries: [], speedups: true }) };
    expect(renderExport("markdown", bundle)).toBe(`${renderSuiteMarkdown(report)}\n`);
    expect(JSON.parse(renderExport("json", bundle))).toEqual({ command: "compare", n: 3 });
  });
});

describe("HTML report", () => {
  const report = madeUpSuite(20, true);
  const html = renderHtml({ title: "xloop compare: base 1a2b3c4 -> head 5d6e7f8", context: ["measured on node 20.20.2"], entries: suiteEntries(report), speedups: true });

  test("it is one self-contained file: no script, no external stylesheet, image or font", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|href=|url\(|@import/i);
    // The only URL is SVG's namespace name, which is never fetched.
    expect(html.match(/https?:\/\/[^"]+/g)!.every((u) => u === "http://www.w3.org/2000/svg")).toBe(true);
  });

  test("it has a summary table, the speedups picture and per benchmark a distribution and a ratio picture", () => {
    expect(html).toContain("<table>");
    expect(html).toContain("Speedups (base time / head time)");
    expect(html.match(/<section>/g)).toHaveLength(20);
    // 19 measured benchmarks: distribution and ratio each; the speedups picture once.
    expect(html.match(/<svg /g)).toHaveLength(19 * 2 + 1);
    for (const b of report.benchmarks) expect(html).toContain(b.id);
    expect(html).toContain("threw: boom");
    for (const verdict of ["faster", "same", "slower"]) expect(html).toContain(`>${verdict}</td>`);
  });

  test("a narrow time axis still labels each tick differently", () => {
    const labels = durationTicks(1125, 1143);
    expect(new Set(labels).size).toBe(5);
    expect(labels[0]).toBe("1.125 µs");
    expect(durationTicks(120, 480)).toEqual(["120 ns", "210 ns", "300 ns", "390 ns", "480 ns"]);
  });

  test("names are escaped, so a target cannot inject markup", () => {
    const page = renderHtml({ title: "x", context: [], entries: benchEntries([madeUpTarget("<img onerror=alert(1)>#f", 10)]), speedups: false });
    expect(page).not.toContain("<img");
    expect(page).toContain("&lt;img onerror=alert(1)&gt;#f");
  });
});

describe("the pictures' axes", () => {
  test("times and ratios far from zero never get a negative tick label", () => {
    const times = distributionSvg([
      { label: "base", values: [13_000, 13_400, 14_100], colour: "#1f6feb" },
      { label: "head", values: [480, 526, 530], colour: "#8250df" },
    ] as Parameters<typeof distributionSvg>[0]);
    const ratios = ratioSvg({ base: "a", baseLatency: null, ratio: 0.04, ci: [0.037, 0.043], confidence: 0.99, verdict: "faster", threshold: 0.01, pairRatios: [0.039, 0.04, 0.041] } as unknown as Parameters<typeof ratioSvg>[0]);
    for (const svg of [times, ratios]) expect([...svg.matchAll(/>(-[\d.]+)\s?(µs|ns|x)</g)]).toEqual([]);
  });
});
