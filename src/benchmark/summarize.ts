import { mean, median as medianOf, medianAbsoluteDeviation, quantileSorted, sorted, stdev, trimmedMean, tukeyOutliers, type TukeyOutliers } from "../stats/descriptive.ts";
import { bootstrapCI, medianInPlace } from "../stats/bootstrap.ts";
import { speedModes } from "../stats/speed-modes.ts";
import { combineCopies, medianAcrossCopies, mediansByCopy } from "../stats/copies.ts";
import { isDrifting, serialCorrelation, serialWidening } from "../stats/serial.ts";
import { formatDuration, formatPlusMinus } from "../format/units.ts";
import type { Failure, TargetFacts, WorkerReport } from "../measure/protocol.ts";
import { perCallTimes } from "../measure/per-call.ts";

/**
 * Per-target statistics, all times in nanoseconds per call (harness cost removed).
 * `median` and `ci` describe the median call time of a fresh worker: each worker's
 * median, combined over the workers (`acrossWorkers`), with a 95% bootstrap interval that resamples
 * workers. Workers differ by JIT and allocation luck (measured here: up to 10% between
 * fresh workers of the same code), so workers, not samples, are the independent
 * replicates; with a single worker its samples are resampled instead. The other
 * figures describe all samples pooled.
 */
export interface TargetStats {
  min: number;
  /** Each fresh worker's median, combined across workers by `acrossWorkers`. */
  median: number;
  mean: number;
  p75: number;
  p99: number;
  max: number;
  stdev: number;
  mad: number;
  /**
   * 95% bootstrap CI of the median (resampling fresh workers; expanded percentiles, for
   * few workers), widened when consecutive workers ran alike (see `serialCorrelation`).
   */
  ci: [number, number];
  /** Rank correlation of each worker's median with the previous worker's (about 0: independent); null under 6 workers. */
  serialCorrelation: number | null;
  /** Fresh workers behind the figures. */
  workers: number;
  /** Each fresh worker's own median, in the order the workers ran: the replicates behind `median` and `ci`. */
  workerMedians: number[];
  opsPerSecond: number;
  samples: number;
  outliers: TukeyOutliers;
}

/** A warning with what to do about it. */
export interface Warning {
  code:
    | "unstable"
    | "optimized-away"
    | "timer-dominated"
    | "machine-loaded"
    | "not-pinned"
    | "warmup-unstable"
    | "mutates-args"
    | "uncloneable-args"
    | "two-speeds"
    | "drift"
    | "fewer-copies";
  message: string;
}

/** One worker's samples turned into per-call times. */
export interface ReplicateSamples {
  /** ns per call, harness and clock cost removed. */
  perCall: number[];
  /** ns per call of the empty function called the same way (the subtracted harness cost). */
  harnessPerCall: number;
  /** Raw ns per call before subtraction (median). */
  rawMedian: number;
  batch: number;
  cycles: number[];
  /** Which copy of the target ran each sample (parallel to `perCall`). */
  copies: number[];
}

/**
 * Turns one worker's slices into per-call times: the clock's own cost and the
 * empty function's cost (measured in the same turns, same batch) are subtracted,
 * so what remains is the target's own time.
 */
export function replicateSamples(report: WorkerReport, harnessPerCall?: number): ReplicateSamples {
  const batch = report.batch || 1;
  const times = perCallTimes(report);
  const harness = harnessPerCall ?? (times.harness.length ? medianOf(times.harness) : 0);
  const raw = times.totals;
  return {
    perCall: raw.map((r) => r - harness),
    harnessPerCall: harness,
    rawMedian: raw.length ? medianOf(raw) : NaN,
    batch,
    cycles: report.cycles,
    copies: report.copies,
  };
}

/** A fresh worker's own figure: its median call time, over its copies of the target (see stats/copies.ts). */
export function workerMedian(replicate: Pick<ReplicateSamples, "perCall" | "copies" | "harnessPerCall">): number {
  return medianAcrossCopies(replicate.perCall, replicate.copies, replicate.harnessPerCall);
}

