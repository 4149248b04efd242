/**
 * `bench --domain async` output: per target and concurrency level, throughput with its
 * interval, latency p50/p99, event-loop delay and the share of time spent waiting.
 */
import type { AsyncTargetResult } from "../async/run-async.ts";
import { blocksEventLoop } from "../async/summarize.ts";
import { formatRate } from "../format/units.ts";
import { renderMarkdownTable, renderTable, renderTsv } from "../format/table.ts";

const header = ["target", "concurrency", "calls/s [95% CI]", "p50", "p99", "loop delay p99", "waiting"];

function ms(value: number): string {
  if (!Number.isFinite(value)) return "-";
  return value >= 100 ? `${value.toFixed(0)} ms` : value >= 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`;
}

function rows(results: AsyncTargetResult[]): string[][] {
  return results.flatMap((r) => {
    if (!r.ok) return [[r.target, "", "error", "", "", "", ""]];
    return r.stats.levels.map((l) => [
      r.target,
      String(l.concurrency),
      `${formatRate(l.throughput)} [${formatRate(l.throughputCi[0])}, ${formatRate(l.throughputCi[1])}]`,
      ms(l.p50Ms),
      ms(l.p99Ms),
      `${ms(l.loopDelayP99Ms)}${blocksEventLoop(l) ? " BLOCKED" : ""}`,
      `${Math.round(l.waitingShare * 100)}%`,
    ]);
  });
}

/** The terminal table, errors, blocked event loops in words, and how the delay was measured. */
export function renderAsyncHuman(results: AsyncTargetResult[], measuredOn: string): string {
  const lines = [renderTable(header, rows(results))];
  for (const r of results) {
    if (!r.ok) {
      lines.push(`error: ${r.error.message}`);
      continue;
    }
    if (!r.stats.isAsync) lines.push(`note: ${r.target} returned no promise: its calls run one after the other whatever the concurrency`);
    const blocked = r.stats.levels.filter(blocksEventLoop);
    if (blocked.length) lines.push(`blocked: ${r.target} holds the event loop (p99 delay ${ms(blocked[0].loopDelayP99Ms)} at concurrency ${blocked[0].concurrency}, ${ms(blocked[0].idleLoopDelayP99Ms)} idle): synchronous work between its awaits delays every other task`);
  }
  const measured = results.find((r) => r.ok);
  if (measured?.ok) lines.push(`measured on ${measuredOn} in real time, ${measured.stats.processes} fresh processes per target; event-loop delay from ${measured.stats.loopDelaySource}; waiting = share of wall time off the CPU`);
  return lines.join("\n");
}

/** Tab-separated: one row per target and level; times in ms. */
export function renderAsyncTsv(results: AsyncTargetResult[]): string {
  return renderTsv(
    ["target", "concurrency", "calls_per_second", "ci_low", "ci_high", "p50_ms", "p99_ms", "loop_delay_p99_ms", "waiting_share"],
    results.flatMap((r) => (r.ok ? r.stats.levels.map((l) => [r.target, l.concurrency, l.throughput, l.throughputCi[0], l.throughputCi[1], l.p50Ms, l.p99Ms, l.loopDelayP99Ms, l.waitingShare]) : [[r.target, "", "", "", "", "", "", "", ""]])),
  );
}

/** A markdown table. */
export function renderAsyncMarkdown(results: AsyncTargetResult[]): string {
  return renderMarkdownTable(header, rows(results));
}
