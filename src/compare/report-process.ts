/**
 * Whole-process reports: per side wall time (mean ± σ, min, median), user and system
 * time, peak memory and runs, a Speedup row with the paired CI and verdict, or the
 * failure with its exit code and output tail.
 */
import { formatDuration } from "../format/units.ts";
import { renderMarkdownTable, renderTable } from "../format/table.ts";
import { paint, type Terminal } from "../format/terminal.ts";
import { bytesOrDash, formatInterval, formatSpeedup, ratioCell, revisionTitle } from "./format.ts";
import { describeFailure, type ProcessReport, type ProcessSideStats } from "./whole-process.ts";

const HEADER = ["", "Wall (mean ± σ)", "Min", "Median", "User", "System", "Peak memory", "Runs"];

const ms = (value: number | null) => (value === null ? "-" : formatDuration(value * 1e6));

function sideRow(label: string, s: ProcessSideStats | null): string[] {
  if (!s) return [label, "-", "-", "-", "-", "-", "-", "0"];
  return [label, `${ms(s.wall.mean)} ± ${ms(s.wall.stdev)}`, ms(s.wall.min), ms(s.wall.median), ms(s.userMs), ms(s.systemMs), bytesOrDash(s.maxRssBytes), String(s.runs)];
}

function rows(report: ProcessReport, code: (t: string) => string): string[][] {
  const { base, head } = report.stats;
  return [
    sideRow(`base ${code(report.base.short)}`, base),
    sideRow(`head ${code(report.head.short)}`, head),
    [
      "Speedup",
      ratioCell(base?.wall.mean, head?.wall.mean),
      ratioCell(base?.wall.min, head?.wall.min),
      `${formatSpeedup(report.speedup)} ${formatInterval(report.speedupCi)}`,
      ratioCell(base?.userMs, head?.userMs),
      ratioCell(base?.systemMs, head?.systemMs),
      ratioCell(base?.maxRssBytes, head?.maxRssBytes),
      report.verdict,
    ],
  ];
}

function method(report: ProcessReport): string {
  const cpu = report.usage.cpu === "wait4" ? "user/system from wait4" : "user/system from the shell's `times` (10 ms ticks)";
  const memory = report.usage.memory === "wait4" ? "peak memory from wait4" : report.usage.memory === "sampled" ? "peak memory sampled every 10 ms (a lower bound)" : "peak memory not measurable here";
  return `${report.pairRatios.length} ABBA pairs after ${report.warmup} warm-up run${report.warmup === 1 ? "" : "s"} per side; shell start-up ${report.shellMs.toFixed(1)} ms subtracted; ${cpu}; ${memory}. Speedup = base wall / head wall; its Median cell is the paired estimate with its 95% CI, verdict against ±${(report.threshold * 100).toFixed(1)}%.`;
}

/** The heading: both revisions and the command. */
export function processHeading(report: ProcessReport, arrow = "->"): string {
  return `xloop compare: base ${revisionTitle(report.base)} ${arrow} head ${revisionTitle(report.head)}, whole process: ${report.command}`;
}

/** The plain-text report. */
export function renderProcessText(report: ProcessReport, terminal: Terminal): string {
  const lines = [paint(terminal, "bold", processHeading(report))];
  for (const note of report.notes) lines.push(paint(terminal, "dim", `note: ${note}`));
  if (report.failure) {
    lines.push(paint(terminal, "red", `failed: ${describeFailure(report.failure, report)}; the comparison stopped`));
    lines.push(report.failure.tail ? `last output:\n${report.failure.tail.replace(/^/gm, "  ")}` : "(no output)");
    return lines.join("\n");
  }
  lines.push(renderTable(HEADER, rows(report, (t) => t)));
  lines.push(paint(terminal, "dim", method(report)));
  return lines.join("\n");
}

/** GitHub-flavoured markdown. */
export function renderProcessMarkdown(report: ProcessReport): string {
  const code = (t: string) => `\`${t}\``;
  const lines = [`## xloop compare: base ${code(report.base.short)} → head ${code(report.head.short)}`, "", `Whole process: ${code(report.command)}${report.prepare ? `, prepared by ${code(report.prepare)}` : ""}. Base: ${revisionTitle(report.base)}, head: ${revisionTitle(report.head)}.`, ""];
  for (const note of report.notes) lines.push(`> Note: ${note}`, "");
  if (report.failure) {
    lines.push(`**Failed**: ${describeFailure(report.failure, report)}; the comparison stopped.`, "", "```", report.failure.tail || "(no output)", "```");
    return lines.join("\n");
  }
  lines.push(renderMarkdownTable(HEADER, rows(report, code)).replace(/^\|  \|/, "| |").replace("| Speedup |", "| **Speedup** |"), "", `<sub>${method(report)}</sub>`);
  return lines.join("\n");
}
