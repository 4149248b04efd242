/**
 * Terminal pictures for `bench --plot` and `ab --plot`, in the manner of mitata's: each
 * target's distribution of per-worker medians as a box plot on a shared axis, and for
 * `ab` each pair's ratio, the estimate's interval and the ±threshold band. Plain ASCII
 * when colour is off (NO_COLOR, --no-color, or stdout not a terminal).
 */
import type { AbResult } from "../ab/run-ab.ts";
import type { TargetResult } from "../benchmark/summarize.ts";
import { quantile } from "../stats/descriptive.ts";
import { paint, type Terminal } from "../format/terminal.ts";
import { formatDuration } from "../format/units.ts";

/** Width of the plotting area, characters. */
const WIDTH = 48;

interface Glyphs {
  line: string;
  box: string;
  median: string;
  /** Whisker ends, left and right. */
  left: string;
  right: string;
  dot: string;
  band: string;
  one: string;
}

const ascii: Glyphs = { line: "-", box: "=", median: "|", left: "|", right: "|", dot: "o", band: ".", one: "|" };
const unicode: Glyphs = { line: "─", box: "█", median: "┃", left: "├", right: "┤", dot: "●", band: "░", one: "│" };

function glyphs(terminal: Terminal): Glyphs {
  return terminal.color ? unicode : ascii;
}

/** Without colour the whole picture is ASCII: units and signs too. */
function finish(text: string, terminal: Terminal): string {
  return terminal.color ? text : text.replace(/µs/g, "us").replace(/±/g, "+/-");
}

type Scale = (value: number) => number;

function scale(values: number[]): { at: Scale; low: number; high: number } {
  const finite = values.filter(Number.isFinite);
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  if (!(high > low)) [low, high] = [low * 0.99, high * 1.01 || 1];
  return { at: (v) => Math.max(0, Math.min(WIDTH - 1, Math.round(((v - low) / (high - low)) * (WIDTH - 1)))), low, high };
}

/** One box-plot line: whiskers to the extremes, box over the quartiles, the median marked. */
export function boxLine(values: number[], at: Scale, g: Glyphs): string {
  const cells = Array<string>(WIDTH).fill(" ");
  if (values.length === 0) return cells.join("");
  const [min, q1, q2, q3, max] = [Math.min(...values), quantile(values, 0.25), quantile(values, 0.5), quantile(values, 0.75), Math.max(...values)].map(at);
  for (let i = min; i <= max; i++) cells[i] = g.line;
  for (let i = q1; i <= q3; i++) cells[i] = g.box;
  cells[min] = g.left;
  cells[max] = g.right;
  cells[q2] = g.median;
  return cells.join("");
}

function axis(low: string, high: string, indent: number): string {
  return `${" ".repeat(indent)}${low}${" ".repeat(Math.max(1, WIDTH - low.length - high.length))}${high}`;
}

/** Box plots of each bench target's per-worker medians on one time axis. */
export function renderBenchPlot(results: TargetResult[], terminal: Terminal): string {
  const measured = results.filter((r): r is Extract<TargetResult, { ok: true }> => r.ok);
  if (measured.length === 0) return "";
  const g = glyphs(terminal);
  const { at, low, high } = scale(measured.flatMap((r) => r.stats.workerMedians));
  const width = Math.max(...measured.map((r) => r.target.length));
  const lines = ["distribution of per-worker medians:"];
  for (const r of measured) lines.push(`${r.target.padEnd(width)}  ${paint(terminal, "bold", boxLine(r.stats.workerMedians, at, g))}  ${formatDuration(r.stats.median)} (${r.stats.workers} workers)`);
  lines.push(axis(formatDuration(low), formatDuration(high), width + 2));
  return finish(lines.join("\n"), terminal);
}

function verdictStyle(verdict: AbResult["verdict"]): "green" | "red" | "yellow" | "dim" {
  return verdict === "faster" ? "green" : verdict === "slower" ? "red" : verdict === "inconclusive" ? "yellow" : "dim";
}

/** One comparison: both sides' distributions, then the pair ratios, interval and threshold band. */
function comparisonPlot(r: AbResult, terminal: Terminal, g: Glyphs): string[] {
  const lines: string[] = [];
  const sides = [r.base, r.head].filter((s): s is Extract<TargetResult, { ok: true }> => s.ok);
  const label = (text: string) => text.padEnd(7);
  if (sides.length) {
    const { at, low, high } = scale(sides.flatMap((s) => s.stats.workerMedians));
    lines.push(`${r.base.target} -> ${r.head.target}: per-worker medians`);
    for (const [name, side] of [["base", r.base], ["head", r.head]] as const) if (side.ok) lines.push(`${label(name)}${paint(terminal, "bold", boxLine(side.stats.workerMedians, at, g))}  ${formatDuration(side.stats.median)}`);
    lines.push(axis(formatDuration(low), formatDuration(high), 7));
  }
  const ciKnown = Number.isFinite(r.ci[0]) && Number.isFinite(r.ci[1]);
  const { at, low, high } = scale([...r.roundRatios, 1 - r.threshold, 1 + r.threshold, ...(ciKnown ? r.ci : [])]);
  const band = Array<string>(WIDTH).fill(" ");
  for (let i = at(1 - r.threshold); i <= at(1 + r.threshold); i++) band[i] = g.band;
  band[at(1)] = g.one;
  const pairs = [...band];
  for (const ratio of r.roundRatios) pairs[at(ratio)] = g.dot;
  lines.push(`head/base ratio of each pair, the ${Math.round(r.confidence * 1000) / 10}% CI and the ±${(r.threshold * 100).toFixed(1)}% band (${g.band}):`);
  lines.push(`${label("pairs")}${pairs.join("")}`);
  if (ciKnown) {
    const ci = [...band];
    const [a, z] = [at(r.ci[0]), at(r.ci[1])];
    for (let i = a; i <= z; i++) ci[i] = "=";
    ci[a] = "[";
    ci[z] = "]";
    if (Number.isFinite(r.ratio)) ci[at(r.ratio)] = "*";
    lines.push(`${label("CI")}${paint(terminal, verdictStyle(r.verdict), ci.join(""))}  ${r.ratio.toFixed(3)}x ${r.verdict}`);
  }
  lines.push(axis(`${low.toFixed(3)}x`, `${high.toFixed(3)}x`, 7));
  return lines;
}

/** Each `ab` comparison's picture, one after the other. */
export function renderAbPlot(results: AbResult[], terminal: Terminal): string {
  const g = glyphs(terminal);
  return finish(results.map((r) => comparisonPlot(r, terminal, g).join("\n")).join("\n\n"), terminal);
}
