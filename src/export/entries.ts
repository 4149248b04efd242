/**
 * The figures every export format reads: one entry per benchmark (a bench target, an
 * `ab` comparison, a compare benchmark), built from the commands' own result shapes
 * so that each format stays a small pure function of the same numbers.
 */
import type { AbResult } from "../ab/run-ab.ts";
import type { TargetResult } from "../benchmark/summarize.ts";
import type { SuiteReport } from "../compare/suite.ts";
import type { ProcessReport, ProcessSideStats } from "../compare/whole-process.ts";
import type { Verdict } from "../stats/verdict.ts";

/** One side's time per call (or per run), in nanoseconds. */
export interface Latency {
  /** The reported figure: bench's median across fresh workers, or a run's median. */
  medianNs: number;
  /** Its 95% interval, or null when none was computed (whole-process sides). */
  ciNs: [number, number] | null;
  meanNs: number;
  minNs: number;
  maxNs: number;
  stdevNs: number;
  /** Fresh workers (or runs) behind the figure. */
  replicates: number;
  /** Each fresh worker's median (or each run's time), in run order: the distribution pictures show. */
  replicateNs: number[];
}

/** A paired comparison of head against base. */
export interface Comparison {
  /** Base's name (a target, or a revision). */
  base: string;
  baseLatency: Latency | null;
  /** Head time / base time, with its interval at `confidence`. */
  ratio: number;
  ci: [number, number];
  confidence: number;
  verdict: Verdict;
  threshold: number;
  /** Each fresh worker pair's (or run pair's) ratio, in order. */
  pairRatios: number[];
}

/** One benchmark as the exports see it. */
export interface ExportEntry {
  /** What it is called in every format: the target, or compare's `file#name`. */
  name: string;
  /** Head's (or the lone target's) time; null when it failed. */
  latency: Latency | null;
  /** Set for `ab` and `compare`. */
  comparison: Comparison | null;
  /** Why it has no figures, when it failed. */
  error: string | null;
}

/** A bench target's figures, or null when it failed. */
export function targetLatency(result: TargetResult): Latency | null {
  if (!result.ok) return null;
  const s = result.stats;
  return { medianNs: s.median, ciNs: s.ci, meanNs: s.mean, minNs: s.min, maxNs: s.max, stdevNs: s.stdev, replicates: s.workers, replicateNs: s.workerMedians };
}

/** One entry per bench target. */
export function benchEntries(results: TargetResult[]): ExportEntry[] {
  return results.map((r) => ({ name: r.target, latency: targetLatency(r), comparison: null, error: r.ok ? null : r.error.message }));
}

function abComparison(r: AbResult): Comparison {
  return { base: r.base.target, baseLatency: targetLatency(r.base), ratio: r.ratio, ci: r.ci, confidence: r.confidence, verdict: r.verdict, threshold: r.threshold, pairRatios: r.roundRatios };
}

function failureOf(r: AbResult): string | null {
  if (r.error) return r.error.message;
  if (!r.head.ok) return r.head.error.message;
  if (!r.base.ok) return r.base.error.message;
  return null;
}

/** One entry per `ab` comparison, named after head's target. */
export function abEntries(results: AbResult[]): ExportEntry[] {
  return results.map((r) => ({ name: r.head.target, latency: targetLatency(r.head), comparison: abComparison(r), error: failureOf(r) }));
}

/** One entry per compared benchmark of a suite, named `file#name`. */
export function suiteEntries(report: SuiteReport): ExportEntry[] {
  return report.benchmarks.map((b) => {
    const r = b.result;
    const comparison: Comparison = r
      ? { ...abComparison(r), base: `${b.id}@${report.base.short}` }
      : { base: `${b.id}@${report.base.short}`, baseLatency: null, ratio: b.ratio, ci: b.ci, confidence: 0.95, verdict: b.verdict, threshold: NaN, pairRatios: [] };
    return { name: b.id, latency: r ? targetLatency(r.head) : null, comparison, error: b.failure?.message ?? (r ? failureOf(r) : null) };
  });
}

function processLatency(s: ProcessSideStats | null, walls: number[]): Latency | null {
  if (!s) return null;
  const ns = (ms: number) => ms * 1e6;
  return { medianNs: ns(s.wall.median), ciNs: null, meanNs: ns(s.wall.mean), minNs: ns(s.wall.min), maxNs: ns(s.wall.max), stdevNs: ns(s.wall.stdev), replicates: s.runs, replicateNs: walls.map(ns) };
}

/** The one entry of a whole-process comparison, named after its command. */
export function processEntries(report: ProcessReport): ExportEntry[] {
  const walls = (side: "base" | "head") => report.runs[side].map((r) => Math.max(0, r.wallMs - report.shellMs));
  const failure = report.failure ? `${report.failure.side} ${report.failure.stage} run ${report.failure.run} failed (exit ${report.failure.exitCode ?? report.failure.signal})` : null;
  return [
    {
      name: report.command,
      latency: processLatency(report.stats.head, walls("head")),
      comparison: { base: `${report.command}@${report.base.short}`, baseLatency: processLatency(report.stats.base, walls("base")), ratio: report.ratio, ci: report.ci, confidence: 0.95, verdict: report.verdict, threshold: report.threshold, pairRatios: report.pairRatios },
      error: failure,
    },
  ];
}
