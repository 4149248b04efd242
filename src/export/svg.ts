/**
 * Inline SVG pictures for the HTML report (no scripts, no fonts fetched): each
 * side's distribution of per-worker medians as a box plot over its points, a ratio
 * with its interval against the ±threshold band, and compare's speedups side by side.
 */
import { quantile } from "../stats/descriptive.ts";
import { formatDuration } from "../format/units.ts";
import type { Comparison } from "./entries.ts";

/** Escapes text for HTML and SVG content and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Colour of a verdict in the pictures and the table. */
export function verdictColour(verdict: string): string {
  return verdict === "faster" ? "#1a7f37" : verdict === "slower" ? "#cf222e" : verdict === "same" ? "#57606a" : "#9a6700";
}

const WIDTH = 640;
let LEFT = 150;
const RIGHT = 40;
let PLOT = WIDTH - LEFT - RIGHT;

/** Runs `draw` with a wider label column (compare's long benchmark names). */
function withLeft<T>(left: number, draw: () => T): T {
  const saved = LEFT;
  LEFT = left;
  PLOT = WIDTH - LEFT - RIGHT;
  try {
    return draw();
  } finally {
    LEFT = saved;
    PLOT = WIDTH - LEFT - RIGHT;
  }
}

const f = (n: number) => n.toFixed(1);

/**
 * Tick labels for a time axis: one unit (chosen by the larger end) and as many
 * decimals as the step needs, so neighbouring ticks never read the same.
 */
export function durationTicks(low: number, high: number, count = 5): string[] {
  const top = Math.max(Math.abs(low), Math.abs(high));
  const [divisor, unit] = top < 1e3 ? [1, "ns"] : top < 1e6 ? [1e3, "µs"] : top < 1e9 ? [1e6, "ms"] : [1e9, "s"];
  const step = (high - low) / (count - 1) / divisor;
  const decimals = step > 0 ? Math.min(6, Math.max(0, Math.ceil(-Math.log10(step)))) : 2;
  return Array.from({ length: count }, (_, i) => `${((low + ((high - low) * i) / (count - 1)) / divisor).toFixed(decimals)} ${unit}`);
}

function ticks(low: number, high: number, format: (v: number) => string, height: number, labels?: string[]): string {
  const out: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const value = low + ((high - low) * i) / 4;
    const x = LEFT + (PLOT * i) / 4;
    out.push(`<line x1="${f(x)}" y1="10" x2="${f(x)}" y2="${height - 22}" stroke="#d0d7de" stroke-width="1"/>`);
    out.push(`<text x="${f(x)}" y="${height - 6}" font-size="11" text-anchor="middle" fill="#57606a">${escapeHtml(labels?.[i] ?? format(value))}</text>`);
  }
  return out.join("");
}

/**
 * The axis's span: the values with a margin either side; for quantities that cannot be
 * negative (times, ratios) the margin stops at zero, so no axis reads "-1 µs".
 */
function range(values: number[], { pad = 0.08, nonNegative = false }: { pad?: number; nonNegative?: boolean } = {}): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  if (high === low) [low, high] = [low * 0.99 - 1e-9, high * 1.01 + 1e-9];
  const margin = (high - low) * pad;
  return [nonNegative && low >= 0 ? Math.max(0, low - margin) : low - margin, high + margin];
}

/** One row of a distribution picture: a label and its per-worker medians (ns). */
export interface DistributionRow {
  label: string;
  values: number[];
  colour: string;
}

/**
 * Box plots (quartiles, whiskers to the extremes) over the points themselves, one row
 * per side, on a shared time axis.
 */
