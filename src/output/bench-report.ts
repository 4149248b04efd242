import { roundsLimit, type TargetResult } from "../benchmark/summarize.ts";
import { formatDuration, formatPlusMinus, formatRate } from "../format/units.ts";
import { renderMarkdownTable, renderTable, renderTsv } from "../format/table.ts";
import { paint, type Terminal } from "../format/terminal.ts";

const header = ["target", "median", "95% CI", "mean", "p75", "p99", "min", "ops/s", "samples", "batch", "outliers"];

function row(result: TargetResult): string[] {
  if (!result.ok) return [result.target, "error", "", "", "", "", "", "", "", "", ""];
  const s = result.stats;
  return [
    result.target,
    formatDuration(s.median),
    `${formatDuration(s.ci[0])} … ${formatDuration(s.ci[1])}`,
    formatDuration(s.mean),
    formatDuration(s.p75),
    formatDuration(s.p99),
    formatDuration(s.min),
    formatRate(s.opsPerSecond),
    String(s.samples),
    String(result.batch),
    String(s.outliers.low + s.outliers.high),
  ];
}

/**
 * The human report: a table, then each target's warnings on their own lines, then how
 * it was measured, naming the runtime (`measuredOn`, e.g. `node 20.20.2`). A failed
 * target's row says `error`; its message goes to stderr (see commands/bench.ts).
 */
export function renderBenchHuman(results: TargetResult[], terminal: Terminal, measuredOn: string): string {
  const lines = [renderTable(header, results.map(row))];
  for (const r of results) if (r.ok) for (const w of r.warnings) lines.push(paint(terminal, "yellow", `warning: ${r.target}: ${w.message}`));
  const pinned = results.find((r) => r.ok && r.pin.cpu !== null);
  const pinning = pinned && pinned.ok ? `pinned to CPU ${pinned.pin.cpu} (${pinned.pin.method})` : "not pinned";
  if (results.some((r) => r.ok)) lines.push(paint(terminal, "dim", `measured on ${measuredOn}, ${pinning}; ${workersLine(results)}`));
  else lines.push(paint(terminal, "dim", `run on ${measuredOn}`));
  return lines.join("\n");
}

/** How many fresh workers stood behind the figures, and why some targets had more. */
function workersLine(results: TargetResult[]): string {
  const measured = results.filter((r) => r.ok);
  const counts = measured.map((r) => r.stats.workers);
  const fewest = Math.min(...counts);
  const most = Math.max(...counts);
  const goal = measured.find((r) => r.precision.goal !== null)?.precision.goal;
  const range = fewest === most ? `${most}` : `${fewest}-${most}`;
  const missed = measured.filter((r) => r.precision.reached === false).map((r) => `${r.target} (${plan(r)})`);
  const percent = goal == null ? "" : formatPlusMinus(goal);
  const why = goal == null ? "" : missed.length ? `; still wider than ${percent} after the last round: ${missed.join(", ")}` : `; each median within ${percent}`;
  const interleaved = results.length > 1 ? ", targets interleaved slice by slice" : "";
  const copies = Math.max(...measured.map((r) => r.facts.copies.made));
  const copiesText = copies > 1 ? `, each taking turns with ${copies} copies of its target` : "";
  return `${range} fresh workers per target${copiesText}${interleaved}${why}`;
}

/** A missed goal's width and what would meet it next time. */
function plan(result: Extract<TargetResult, { ok: true }>): string {
  const width = formatPlusMinus(result.precision.halfWidth);
  const needed = result.precision.roundsNeeded;
  return needed === null
    ? `${width}; more than ${roundsLimit} rounds would be needed: compare versions with \`xloop ab\` instead`
    : `${width}; about ${needed} rounds would reach it: --max-rounds ${needed}`;
}

/** Markdown table (errors as rows). */
export function renderBenchMarkdown(results: TargetResult[]): string {
  return renderMarkdownTable(header, results.map(row));
}

/** TSV with raw numbers in nanoseconds, for spreadsheets and `cut`. */
export function renderBenchTsv(results: TargetResult[]): string {
  const columns = ["target", "ok", "median_ns", "ci_low_ns", "ci_high_ns", "mean_ns", "p75_ns", "p99_ns", "min_ns", "stdev_ns", "mad_ns", "ops_per_s", "samples", "batch", "workers", "error"];
  return renderTsv(
    columns,
    results.map((r) =>
      r.ok
        ? [r.target, "true", r.stats.median, r.stats.ci[0], r.stats.ci[1], r.stats.mean, r.stats.p75, r.stats.p99, r.stats.min, r.stats.stdev, r.stats.mad, r.stats.opsPerSecond, r.stats.samples, r.batch, r.stats.workers, "-"]
        : [r.target, "false", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", r.error.message],
    ),
  );
}
