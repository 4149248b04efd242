/**
 * `xloop imports` output: a table like Python's `-X importtime` (self and cumulative
 * per module, sorted by cumulative), then cycles and hints; and the TSV and markdown forms.
 */
import type { ImportTimes, ModuleTime, TimeEstimate } from "../structure/import-time.ts";
import { renderTable, renderTsv } from "../format/table.ts";

function ms(value: number): string {
  if (!Number.isFinite(value)) return "-";
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function withCi(t: TimeEstimate | null): string {
  return t ? `${ms(t.median)} [${ms(t.ci[0])}, ${ms(t.ci[1])}]` : "lazy";
}

function flags(m: ModuleTime): string {
  return [m.isPackage ? "package" : "", m.barrel ? "barrel" : "", m.highFanIn ? `fan-in ${m.fanIn}` : ""].filter(Boolean).join(", ");
}

/** The table and notes for a terminal. */
export function renderImportsHuman(times: ImportTimes, hints: string[], runtime: string): string {
  const rows = times.modules.map((m) => [m.name, withCi(m.self), withCi(m.cumulative), flags(m)]);
  const lines = [
    `${times.entry}: ${ms(times.total.median)} ms to import [95% CI ${ms(times.total.ci[0])}, ${ms(times.total.ci[1])}], median of ${times.runs} cold processes on ${runtime}`,
    "",
    renderTable(["module", "self ms [95% CI]", "cumulative ms [95% CI]", ""], rows),
  ];
  if (times.cycles.length) lines.push("", ...times.cycles.map((c) => `cycle: ${[...c, c[0]].join(" -> ")} (the member imported first carries the others' own time)`));
  if (hints.length) lines.push("", ...hints.map((h) => `hint: ${h}`));
  return lines.join("\n");
}

/** Tab-separated: one row per module, ms. */
export function renderImportsTsv(times: ImportTimes): string {
  const header = ["module", "package", "self_ms", "self_ci_low", "self_ci_high", "cumulative_ms", "cumulative_ci_low", "cumulative_ci_high", "fan_in", "barrel"];
  const cell = (t: TimeEstimate | null, k: 0 | 1 | 2) => (t ? String(k === 0 ? t.median : t.ci[k - 1]) : "");
  const rows = times.modules.map((m) => [m.name, String(m.isPackage), cell(m.self, 0), cell(m.self, 1), cell(m.self, 2), cell(m.cumulative, 0), cell(m.cumulative, 1), cell(m.cumulative, 2), String(m.fanIn), String(m.barrel)]);
  return renderTsv(header, rows);
}

/** A markdown table with the total above it. */
export function renderImportsMarkdown(times: ImportTimes, hints: string[]): string {
  const lines = [
    `**${times.entry}**: ${ms(times.total.median)} ms to import (95% CI ${ms(times.total.ci[0])}–${ms(times.total.ci[1])} ms, ${times.runs} cold runs)`,
    "",
    "| self ms | cumulative ms | module | |",
    "|---:|---:|:---|:---|",
    ...times.modules.map((m) => `| ${withCi(m.self)} | ${withCi(m.cumulative)} | \`${m.name}\` | ${flags(m)} |`),
  ];
  if (hints.length) lines.push("", ...hints.map((h) => `- ${h}`));
  return lines.join("\n");
}
