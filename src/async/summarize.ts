/**
 * A target's async figures from its fresh processes, per concurrency level: pure
 * combination of the probes' reports. Each process is a replicate.
 */
import { bootstrapCI, medianInPlace } from "../stats/bootstrap.ts";
import { median, quantile } from "../stats/descriptive.ts";
import type { AsyncReport } from "./probe.ts";

/** One concurrency level's figures. */
export interface AsyncLevelStats {
  concurrency: number;
  /** Completed calls per second: median over processes, with a 95% bootstrap interval. */
  throughput: number;
  throughputCi: [number, number];
  /** Latency percentiles, ms: medians over processes of each one's percentile. */
  p50Ms: number;
  p99Ms: number;
  /** Event-loop delay p99 and max, ms (median over processes). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Event-loop delay p99 while the process idled before the level, ms (median over processes): the host's own share. */
  idleLoopDelayP99Ms: number;
  /**
   * Share of the wall time the process spent off the CPU (1 - CPU time / wall time):
   * near 1 when the calls wait on timers or I/O, near 0 when their own work keeps the
   * thread busy.
   */
  waitingShare: number;
}

/** One target's async figures. */
export interface AsyncStats {
  isAsync: boolean;
  processes: number;
  loopDelaySource: string;
  levels: AsyncLevelStats[];
}

/** Combines the reports of one target's processes. */
export function summarizeAsync(reports: readonly AsyncReport[]): AsyncStats {
  const levels = reports[0].levels.map((first, index) => {
    const runs = reports.map((r) => r.levels[index]);
    const throughputs = runs.map((l) => (l.completed * 1000) / l.elapsedMs);
    const percentile = (q: number) => median(runs.map((l) => (l.latenciesMs.length ? quantile(l.latenciesMs, q) : NaN)));
    return {
      concurrency: first.concurrency,
      throughput: median(throughputs),
      throughputCi: bootstrapCI(throughputs, medianInPlace, { expand: true }),
      p50Ms: percentile(0.5),
      p99Ms: percentile(0.99),
      loopDelayP99Ms: median(runs.map((l) => l.loopDelayMs.p99)),
      loopDelayMaxMs: median(runs.map((l) => l.loopDelayMs.max)),
      idleLoopDelayP99Ms: median(runs.map((l) => l.idleLoopDelayP99Ms ?? 0)),
      waitingShare: median(runs.map((l) => Math.min(1, Math.max(0, 1 - l.cpuMs / l.elapsedMs)))),
    };
  });
  return { isAsync: reports[0].isAsync, processes: reports.length, loopDelaySource: reports[0].loopDelaySource, levels };
}

/**
 * Whether the target blocked the event loop: its p99 delay more than 10 ms above what
 * the host alone caused (the idle control's p99) and above a tenth of the calls' median
 * latency, which a target doing long synchronous work between awaits shows and one
 * that only waits does not. Without the control, a target awaiting 10 ms sleeps read
 * 12.3 ms on a host running four measurements on two cores, and was called blocked.
 */
export function blocksEventLoop(level: Pick<AsyncLevelStats, "loopDelayP99Ms" | "idleLoopDelayP99Ms" | "p50Ms">): boolean {
  return level.loopDelayP99Ms > 10 + level.idleLoopDelayP99Ms && level.loopDelayP99Ms > 0.1 * level.p50Ms;
}
