import { runSession } from "../measure/session.ts";
import type { CasesSpec, Failure, TargetSpec, WorkerReport } from "../measure/protocol.ts";
import type { TargetResult } from "../bench/summarize.ts";
import { sessionOptions, targetResult, type MeasureSettings, type Progress } from "../bench/run-bench.ts";
import { estimateRatio, type RatioEstimate } from "../stats/paired.ts";
import { judgeInterval, type Verdict } from "../decide/verdict.ts";
import { lookConfidence, nextLookAt } from "../decide/sequential.ts";
import { roundRatio } from "./round-ratio.ts";

/** How an A/B comparison runs and stops. */
export interface AbSettings extends MeasureSettings {
  /** Relative threshold t: differences inside ±t are "same". */
  threshold: number;
  /** Fewest fresh worker pairs before a verdict may be given. */
  minRounds: number;
  /**
   * Confidence of the whole sequential decision: the interval is looked at when the
   * pair count reaches minRounds and then at geometrically growing counts (nextLookAt),
   * and once more when time runs out; each look at a stricter level (lookConfidence), so
   * that identical code is called different with probability at most 1 - confidence
   * over all looks.
   */
  confidence: number;
  /** Wall-time budget; when it runs out undecided, the verdict is "inconclusive". */
  maxTimeMs: number;
  /** Sampling time of one round, ms. */
  roundMs: number;
  /**
   * "keep": stop as soon as the interval either shows a gain beyond the threshold or
   * rules one out (lower end at or above 1 - t), which is all a keep/discard decision
   * needs; the default "verdict" waits for one of the four verdicts.
   */
  stopRule?: "verdict" | "keep";
  /** Measure exactly this many pairs, deciding only at the end (A/A noise measurements). */
  fixedRounds?: number;
}

/** The outcome of comparing one base with one head. */
export interface AbResult {
  base: TargetResult;
  head: TargetResult;
  ratio: number;
  ci: [number, number];
  p: number;
  verdict: Verdict;
  threshold: number;
  /** Confidence `ci` achieves (the level of the last look). */
  confidence: number;
  rounds: number;
  /** Ratio of each fresh worker pair, in order. */
  roundRatios: number[];
  wallMs: number;
  error?: Failure;
}

/**
 * Compares head against base in fresh worker pairs, round after round, until the
 * interval of the ratio decides against the threshold (or time runs out). Each
 * round interleaves base and head slice by slice (ABBA) on the same CPU with the
 * same batch size; the rounds are the independent replicates of the estimate.
 */
export async function runAb(base: TargetSpec, head: TargetSpec, cases: CasesSpec, settings: AbSettings, progress?: Progress): Promise<AbResult> {
  const started = Date.now();
  const baseReports: WorkerReport[] = [];
  const headReports: WorkerReport[] = [];
  const ratios: number[] = [];
  let failure: Failure | undefined;
  let baseFailure: Failure | undefined;
  let headFailure: Failure | undefined;
  let estimate: RatioEstimate = estimateRatio([]);
  let verdict: Verdict | null = null;
  let looks = 0;
  let lookedAt = 0;
  // One look at the interval, at this look's stricter level; true when it ends the run.
  const look = (): boolean => {
    looks++;
    lookedAt = ratios.length;
    const wanted = lookConfidence(settings.confidence, looks);
    estimate = estimateRatio(ratios, wanted);
    // Too few pairs for this look's level: the interval would claim more than it has.
    if (estimate.confidence < wanted) return false;
    verdict = judgeInterval(estimate.ci, settings.threshold);
    if (verdict) return true;
    return settings.stopRule === "keep" && estimate.ci[0] >= 1 - settings.threshold;
  };
  const fixed = settings.fixedRounds;
  for (let round = 0; ; round++) {
    if (settings.signal?.aborted || (fixed !== undefined ? ratios.length >= fixed : Date.now() - started >= settings.maxTimeMs)) {
      // The pairs measured since the last look still count: one final look at them.
      if (fixed === undefined && !failure && ratios.length >= settings.minRounds && ratios.length > lookedAt) look();
      break;
    }
    progress?.(fixed ? ratios.length / fixed : Math.min(0.99, (Date.now() - started) / settings.maxTimeMs), `round ${round + 1}${estimate.replicates > 1 ? `  ratio ${estimate.ratio.toFixed(3)} [${estimate.ci[0].toFixed(3)}, ${estimate.ci[1].toFixed(3)}]` : ""}`);
    // Several fresh pairs share one session (b1 h1 b2 h2 ...): each pair stays adjacent
    // in the ABBA ring, and their start-up costs overlap.
    const ring = Array.from({ length: settings.workers }, () => [{ target: base, cases }, { target: head, cases }]).flat();
    const reports = await runSession(sessionOptions(settings, ring, settings.roundMs, true));
    for (let j = 0; j < reports.length; j += 2) {
      const [b, h] = [reports[j], reports[j + 1]];
      if (b.failure || h.failure) {
        baseFailure ??= b.failure;
        headFailure ??= h.failure;
        failure ??= b.failure ?? h.failure;
        continue;
      }
      baseReports.push(b);
      headReports.push(h);
      const r = roundRatio(b, h);
      if (r !== null) ratios.push(r);
    }
    if (failure) break;
    const lookDue = ratios.length >= (looks === 0 ? settings.minRounds : nextLookAt(lookedAt));
    if (fixed !== undefined || !lookDue) {
      if (looks === 0) estimate = estimateRatio(ratios, settings.confidence);
      continue;
    }
    if (look()) break;
  }
  if (fixed !== undefined && !failure) verdict = estimate.confidence >= settings.confidence ? judgeInterval(estimate.ci, settings.threshold) : null;
  progress?.(1, "done");
  return {
    base: targetResult(base, baseReports, baseFailure, baseReports.length, { interleavedPairs: true }),
    head: targetResult(head, headReports, headFailure, headReports.length, { interleavedPairs: true }),
    ratio: estimate.ratio,
    ci: estimate.ci,
    p: estimate.p,
    verdict: failure ? "inconclusive" : (verdict ?? "inconclusive"),
    threshold: settings.threshold,
    confidence: estimate.confidence,
    rounds: ratios.length,
    roundRatios: ratios,
    wallMs: Date.now() - started,
    error: failure,
  };
}