/** Share of the fresh workers' medians trimmed from each end before averaging them (one copy each). */
export const workerTrim = 0.2;

/**
 * How the fresh workers' medians become the target's median, by how many copies of the
 * target each worker averaged (see stats/copies.ts). One copy: a 20%-trimmed mean, since
 * single copies land in speed modes that only an average mixes steadily; several copies:
 * the median, which resists the host's slow spells over up to half the workers. The
 * run-to-run CVs behind each choice are in docs/method.md ("Why the workers' medians
 * combine as they do").
 */
export function acrossWorkers(copies: number): (workerMedians: ArrayLike<number>) => number {
  if (copies > 1) return (s) => medianOf(Array.from(s));
  return (s) => trimmedMean(s, workerTrim);
}

/**
 * The fewest copies of the target any worker took turns with (1 when the samples do not
 * say): the median reads only workers that each averaged several copies.
 */
function copiesPerWorker(replicates: Pick<ReplicateSamples, "copies">[]): number {
  return replicates.length ? Math.min(...replicates.map((r) => Math.max(1, new Set(r.copies).size))) : 1;
}

/** Statistics over the samples of several fresh workers of one target. */
export function targetStats(replicates: ReplicateSamples[]): TargetStats {
  const measured = replicates.filter((r) => r.perCall.length > 0);
  const groups = measured.map((r) => r.perCall);
  const all = sorted(groups.flat());
  const workerMedians = measured.map(workerMedian);
  const combine = acrossWorkers(copiesPerWorker(measured));
  const median = combine(workerMedians);
  // Expanded percentiles: a plain percentile interval from ten workers is too narrow.
  const independentCi =
    workerMedians.length > 1 ? bootstrapCI(workerMedians, combine, { expand: true }) : singleWorkerCi(measured[0]);
  // The bootstrap treats workers as independent, but consecutive workers share the
  // machine's and runtime's drift (measured: lag-one rank correlation 0.13-0.38), so an
  // unwidened interval claims more than the run knows.
  const serial = serialCorrelation(workerMedians);
  const widening = serialWidening(serial);
  const ci: [number, number] = [median - (median - independentCi[0]) * widening, median + (independentCi[1] - median) * widening];
  return {
    min: all[0],
    median,
    mean: mean(all),
    p75: quantileSorted(all, 0.75),
    p99: quantileSorted(all, 0.99),
    max: all[all.length - 1],
    stdev: stdev(all),
    mad: medianAbsoluteDeviation(all),
    ci,
    workers: workerMedians.length,
    workerMedians,
    serialCorrelation: serial,
    opsPerSecond: median > 0 ? 1e9 / median : Infinity,
    samples: all.length,
    outliers: tukeyOutliers(all),
  };
}

/**
 * The CI from one worker: its samples resampled, or with several copies of the
 * target the copies' medians, combined by the same rule as the worker's figure,
 * since copies differ more than samples of one copy.
 */
function singleWorkerCi(replicate: ReplicateSamples | undefined): [number, number] {
  if (!replicate) return bootstrapCI([], medianInPlace, { expand: true });
  const copyMedians = [...mediansByCopy(replicate.perCall, replicate.copies).values()];
  if (copyMedians.length > 1) return bootstrapCI(copyMedians, (s) => combineCopies(s, replicate.harnessPerCall), { expand: true });
  return bootstrapCI(replicate.perCall, medianInPlace, { expand: true });
}

/** Half the width of the median's 95% CI, as a fraction of the median. */
export function relativeHalfWidth(stats: Pick<TargetStats, "median" | "ci">): number {
  return (stats.ci[1] - stats.ci[0]) / 2 / Math.abs(stats.median || 1);
}

/**
 * Below this half-width (ns per call) a median counts as known whatever its relative
 * width: an empty or optimised-away target sits near 0 ns, where any percentage is
 * unreachable, and xloop does not claim to resolve less than half a nanosecond.
 */
export const absoluteResolutionNs = 0.5;

/**
 * Whether a target's median is known well enough to stop adding fresh workers: its
 * 95% CI spans at most ±`goal` (a fraction) of the median, or ±0.5 ns.
 */