export function distributionSvg(rows: DistributionRow[]): string {
  const rowHeight = 44;
  const height = rows.length * rowHeight + 40;
  const [low, high] = range(rows.flatMap((r) => r.values), { nonNegative: true });
  const x = (v: number) => LEFT + ((v - low) / (high - low)) * PLOT;
  const parts = [ticks(low, high, formatDuration, height, durationTicks(low, high))];
  rows.forEach((row, i) => {
    const mid = 14 + i * rowHeight + rowHeight / 2;
    parts.push(`<text x="${LEFT - 8}" y="${f(mid + 4)}" font-size="12" text-anchor="end" fill="#24292f">${escapeHtml(row.label)}</text>`);
    if (row.values.length === 0) return;
    const [q1, q2, q3] = [0.25, 0.5, 0.75].map((q) => quantile(row.values, q));
    const [min, max] = [Math.min(...row.values), Math.max(...row.values)];
    parts.push(`<line x1="${f(x(min))}" y1="${f(mid)}" x2="${f(x(max))}" y2="${f(mid)}" stroke="${row.colour}" stroke-width="1.5"/>`);
    parts.push(`<rect x="${f(x(q1))}" y="${f(mid - 11)}" width="${f(Math.max(1, x(q3) - x(q1)))}" height="22" fill="${row.colour}" fill-opacity="0.25" stroke="${row.colour}" stroke-width="1.5"/>`);
    parts.push(`<line x1="${f(x(q2))}" y1="${f(mid - 11)}" x2="${f(x(q2))}" y2="${f(mid + 11)}" stroke="${row.colour}" stroke-width="3"/>`);
    row.values.forEach((v, k) => {
      const jitter = ((k * 7) % 11) - 5;
      parts.push(`<circle cx="${f(x(v))}" cy="${f(mid + jitter)}" r="2.5" fill="${row.colour}" fill-opacity="0.8"/>`);
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">${parts.join("")}</svg>`;
}

/**
 * The paired ratio (head/base): each pair's ratio as a point, the ±threshold band
 * around 1, the line at 1, and the estimate with its interval in the verdict's colour.
 */
export function ratioSvg(c: Comparison): string {
  const height = 110;
  const threshold = Number.isFinite(c.threshold) ? c.threshold : 0;
  const ciKnown = Number.isFinite(c.ci[0]) && Number.isFinite(c.ci[1]);
  const [low, high] = range([1 - threshold, 1 + threshold, ...c.pairRatios, ...(ciKnown ? c.ci : []), c.ratio], { nonNegative: true });
  const x = (v: number) => LEFT + ((Math.min(high, Math.max(low, v)) - low) / (high - low)) * PLOT;
  const colour = verdictColour(c.verdict);
  const parts = [ticks(low, high, (v) => `${v.toFixed(3)}x`, height)];
  if (threshold > 0) parts.push(`<rect x="${f(x(1 - threshold))}" y="10" width="${f(x(1 + threshold) - x(1 - threshold))}" height="${height - 32}" fill="#8c959f" fill-opacity="0.18"/>`);
  parts.push(`<line x1="${f(x(1))}" y1="10" x2="${f(x(1))}" y2="${height - 22}" stroke="#57606a" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${LEFT - 8}" y="34" font-size="12" text-anchor="end" fill="#24292f">pairs</text>`);
  c.pairRatios.forEach((r, k) => parts.push(`<circle cx="${f(x(r))}" cy="${f(30 + ((k * 5) % 9) - 4)}" r="2.5" fill="#57606a" fill-opacity="0.7"/>`));
  parts.push(`<text x="${LEFT - 8}" y="68" font-size="12" text-anchor="end" fill="#24292f">ratio, ${Math.round(c.confidence * 1000) / 10}% CI</text>`);
  if (ciKnown) {
    parts.push(`<line x1="${f(x(c.ci[0]))}" y1="64" x2="${f(x(c.ci[1]))}" y2="64" stroke="${colour}" stroke-width="4"/>`);
    for (const end of c.ci) parts.push(`<line x1="${f(x(end))}" y1="56" x2="${f(x(end))}" y2="72" stroke="${colour}" stroke-width="2"/>`);
  }
  if (Number.isFinite(c.ratio)) parts.push(`<circle cx="${f(x(c.ratio))}" cy="64" r="5" fill="${colour}"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">${parts.join("")}</svg>`;
}

/** One benchmark's speedup (base/head) with its interval. */
export interface SpeedupBar {
  name: string;
  speedup: number;
  ci: [number, number];
  verdict: string;
  threshold: number;
}

/**
 * compare's per-benchmark speedups on a log axis around 1x: a bar from 1 to the
 * speedup in the verdict's colour, its interval as a whisker, the ±threshold band.
 */
export function speedupSvg(bars: SpeedupBar[]): string {
  return withLeft(280, () => speedupPicture(bars));
}

function speedupPicture(bars: SpeedupBar[]): string {
  const rowHeight = 24;
  const height = bars.length * rowHeight + 40;
  const logs = bars.flatMap((b) => [b.speedup, ...b.ci]).filter((v) => Number.isFinite(v) && v > 0).map(Math.log);
  const [low, high] = range([0, ...logs, Math.log(1.05), Math.log(1 / 1.05)]);
  const x = (v: number) => LEFT + ((Math.min(high, Math.max(low, Math.log(v))) - low) / (high - low)) * PLOT;
  const parts = [ticks(low, high, (v) => `${Math.exp(v).toFixed(2)}x`, height)];
  const t = bars.find((b) => Number.isFinite(b.threshold))?.threshold ?? 0;
  if (t > 0) parts.push(`<rect x="${f(x(1 / (1 + t)))}" y="10" width="${f(x(1 / (1 - t)) - x(1 / (1 + t)))}" height="${height - 32}" fill="#8c959f" fill-opacity="0.18"/>`);
  parts.push(`<line x1="${f(x(1))}" y1="10" x2="${f(x(1))}" y2="${height - 22}" stroke="#57606a" stroke-dasharray="4 3"/>`);
  bars.forEach((b, i) => {
    const mid = 16 + i * rowHeight + rowHeight / 2;
    const label = b.name.length > 42 ? `…${b.name.slice(-41)}` : b.name;
    parts.push(`<text x="${LEFT - 8}" y="${f(mid + 4)}" font-size="11" text-anchor="end" fill="#24292f">${escapeHtml(label)}</text>`);
    if (!Number.isFinite(b.speedup) || b.speedup <= 0) {
      parts.push(`<text x="${f(x(1) + 6)}" y="${f(mid + 4)}" font-size="11" fill="#cf222e">failed</text>`);
      return;
    }
    const colour = verdictColour(b.verdict);
    const [a, z] = [Math.min(x(1), x(b.speedup)), Math.max(x(1), x(b.speedup))];
    parts.push(`<rect x="${f(a)}" y="${f(mid - 7)}" width="${f(Math.max(1, z - a))}" height="14" fill="${colour}" fill-opacity="0.75"/>`);
    if (Number.isFinite(b.ci[0]) && Number.isFinite(b.ci[1])) parts.push(`<line x1="${f(x(b.ci[0]))}" y1="${f(mid)}" x2="${f(x(b.ci[1]))}" y2="${f(mid)}" stroke="#24292f" stroke-width="1.5"/>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">${parts.join("")}</svg>`;
}
