/**
 * The figures a record cell holds, written the way the loop's records already write them
 * (`1.92µs±0.01µs`, `+26.6%`) and read back into numbers.
 */
import { EMPTY, isEmptyCell, type ResultRow } from "./columns.ts";
import { nsPerUnit, timeUnits } from "../format/units.ts";

const BYTE_UNITS = [
  { unit: "B", bytes: 1 },
  { unit: "KiB", bytes: 1024 },
  { unit: "MiB", bytes: 1024 ** 2 },
  { unit: "GiB", bytes: 1024 ** 3 },
] as const;

/**
 * Decimals that show the value to three significant digits and the spread to one,
 * capped at three so a near-zero spread does not print a wall of zeros.
 */
function decimalsFor(value: number, spread: number | undefined): number {
  // Judge the magnitude after rounding: 0.99996 prints as 1.00, not 1.000.
  const rounded = Number(Math.abs(value).toPrecision(3));
  const forValue = rounded === 0 ? 0 : Math.max(0, 2 - Math.floor(Math.log10(rounded)));
  const forSpread = !spread ? 0 : Math.max(0, -Math.floor(Math.log10(spread)));
  return Math.min(3, Math.max(forValue, forSpread));
}

function checkFigure(value: number, what: string): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a finite non-negative number, got ${value}`);
}

/** Formats `value ± spread` in the largest unit that keeps the value at or above 1. */
function formatScaled(
  value: number,
  spread: number | undefined,
  units: readonly { unit: string; size: number }[],
): string {
  let index = 0;
  while (index < units.length - 1 && value >= units[index + 1]!.size) index++;
  let scaled = value / units[index]!.size;
  let decimals = decimalsFor(scaled, spread === undefined ? undefined : spread / units[index]!.size);
  // 999.96ns rounds to "1000ns": the next unit says it in fewer digits.
  if (Number(scaled.toFixed(decimals)) >= 1000 && index < units.length - 1) {
    index++;
    scaled = value / units[index]!.size;
    decimals = decimalsFor(scaled, spread === undefined ? undefined : spread / units[index]!.size);
  }
  const unit = units[index]!;
  const text = `${scaled.toFixed(decimals)}${unit.unit}`;
  return spread === undefined ? text : `${text}±${(spread / unit.size).toFixed(decimals)}${unit.unit}`;
}

/**
 * A duration in nanoseconds, with an optional spread, as a record cell: `1.92µs±0.01µs`.
 * The unit (ps, ns, µs, ms, s) is chosen from the value; the spread uses the same unit
 * so the two read against each other.
 */
export function durationCell(ns: number, spreadNs?: number): string {
  checkFigure(ns, "a duration");
  if (spreadNs !== undefined) checkFigure(spreadNs, "a spread");
  return formatScaled(ns, spreadNs, timeUnits.map((u) => ({ unit: u.unit, size: u.ns })));
}

/** A size in bytes, with an optional spread, as a record cell: `12.4MiB±0.1MiB` (memory domain). */
export function bytesCell(bytes: number, spreadBytes?: number): string {
  checkFigure(bytes, "a size");
  if (spreadBytes !== undefined) checkFigure(spreadBytes, "a spread");
  return formatScaled(bytes, spreadBytes, BYTE_UNITS.map((u) => ({ unit: u.unit, size: u.bytes })));
}

const NUMBER = String.raw`(\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+)`;
const DURATION = new RegExp(String.raw`^${NUMBER}\s*(ps|ns|us|µs|μs|ms|s)(?:\s*±\s*${NUMBER}\s*(ps|ns|us|µs|μs|ms|s)?)?$`, "i");

/**
 * Reads a duration cell back into nanoseconds. Accepts `µ` (micro sign), `μ` (Greek mu)
 * and `us`, since hand-edited records use all three. Undefined for `-` or anything else.
 */
export function parseDurationCell(cell: string): { ns: number; spreadNs?: number } | undefined {
  const match = DURATION.exec(cell.trim());
  if (!match) return undefined;
  const unit = nsPerUnit[match[2]!.toLowerCase()] ?? nsPerUnit[match[2]!]!;
  const ns = Number(match[1]) * unit;
  if (match[3] === undefined) return { ns };
  const spreadUnitName = match[4] ?? match[2]!;
  const spreadUnit = nsPerUnit[spreadUnitName.toLowerCase()] ?? nsPerUnit[spreadUnitName]!;
  return { ns, spreadNs: Number(match[3]) * spreadUnit };
}

/**
 * A relative gain as a cell: `+26.6%`. Positive means better (faster, smaller);
 * the sign is always written so `+` and `-` cannot be confused with a bare figure.
 */
export function percentCell(fraction: number): string {
  if (!Number.isFinite(fraction)) return EMPTY;
  const text = (fraction * 100).toFixed(1);
  // -0.0% would claim a regression that is not there.
  if (Number(text) === 0) return "+0.0%";
  return fraction > 0 ? `+${text}%` : `${text}%`;
}

/** Reads `+26.6%` (or `26.6%`, `-3%`) as the fraction 0.266; undefined for `-` or anything else. */
export function parseImprovement(cell: string): number | undefined {
  const match = /^([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)\s*%$/.exec(cell.trim());
  return match ? Number(match[1]) / 100 : undefined;
}

/** Reads a plain number cell; undefined for `-` or anything that is not a finite number. */
export function parseNumberCell(cell: string): number | undefined {
  if (isEmptyCell(cell)) return undefined;
  const value = Number(cell.trim());
  return Number.isFinite(value) ? value : undefined;
}

/**
 * A row's after/before ratio (below 1 = better), from the best evidence it holds: the
 * measured `ratio` cell, else the `improvement` cell, else the `before`/`after` durations.
 * Rows written by hand by an agent following docs/loop.md have only the last two.
 */
export function rowRatio(row: Pick<ResultRow, "ratio" | "improvement" | "before" | "after">): number | undefined {
  const ratio = parseNumberCell(row.ratio);
  if (ratio !== undefined && ratio > 0) return ratio;
  const improvement = parseImprovement(row.improvement);
  if (improvement !== undefined && improvement < 1) return 1 - improvement;
  const before = parseDurationCell(row.before);
  const after = parseDurationCell(row.after);
  if (before && after && before.ns > 0) return after.ns / before.ns;
  return undefined;
}

/**
 * What a row's before and after measure in its domain: the metric the domain decides
 * on, in the record's unit (bytes for memory, a time for the others; async records the
 * time per completed call, the inverse of its throughput).
 */
export function recordedMetric(domain: string): string {
  switch (domain) {
    case "memory":
      return "bytes allocated per call";
    case "async":
      return "time per completed call at the compared concurrency";
    case "structure":
      return "import time of the module, cold";
    default:
      return "time per call";
  }
}
