/**
 * `--export-csv`: one row per benchmark, times in nanoseconds, safe to open in a
 * spreadsheet. Text cells that a spreadsheet would read as a formula (beginning with
 * `=`, `+`, `-`, `@`, a tab or a carriage return) get a leading `'`, as hyperfine's
 * CSV-injection fix does; cells holding a comma, quote or line break are quoted
 * (RFC 4180). Numbers are written as numbers, so a negative one is never escaped.
 */
import type { ExportEntry } from "./entries.ts";

/** Makes one text cell safe: formula-looking text is neutralised, then quoted when it must be. */
export function csvTextCell(text: string): string {
  const neutral = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}

function numberCell(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "" : String(value);
}

const benchColumns = ["name", "median_ns", "ci_low_ns", "ci_high_ns", "mean_ns", "stdev_ns", "min_ns", "max_ns", "replicates", "error"];
const comparisonColumns = ["base", "base_median_ns", "ratio", "ratio_ci_low", "ratio_ci_high", "verdict", "threshold", "pairs"];

/**
 * The CSV document: `name,median_ns,ci_low_ns,…,error`, and for comparisons (ab,
 * compare) also `base,base_median_ns,ratio,ratio_ci_low,ratio_ci_high,verdict,threshold,pairs`,
 * where median is head's. Failed entries keep their name and error with empty figures.
 */
export function renderCsv(entries: ExportEntry[]): string {
  const compared = entries.some((e) => e.comparison !== null);
  const header = compared ? [...benchColumns.slice(0, -1), ...comparisonColumns, "error"] : benchColumns;
  const rows = entries.map((e) => {
    const l = e.latency;
    const cells = [csvTextCell(e.name), ...[l?.medianNs, l?.ciNs?.[0], l?.ciNs?.[1], l?.meanNs, l?.stdevNs, l?.minNs, l?.maxNs, l?.replicates].map(numberCell)];
    if (compared) {
      const c = e.comparison;
      cells.push(c ? csvTextCell(c.base) : "", numberCell(c?.baseLatency?.medianNs), numberCell(c?.ratio), numberCell(c?.ci[0]), numberCell(c?.ci[1]), c ? c.verdict : "", numberCell(c?.threshold), numberCell(c?.pairRatios.length));
    }
    cells.push(e.error === null ? "" : csvTextCell(e.error.replace(/\s+/g, " ")));
    return cells.join(",");
  });
  return `${[header.join(","), ...rows].join("\n")}\n`;
}