export function precisionReached(stats: Pick<TargetStats, "median" | "ci">, goal: number): boolean {
  return relativeHalfWidth(stats) <= goal || (stats.ci[1] - stats.ci[0]) / 2 <= absoluteResolutionNs;
}

/** The most rounds `--max-rounds` accepts; a goal that would need more is out of reach. */
export const roundsLimit = 1000;

/**
 * About how many rounds in all would bring a target's CI to ±`goal`, from the run so
 * far: an interval narrows as one over the square root of the fresh workers behind it.
 * Estimated from one noisy width, so a figure to plan the next run by, not a promise;
 * null when the answer is beyond `roundsLimit` or the width is unknown.
 */
export function roundsForPrecision(rounds: number, halfWidth: number, goal: number): number | null {
  const needed = Math.max(rounds + 1, Math.ceil(rounds * (halfWidth / goal) ** 2));
  return Number.isFinite(needed) && needed <= roundsLimit ? needed : null;
}

/** Inputs of the warning rules besides the statistics. */
export interface WarningContext {
  stats: TargetStats;
  replicates: ReplicateSamples[];
  facts: TargetFacts;
  warmupStable: boolean;
  loadAverage: number;
  cores: number;
  /** Fresh-worker rounds behind the statistics, to say how many would steady them. */
  rounds: number;
  /**
   * The figures come from ab's interleaved pairs, whose paired ratio already allows
   * for what the warning describes: advising `xloop ab` there would send the user in a circle.
   */
  interleavedPairs?: boolean;
}

/** A median's CI wider than this (relative half-width) earns the "unstable" warning. */
export const unstableHalfWidth = 0.03;

/**
 * The warnings pyperf and nanobench would give, each with what to do. The
 * "optimised away" rule is mitata's: a target not clearly slower than the empty
 * function called the same way (under 1.42x its raw time) measures nothing; so does
 * one whose interval, harness cost removed, reaches zero, as when a host's slow spell
 * lands on the target's turns more than on the empty function's.
 */
