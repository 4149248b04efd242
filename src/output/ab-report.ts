import type { AbResult } from "../ab/run-ab.ts";
import { equivalenceBound } from "../stats/verdict.ts";
import { formatDuration, formatRatio } from "../format/units.ts";
import { renderMarkdownTable, renderTable } from "../format/table.ts";
import { paint, type Terminal } from "../format/terminal.ts";

function shortName(result: AbResult): string {
  const name = (label: string) => label.slice(label.lastIndexOf("#") + 1);
  const base = name(result.base.target);
  const head = name(result.head.target);
  return base === head ? base : `${base} vs ${head}`;
}

function verdictColor(verdict: AbResult["verdict"]): "green" | "red" | "yellow" | "dim" {
  return verdict === "faster" ? "green" : verdict === "slower" ? "red" : verdict === "inconclusive" ? "yellow" : "dim";
}

/** What an undecided or `same` comparison did show: "no difference beyond ±1.8% at 99%". */
export function boundText(bound: number, confidence: number): string {
  return `no difference beyond ±${(bound * 100).toFixed(1)}% at ${Number((confidence * 100).toPrecision(4))}%`;
}

/** The bound lines of the comparisons that showed no difference, one per comparison. */
function boundLines(results: AbResult[]): string[] {
  return results.flatMap((r) => {
    const bound = equivalenceBound(r.ci);
    if ((r.verdict !== "inconclusive" && r.verdict !== "same") || !Number.isFinite(bound)) return [];
    return [`${shortName(r)}: ${r.verdict} — ${boundText(bound, r.confidence)}`];
  });
}

/** The table's header; the interval column names the confidence it was computed at. */
function abHeader(results: AbResult[]): string[] {
  const level = results[0]?.confidence;
  const confidence = level ? `${Number((level * 100).toPrecision(4))}% CI` : "CI";
  return ["", "medians", "ratio", confidence, "verdict", "threshold", "replicates"];
}

/** One row per comparison, the verdict cell as `verdict` renders it. */
function abRows(results: AbResult[], verdict: (v: AbResult["verdict"]) => string): string[][] {
  return results.map((r) => {
    const median = (side: AbResult["base"]) => (side.ok ? formatDuration(side.stats.median) : "error");
    return [
      shortName(r),
      `base ${median(r.base)} -> head ${median(r.head)}`,
      formatRatio(r.ratio),
      Number.isFinite(r.ci[0]) ? `[${r.ci[0].toFixed(3)}, ${r.ci[1].toFixed(3)}]` : "-",
      verdict(r.verdict),
      `±${(r.threshold * 100).toFixed(1)}%`,
      `${r.rounds} pairs, ${(r.wallMs / 1000).toFixed(1)} s`,
    ];
  });
}

/**
 * One line per comparison — `parse  base 2.31 µs -> head 2.05 µs  0.887x [0.881, 0.893]  faster` —
 * then warnings, a summary when there are several, and the runtime that measured
 * (`measuredOn`, e.g. `node 20.20.2`). Errors go to stderr (see commands/ab.ts).
 */
export function renderAbHuman(results: AbResult[], terminal: Terminal, measuredOn: string): string {
  const lines = [renderTable(abHeader(results), abRows(results, (v) => paint(terminal, verdictColor(v), v))), ...boundLines(results)];
  for (const r of results) {
    for (const side of [r.base, r.head]) if (side.ok) for (const w of side.warnings) if (w.code !== "machine-loaded" && w.code !== "unstable") lines.push(paint(terminal, "yellow", `warning: ${side.target}: ${w.message}`));
  }
  if (results.length > 1) {
    const counts = new Map<string, number>();
    for (const r of results) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
    lines.push(`${results.length} comparisons: ${[...counts].map(([v, n]) => `${n} ${v}`).join(", ")}`);
  }
  lines.push(paint(terminal, "dim", `measured on ${measuredOn}`));
  return lines.join("\n");
}

/**
 * GitHub-flavoured markdown: the same table with the targets in full, then errors and
 * the runtime that measured (`--export-markdown`).
 */
export function renderAbMarkdown(results: AbResult[], measuredOn: string): string {
  const rows = abRows(results, (v) => `**${v}**`).map((row, i) => [`\`${results[i].base.target}\` → \`${results[i].head.target}\``, ...row.slice(1)]);
  const lines = ["## xloop ab", "", renderMarkdownTable(abHeader(results), rows).replace(/^\|  \|/, "| comparison |"), ""];
  const bounds = boundLines(results);
  if (bounds.length > 0) lines.push(...bounds, "");
  for (const r of results) if (r.error) lines.push(`**Error**: ${r.error.message.replace(/\n/g, " ")}`, "");
  lines.push(`<sub>Ratio = head time / base time over fresh interleaved worker pairs; measured on ${measuredOn}.</sub>`);
  return lines.join("\n");
}
