/**
 * The benchmark step of an experiment in its domain: CPU time through `runAb`, import
 * time, bytes allocated per call or async throughput through the domain's own paired
 * comparison, returned in `AbResult`'s shape so the decision, the report and the record
 * take every domain alike. The sides' figures are in the domain's record unit: ns for
 * cpu, structure (import time) and async (time per completed call, 1/throughput),
 * bytes for memory.
 */
import { runAb, type AbResult, type AbSettings, type SessionRunner } from "../ab/run-ab.ts";
import type { DomainAbResult, DomainSide } from "../ab/domain-result.ts";
import type { TargetResult, TargetStats } from "../benchmark/summarize.ts";
import type { CasesSpec, TargetSpec } from "../measure/protocol.ts";
import { runImportAb } from "../structure/ab.ts";
import { runMemoryAb } from "../memory/run-memory.ts";
import { runAsyncAb } from "../async/run-async.ts";
import { defaults } from "../settings/defaults.ts";
import { mean, median, medianAbsoluteDeviation, quantile, stdev, tukeyOutliers } from "../stats/descriptive.ts";

/** The concurrency an experiment's async comparison runs at (the loop's representative level). */
export const experimentConcurrency = defaults.asyncConcurrency;

/**
 * Runs the experiment's comparison of `head` against `base` in `domain`. `session` runs
 * the CPU comparison's workers (runAb's seam; real workers when absent).
 */
export async function benchmarkInDomain(
  domain: string,
  base: TargetSpec,
  head: TargetSpec,
  cases: CasesSpec,
  settings: AbSettings,
  progress?: (done: number, label: string) => void,
  session?: SessionRunner,
): Promise<AbResult> {
  const sequential = { ...settings, timeoutMs: settings.timeoutMs };
  if (domain === "structure") return asAbResult(await runImportAb({ file: base.file, label: base.label }, { file: head.file, label: head.label }, sequential, progress), (ms) => ms * 1e6);
  if (domain === "memory") return asAbResult(await runMemoryAb(base, head, cases, sequential, progress), (bytes) => bytes);
  if (domain === "async") {
    const result = await runAsyncAb(base, head, cases, { ...sequential, concurrency: experimentConcurrency, levelMs: Math.max(defaults.asyncLevelS * 1000, settings.roundMs) }, progress);
    return asAbResult(result, (perSecond) => 1e9 / perSecond);
  }
  return runAb(base, head, cases, settings, progress, session);
}

/** A side's figures as TargetStats, each replicate's value converted to the record unit. */
function sideResult(side: DomainSide, convert: (value: number) => number, result: DomainAbResult): TargetResult {
  if (result.error && side.values.length === 0) return { target: side.label, ok: false, error: result.error };
  const values = side.values.map(convert);
  const ci = side.ci.map(convert).sort((a, b) => a - b) as [number, number];
  const stats: TargetStats = {
    min: Math.min(...values),
    median: convert(side.median),
    mean: mean(values),
    p75: quantile(values, 0.75),
    p99: quantile(values, 0.99),
    max: Math.max(...values),
    stdev: stdev(values),
    mad: medianAbsoluteDeviation(values),
    ci,
    serialCorrelation: null,
    workers: values.length,
    workerMedians: values,
    opsPerSecond: result.unit === "calls/s" ? side.median : NaN,
    samples: values.length,
    outliers: tukeyOutliers(values),
  };
  return {
    target: side.label,
    ok: true,
    stats,
    batch: 1,
    rounds: values.length,
    precision: { goal: null, halfWidth: median(values) > 0 ? (ci[1] - ci[0]) / 2 / median(values) : NaN, reached: null, roundsNeeded: null },
    pin: { cpu: null, method: "none", reason: `${result.domain}: measured in fresh processes` },
    facts: {
      pin: { cpu: null, method: "none", reason: `${result.domain}: measured in fresh processes` },
      isAsync: result.domain === "async",
      mutatesArgs: false,
      clonesArgs: false,
      cases: 0,
      clock: "performance.now",
      clockCostNs: 0,
      copies: { asked: 1, made: 1 },
    },
    harnessPerCall: 0,
    warnings: [],
  };
}

/** A domain comparison in AbResult's shape (its ratio, interval and verdict unchanged). */
export function asAbResult(result: DomainAbResult, convert: (value: number) => number): AbResult {
  return {
    base: sideResult(result.base, convert, result),
    head: sideResult(result.head, convert, result),
    ratio: result.ratio,
    ci: result.ci,
    p: result.p,
    verdict: result.verdict,
    threshold: result.threshold,
    confidence: result.confidence,
    rounds: result.rounds,
    roundRatios: result.roundRatios,
    wallMs: result.wallMs,
    error: result.error,
  };
}
