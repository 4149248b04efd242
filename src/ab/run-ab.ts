import { runSession, type SessionOptions } from "../measure/session.ts";
import type { CasesSpec, Failure, TargetSpec, WorkerReport } from "../measure/protocol.ts";
import type { TargetResult } from "../benchmark/summarize.ts";
import { sessionOptions, targetResult, type MeasureSettings, type Progress } from "../benchmark/run-bench.ts";
import { runSequential, type ComparisonDecision, type SequentialSettings } from "./sequential-run.ts";
import { roundRatio } from "./round-ratio.ts";
import { defaults } from "../settings/defaults.ts";

/** How an A/B comparison runs and stops. */
export interface AbSettings extends MeasureSettings, SequentialSettings {
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
  /** Sampling time of one round until the first look, ms; rounds after an undecided look take `defaults.longRoundFactor` times as long. */
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

/** The outcome of comparing one base with one head, each side's time per call with it. */
export interface AbResult extends ComparisonDecision {
  base: TargetResult;
  head: TargetResult;
}

/** Runs one session of workers and returns their reports: real workers by default, made-up reports in tests of the decisions. */
export type SessionRunner = (options: SessionOptions) => Promise<WorkerReport[]>;

/**
 * Compares head against base in fresh worker pairs, round after round, until the
 * interval of the ratio decides against the threshold (or time runs out). Each
 * round interleaves base and head slice by slice (ABBA) on the same CPU with the
 * same batch size; the rounds are the independent replicates of the estimate.
 * `session` runs the workers (the seam through which tests give made-up reports).
 */
export async function runAb(base: TargetSpec, head: TargetSpec, cases: CasesSpec, settings: AbSettings, progress?: Progress, session: SessionRunner = runSession): Promise<AbResult> {
  const baseReports: WorkerReport[] = [];
  const headReports: WorkerReport[] = [];
  let baseFailure: Failure | undefined;
  let headFailure: Failure | undefined;
  const outcome = await runSequential(
    settings,
    async (_round, undecidedLooks) => {
      // Short rounds decide an easy question soonest (10 pairs of 0.1 s: ~1.2 s in a calm
      // hour); one still open after them is hard, and there longer rounds win: at ~70 ns
      // and ~2 µs under load, 0.4 s rounds cut the pairs more than 0.5% off the median from
      // 34-47% to 3-13% and decided sooner on 40% fewer pairs per second (docs/method.md).
      const roundMs = undecidedLooks > 0 ? settings.roundMs * defaults.longRoundFactor : settings.roundMs;
      // Several fresh pairs share one session (b1 h1 b2 h2 ...): each pair stays adjacent
      // in the ABBA ring, and their start-up costs overlap.
      const ring = Array.from({ length: settings.workers }, () => [{ target: base, cases }, { target: head, cases }]).flat();
      const reports = await session(sessionOptions(settings, ring, roundMs, true));
      const ratios: number[] = [];
      let failure: Failure | undefined;
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
      return { ratios, failure };
    },
    progress,
  );
  const { estimate } = outcome;
  return {
    base: targetResult(base, baseReports, baseFailure, baseReports.length, { interleavedPairs: true }),
    head: targetResult(head, headReports, headFailure, headReports.length, { interleavedPairs: true }),
    ratio: estimate.ratio,
    ci: estimate.ci,
    p: estimate.p,
    verdict: outcome.verdict,
    threshold: settings.threshold,
    confidence: estimate.confidence,
    rounds: outcome.ratios.length,
    roundRatios: outcome.ratios,
    wallMs: outcome.wallMs,
    error: outcome.failure,
  };
}
