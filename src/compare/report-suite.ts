/**
 * Suite-mode reports: per benchmark a table of base and head (Min, Median, Mean,
 * ops/s, rounds) with a Speedup row, then the overall geometric mean. The markdown
 * form is the pull-request table: `| | Min | Median | Mean | OPS | Rounds |`.
 */
import type { TargetResult } from "../benchmark/summarize.ts";
import { formatDuration, formatRate } from "../format/units.ts";
import { renderMarkdownTable, renderTable } from "../format/table.ts";
import { paint, type Terminal } from "../format/terminal.ts";
import { formatInterval, formatSpeedup, ratioCell, revisionTitle } from "./format.ts";
import type { BenchmarkComparison, SuiteReport } from "./suite.ts";

const HEADER = ["", "Min", "Median", "Mean", "OPS", "Rounds"];

function sideRow(label: string, side: TargetResult | undefined): string[] {
  if (!side || !side.ok) return [label, "error", "", "", "", ""];
  const s = side.stats;
  return [label, formatDuration(s.min), formatDuration(s.median), formatDuration(s.mean), formatRate(s.opsPerSecond), String(side.rounds)];
}

/**
 * Base, head and Speedup rows. In the Speedup row, Min, Mean and OPS are plain ratios
 * of those figures; Median is the paired estimate over fresh worker pairs with its
 * interval, and the last cell the verdict it supports.
 */
function rows(b: BenchmarkComparison, report: SuiteReport, code: (text: string) => string): string[][] {
  const r = b.result!;
  const stats = (side: TargetResult) => (side.ok ? side.stats : undefined);
  const [base, head] = [stats(r.base), stats(r.head)];
  return [
    sideRow(`base ${code(report.base.short)}`, r.base),
    sideRow(`head ${code(report.head.short)}`, r.head),
    [
      "Speedup",
      ratioCell(base?.min, head?.min),
      `${formatSpeedup(b.speedup)} ${formatInterval(b.speedupCi)}`,
      ratioCell(base?.mean, head?.mean),
      ratioCell(head?.opsPerSecond, base?.opsPerSecond),
      b.verdict,
    ],
  ];
}

// The failure messages already name the side ("<id> (base 1a2b3c4): failed to import: ...").
function failureLine(b: BenchmarkComparison): string {
  return `failed: ${b.failure!.message}`;
}

function overallLine(report: SuiteReport): string {
  const failed = report.benchmarks.filter((b) => b.failure).length;
  const o = report.overall;
  const failures = failed > 0 ? `; ${failed} failed` : "";
  if (!o) return `Overall: no benchmark could be compared${failures}`;
  const counts = Object.entries(o.verdicts).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`).join(", ");
  const unchanged = o.bound === null ? "" : `; no benchmark changed by more than ${(o.bound * 100).toFixed(1)}%`;
  return `Overall: ${formatSpeedup(o.speedup)} (geometric-mean speedup of ${o.benchmarks} benchmark${o.benchmarks === 1 ? "" : "s"}: ${counts})${unchanged}${failures}`;
}

/**
 * The interval's confidence level as the ab engine reports it ("95%"); results from
 * an engine that does not report one were computed at 95%.
 */
function confidence(report: SuiteReport): string {
  const levels = [...new Set(report.benchmarks.flatMap((b) => (b.result ? [(b.result as { confidence?: number }).confidence ?? 0.95] : [])))];
  return levels.map((c) => `${+(c * 100).toFixed(1)}%`).join("/") || "95%";
}

function thresholds(report: SuiteReport): string {
  const values = [...new Set(report.benchmarks.flatMap((b) => (b.result ? [b.result.threshold] : [])))];
  return values.map((t) => `±${(t * 100).toFixed(1)}%`).join("/") || "-";
}

/** The heading naming both revisions. */
export function suiteHeading(report: Pick<SuiteReport, "base" | "head">, arrow = "->"): string {
  return `xloop compare: base ${revisionTitle(report.base)} ${arrow} head ${revisionTitle(report.head)}`;
}

/** The plain-text report for a terminal or a file. */
export function renderSuiteText(report: SuiteReport, terminal: Terminal): string {
  const lines = [paint(terminal, "bold", suiteHeading(report))];
  for (const note of report.notes) lines.push(paint(terminal, "dim", `note: ${note}`));
  for (const b of report.benchmarks) {
    lines.push("", paint(terminal, "bold", b.id));
    if (b.failure) {
      lines.push(paint(terminal, "red", failureLine(b)));
      continue;
    }
    lines.push(renderTable(HEADER, rows(b, report, (t) => t)));
  }
  lines.push("", paint(terminal, "bold", overallLine(report)));
  lines.push(paint(terminal, "dim", `Speedup = base time / head time. Its Median cell is the paired estimate over fresh interleaved worker pairs with its ${confidence(report)} CI; verdicts against ${thresholds(report)}.`));
  return lines.join("\n");
}

/** The pull-request table: `| | Min | Median | Mean | OPS | Rounds |`, then base, head and a bold Speedup row. */
function markdownTable(body: string[][]): string {
  return renderMarkdownTable(HEADER, body).replace(/^\|  \|/, "| |").replace("| Speedup |", "| **Speedup** |");
}

/** GitHub-flavoured markdown, for a pull-request comment. */
export function renderSuiteMarkdown(report: SuiteReport): string {
  const code = (t: string) => `\`${t}\``;
  const lines = [`## xloop compare: base ${code(report.base.short)} → head ${code(report.head.short)}`, ""];
  lines.push(`Base: ${revisionTitle(report.base)}, head: ${revisionTitle(report.head)}.`, "");
  for (const note of report.notes) lines.push(`> Note: ${note}`, "");
  for (const b of report.benchmarks) {
    lines.push(`### ${code(b.id)}`, "");
    if (b.failure) lines.push(`**Failed**: ${b.failure.message.replace(/\n/g, " ")}`, "");
    else lines.push(markdownTable(rows(b, report, code)), "");
  }
  lines.push(`**${overallLine(report)}**`, "");
  lines.push(`<sub>Speedup = base time / head time; the Median cell of the Speedup row is the paired estimate over fresh interleaved worker pairs with its ${confidence(report)} CI, and the last cell its verdict (threshold ${thresholds(report)}).</sub>`);
  return lines.join("\n");
}
