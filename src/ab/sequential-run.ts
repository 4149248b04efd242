import type { Failure, TargetSpec } from "../measure/protocol.ts";
import { estimateRatio, type IntervalMethod, type RatioEstimate } from "../stats/paired.ts";
import { judgeInterval, type Verdict } from "../stats/verdict.ts";
import { lookConfidence, nextLookAt } from "../stats/sequential.ts";

/** How a sequential paired comparison stops: the part of AbSettings every domain shares. */
export interface SequentialSettings {
  /** Relative threshold t: differences inside ±t are "same". */
  threshold: number;
  /** Fewest paired replicates before a verdict may be given. */
  minRounds: number;
  /** Confidence of the whole sequence of looks (see AbSettings.confidence). */
  confidence: number;
  /** Wall-time budget; when it runs out undecided, the verdict is "inconclusive". */
  maxTimeMs: number;
  stopRule?: "verdict" | "keep";
  /** Measure exactly this many pairs, deciding only at the end. */
  fixedRounds?: number;
  /** How each look draws its interval (default "signed-rank"); bench/pair-spread compares them on recorded pairs. */
  intervalMethod?: IntervalMethod;
  signal?: AbortSignal;
}

/** What a paired comparison concluded, whatever it measured: the ratio head/base, its interval and the verdict. */
export interface ComparisonDecision {
  ratio: number;
  ci: [number, number];
  p: number;
  verdict: Verdict;
  threshold: number;
  /** Confidence `ci` achieves (the level of the last look). */
  confidence: number;
  /** Pairs behind the ratio. */
  rounds: number;
  /** Ratio of each fresh pair, in order. */
  roundRatios: number[];
  wallMs: number;
  error?: Failure;
}

/** What one round of measurement gave: head/base ratios of its pairs, or a failure that ends the run. */
export interface RoundOutcome {
  ratios: number[];
  failure?: Failure;
}

/** The decision over all rounds. */
export interface SequentialOutcome {
  estimate: RatioEstimate;
  verdict: Verdict;
  /** Every pair's ratio, in order. */
  ratios: number[];
  wallMs: number;
  failure?: Failure;
}

/**
 * The interleaved paired method's decision loop, whatever is measured: each round
 * yields the head/base ratios of fresh pairs measured back to back; the interval of the
 * ratio is looked at when the pair count reaches minRounds and then at geometrically
 * growing counts, each look at a stricter level (stats/sequential.ts), and once more
 * when time runs out. CPU time (runAb), bytes, throughput and import time all decide
 * through this one loop, so their false-verdict rates are the same.
 */
export async function runSequential(
  settings: SequentialSettings,
  measureRound: (round: number, undecidedLooks: number) => Promise<RoundOutcome>,
  progress?: (done: number, label: string) => void,
): Promise<SequentialOutcome> {
  const started = Date.now();
  const ratios: number[] = [];
  let failure: Failure | undefined;
  let estimate: RatioEstimate = estimateRatio([]);
  let verdict: Verdict | null = null;
  let looks = 0;
  let lookedAt = 0;
  // One look at the interval, at this look's stricter level; true when it ends the run.
  const look = (): boolean => {
    looks++;
    lookedAt = ratios.length;
    const wanted = lookConfidence(settings.confidence, looks);
    estimate = estimateRatio(ratios, wanted, settings.intervalMethod);
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
    const outcome = await measureRound(round, looks);
    ratios.push(...outcome.ratios);
    if (outcome.failure) {
      failure = outcome.failure;
      break;
    }
    const lookDue = ratios.length >= (looks === 0 ? settings.minRounds : nextLookAt(lookedAt));
    if (fixed !== undefined || !lookDue) {
      if (looks === 0) estimate = estimateRatio(ratios, settings.confidence, settings.intervalMethod);
      continue;
    }
    if (look()) break;
  }
  if (fixed !== undefined && !failure) verdict = estimate.confidence >= settings.confidence ? judgeInterval(estimate.ci, settings.threshold) : null;
  progress?.(1, "done");
  return { estimate, verdict: failure ? "inconclusive" : (verdict ?? "inconclusive"), ratios, wallMs: Date.now() - started, failure };
}

/** The outcome of a comparison that failed before its first round (a side that cannot load). */
export function failedOutcome(failure: Failure): SequentialOutcome {
  return { estimate: estimateRatio([]), verdict: "inconclusive", ratios: [], wallMs: 0, failure };
}

/** Each side's figures over the pairs, and the sequential outcome. */
export interface AlternatingPairs extends SequentialOutcome {
  baseValues: number[];
  headValues: number[];
}

/**
 * The sequential decision over pairs of one measurement per side, the order alternating
 * from pair to pair (ABBA) so a drift of the host falls on both sides alike; `measure`
 * takes one figure of a side (a fresh process, say) or its failure, and `ratioOf`
 * turns a pair's figures into the replicate (head against base, below 1 better).
 */
export async function runAlternatingPairs(
  settings: SequentialSettings,
  base: TargetSpec,
  head: TargetSpec,
  measure: (side: TargetSpec) => Promise<number | Failure>,
  ratioOf: (base: number, head: number) => number,
  progress?: (done: number, label: string) => void,
): Promise<AlternatingPairs> {
  const baseValues: number[] = [];
  const headValues: number[] = [];
  let flip = false;
  const outcome = await runSequential(
    settings,
    async () => {
      const order = flip ? [head, base] : [base, head];
      flip = !flip;
      const values = new Map<TargetSpec, number>();
      for (const side of order) {
        const v = await measure(side);
        if (typeof v !== "number") return { ratios: [], failure: v };
        values.set(side, v);
      }
      baseValues.push(values.get(base)!);
      headValues.push(values.get(head)!);
      return { ratios: [ratioOf(values.get(base)!, values.get(head)!)] };
    },
    progress,
  );
  return { ...outcome, baseValues, headValues };
}