export function warningsFor(context: WarningContext): Warning[] {
  const { stats, replicates, facts } = context;
  const warnings: Warning[] = [];
  /** The way out a warning offers: ab, unless this is ab, whose pairs already take it. */
  const compareAdvice = (forBench: string, forAb: string) => (context.interleavedPairs ? forAb : forBench);
  const halfWidth = relativeHalfWidth(stats);
  const rawMedian = medianOf(replicates.map((r) => r.rawMedian));
  const harness = medianOf(replicates.map((r) => r.harnessPerCall));
  if (rawMedian < 1.42 * harness || stats.median < 0.5 || stats.ci[0] <= 0) {
    warnings.push({
      code: "optimized-away",
      message: `likely optimised away: not distinguishable from an empty function (${rawMedian.toFixed(2)} ns raw vs ${harness.toFixed(2)} ns); return or use a value that depends on the inputs`,
    });
  } else if (halfWidth > unstableHalfWidth) {
    const needed = roundsForPrecision(context.rounds, halfWidth, unstableHalfWidth);
    const more =
      needed === null
        ? `more than ${roundsLimit} rounds would be needed to bring it within ${formatPlusMinus(unstableHalfWidth)}, so rerun on a quieter machine`
        : `about ${needed} would bring it within ${formatPlusMinus(unstableHalfWidth)} (--rounds ${needed}), or rerun on a quieter machine`;
    warnings.push({
      code: "unstable",
      message: `unstable: the median's 95% CI spans ${formatPlusMinus(halfWidth)} after ${context.rounds} rounds; ${more}${compareAdvice(", or compare with `xloop ab`, which interleaves", "; the verdict rests on the paired ratio, not on this median")}`,
    });
  }
  const measured = replicates.filter((r) => r.perCall.length > 0);
  const modes = speedModes(measured.map(workerMedian));
  if (modes) {
    const n = modes.fast.workers + modes.slow.workers;
    const byMedian = copiesPerWorker(measured) > 1;
    warnings.push({
      code: "two-speeds",
      message: `two speeds: fresh workers ran at ~${formatDuration(modes.fast.center)} (${modes.fast.workers} of ${n}) or ~${formatDuration(modes.slow.center)} (${modes.slow.workers} of ${n}), and the median ${byMedian ? "lies in the larger group" : "is their mix"}; JIT or allocator luck per worker or process does this (so will production), or the machine slowing during some rounds; ${compareAdvice("to compare two versions use `xloop ab`, whose pairs draw both sides' speeds from the same luck and whose rank-based interval allows for it", "the pairs drew both sides' speeds from the same luck and the ratio's rank-based interval allows for it")}`,
    });
  }
  if (isDrifting(stats.serialCorrelation, stats.workers)) {
    warnings.push({
      code: "drift",
      message: `drift: consecutive fresh workers ran at similar speeds (serial correlation ${stats.serialCorrelation!.toFixed(2)} over ${stats.workers} workers), so the machine or the runtime changed speed during the run; ${compareAdvice("the CI is widened for it, but a run at another time may land further away; to compare two versions use `xloop ab`, which interleaves them", "base and head took turns, so the ratio met the same changes, but this side's median may land elsewhere at another time")}`,
    });
  }
  const smallestBatch = Math.min(...replicates.map((r) => r.batch));
  if (smallestBatch === 1 && stats.median < 1000 * facts.clockCostNs) {
    warnings.push({
      code: "timer-dominated",
      message: `timer-dominated: one call (${stats.median.toFixed(0)} ns) is under 1000x the clock's cost (${facts.clockCostNs.toFixed(0)} ns) and could not be batched`,
    });
  }
  if (context.loadAverage > context.cores - 0.5) {
    warnings.push({
      code: "machine-loaded",
      message: `machine loaded: load average ${context.loadAverage.toFixed(2)} on ${context.cores} cores; other work competes for the CPU, so absolute times may be inflated — ${compareAdvice("rerun when idle, or use `xloop ab` whose interleaving cancels it", "the paired ratio is less affected, since both sides took turns, but rerun when idle for the medians")}; \`xloop doctor\` shows what else is running and how to quiet the machine`,
    });
  }
  if (facts.pin.cpu === null) {
    warnings.push({ code: "not-pinned", message: `not pinned to a CPU (${facts.pin.reason ?? "unknown reason"}); the scheduler may move the thread mid-sample` });
  }
  if (!context.warmupStable) {
    warnings.push({ code: "warmup-unstable", message: "warm-up did not stabilise within its budget: the JIT may still be changing the code; increase --warmup" });
  }
  if (facts.copies.reason) {
    warnings.push({ code: "fewer-copies", message: `--copies: ${facts.copies.reason}; to average over copies, export a function defined in the target's own file whose top-level code can run more than once (or pass --copies 1 to silence this)` });
  }
  if (facts.mutatesArgs && facts.clonesArgs) {
    warnings.push({ code: "mutates-args", message: "the target mutates its arguments: each call got a fresh copy (structuredClone, made outside the timed region)" });
  } else if (facts.mutatesArgs) {
    warnings.push({ code: "uncloneable-args", message: "the target mutates its arguments, which cannot be copied (structuredClone failed): later calls saw already-changed input" });
  }
  return warnings;
}

/** What `bench` reports for one target. */
export type TargetResult =
  | {
      target: string;
      ok: true;
      stats: TargetStats;
      batch: number;
      /** Fresh-worker rounds this target ran: --rounds, plus any added to reach the precision goal. */
      rounds: number;
      /**
       * The precision goal (a fraction of the median; null: fixed rounds), the CI's
       * relative half-width, whether it met the goal, and for a missed goal about how
       * many rounds in all would meet it (null: reached, no goal, or beyond --max-rounds' limit).
       */
      precision: { goal: number | null; halfWidth: number; reached: boolean | null; roundsNeeded: number | null };
      pin: TargetFacts["pin"];
      facts: TargetFacts;
      harnessPerCall: number;
      warnings: Warning[];
    }
  | { target: string; ok: false; error: Failure };
