/**
 * `--html`: one self-contained HTML file (inline CSS and SVG; no script, no network)
 * with a summary table on top, compare's per-benchmark speedups, then per benchmark
 * the distribution of per-worker medians and, for comparisons, the ratio with its
 * interval against the ±threshold band.
 */
import { formatDuration, formatRatio } from "../format/units.ts";
import type { ExportEntry } from "./entries.ts";
import { distributionSvg, escapeHtml, ratioSvg, speedupSvg, verdictColour } from "./svg.ts";

/** What the page is about: its title, a few lines of context, and the entries. */
export interface HtmlReport {
  /** e.g. "xloop bench", "xloop compare: base 1a2b3c4 -> head 5d6e7f8". */
  title: string;
  /** Lines under the title: the runtime that measured, the machine, notes. */
  context: string[];
  entries: ExportEntry[];
  /** True for compare: adds the speedups picture, and speaks of speedup (base/head). */
  speedups: boolean;
}

const STYLE = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#24292f;background:#fff;margin:24px auto;max-width:900px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 6px;word-break:break-all}p.context{color:#57606a;margin:2px 0}
table{border-collapse:collapse;margin:14px 0;width:100%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left;white-space:normal;word-break:break-all}th{background:#f6f8fa}
.verdict{font-weight:600}.error{color:#cf222e}figure{margin:6px 0}figcaption{color:#57606a;font-size:12px}`;

function ci(range: [number, number] | null | undefined, format: (v: number) => string): string {
  return range && Number.isFinite(range[0]) && Number.isFinite(range[1]) ? `[${format(range[0])}, ${format(range[1])}]` : "-";
}

function verdictCell(verdict: string): string {
  return `<td class="verdict" style="color:${verdictColour(verdict)}">${escapeHtml(verdict)}</td>`;
}

function summaryTable(entries: ExportEntry[], speedups: boolean): string {
  const compared = entries.some((e) => e.comparison);
  const header = compared ? ["benchmark", "base", "head", speedups ? "speedup" : "ratio", "CI", "verdict"] : ["target", "median", "95% CI", "min", "mean", "workers"];
  const rows = entries.map((e) => {
    const name = `<td>${escapeHtml(e.name)}</td>`;
    if (e.error && !e.latency) return `<tr>${name}<td class="error" colspan="${header.length - 1}">${escapeHtml(e.error)}</td></tr>`;
    const l = e.latency;
    const c = e.comparison;
    if (!compared || !c) return `<tr>${name}<td>${l ? formatDuration(l.medianNs) : "-"}</td><td>${ci(l?.ciNs, formatDuration)}</td><td>${l ? formatDuration(l.minNs) : "-"}</td><td>${l ? formatDuration(l.meanNs) : "-"}</td><td>${l?.replicates ?? "-"}</td></tr>`;
    const figure = speedups ? formatRatio(1 / c.ratio) : formatRatio(c.ratio);
    const interval = speedups ? ci([1 / c.ci[1], 1 / c.ci[0]], (v) => v.toFixed(3)) : ci(c.ci, (v) => v.toFixed(3));
    return `<tr>${name}<td>${c.baseLatency ? formatDuration(c.baseLatency.medianNs) : "-"}</td><td>${l ? formatDuration(l.medianNs) : "-"}</td><td>${figure}</td><td>${interval}</td>${verdictCell(c.verdict)}</tr>`;
  });
  return `<table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function section(e: ExportEntry): string {
  const parts = [`<section><h2>${escapeHtml(e.name)}</h2>`];
  if (e.error) parts.push(`<p class="error">${escapeHtml(e.error)}</p>`);
  const c = e.comparison;
  const rows = [];
  if (c?.baseLatency) rows.push({ label: "base", values: c.baseLatency.replicateNs, colour: "#0969da" });
  if (e.latency) rows.push({ label: c ? "head" : "median per worker", values: e.latency.replicateNs, colour: "#8250df" });
  if (rows.length) {
    const what = e.latency?.ciNs === null ? "Each run's wall time" : "Each fresh worker's median";
    parts.push(`<figure>${distributionSvg(rows)}<figcaption>${what} (box: quartiles; line: median; whiskers: extremes).</figcaption></figure>`);
  }
  if (c && (c.pairRatios.length || Number.isFinite(c.ratio))) {
    const t = Number.isFinite(c.threshold) ? `±${(c.threshold * 100).toFixed(1)}%` : "no threshold";
    parts.push(
      `<figure>${ratioSvg(c)}<figcaption>Ratio head/base ${formatRatio(c.ratio)} ${ci(c.ci, (v) => v.toFixed(3))}: <span style="color:${verdictColour(c.verdict)};font-weight:600">${escapeHtml(c.verdict)}</span>; grey band: the threshold ${t}; points: each pair's ratio.</figcaption></figure>`,
    );
  }
  parts.push("</section>");
  return parts.join("");
}

/** The HTML document. */
export function renderHtml(report: HtmlReport): string {
  const body = [`<h1>${escapeHtml(report.title)}</h1>`, ...report.context.map((line) => `<p class="context">${escapeHtml(line)}</p>`), summaryTable(report.entries, report.speedups)];
  if (report.speedups) {
    const bars = report.entries.map((e) => ({
      name: e.name,
      speedup: e.comparison ? 1 / e.comparison.ratio : NaN,
      ci: (e.comparison ? [1 / e.comparison.ci[1], 1 / e.comparison.ci[0]] : [NaN, NaN]) as [number, number],
      verdict: e.comparison?.verdict ?? "inconclusive",
      threshold: e.comparison?.threshold ?? NaN,
    }));
    body.push(`<h2>Speedups (base time / head time)</h2><figure>${speedupSvg(bars)}<figcaption>Bars from 1x to each benchmark's speedup in its verdict's colour; black whisker: its interval; grey band: the threshold.</figcaption></figure>`);
  }
  body.push(...report.entries.map(section));
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(report.title)}</title><style>${STYLE}</style></head><body>${body.join("\n")}</body></html>\n`;
}
