import type { Domain } from "../domains/domains.ts";
import type { Verdict } from "../stats/verdict.ts";
import type { GuardVerdict } from "../record/columns.ts";

/** Everything the decision tree looks at, gathered by the experiment step. */
export interface DecisionInput {
  /** Outputs against the oracle: identical, different, or the target crashed. */
  outputs: "identical" | "different" | "crashed";
  /** The crash or the first difference, for the reason. */
  outputsDetail?: string;
  /** The A/B benchmark of HEAD (base) against the working tree (head); null when not run. */
  benchmark: { verdict: Verdict; ratio: number; ci: [number, number]; threshold: number } | null;
  /** Guard result; "skipped" when none is configured or the metric did not improve. */
  guard: GuardVerdict;
  /** Which rework this is (0 for the first attempt, then 1 and 2). */
  rework: number;
  /** End-to-end result when measured (the compare step): did it confirm the micro gain? */
  endToEnd?: "improved" | "not-improved";
  /** The user asserts a profiler confirmed the target is on the hot path. */
  hotPath: boolean;
  domain: Domain;
}

/** What to do with the change. */
export interface Decision {
  action: "keep" | "discard";
  /** One line: why. */
  reason: string;
  /** Kept on the strength of the micro-benchmark alone (hot path asserted). */
  microOnly?: boolean;
}

/** Reworks allowed after a guard failure (docs/loop.md, the keep/discard tree). */
export const maxReworks = 2;

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/**
 * The keep/discard tree of docs/loop.md, in its order: correctness first (outputs
 * must match the original), then crashes, then the benchmark against the domain's
 * thresholds (a gain under the keep threshold counts only once ab's interval has
 * confirmed it beyond noise), then the guard with its two reworks, then — when an
 * end-to-end measurement exists and contradicts the micro-benchmark — the micro-only
 * rule: kept only above the domain's micro threshold on a confirmed hot path.
 */
export function decide(input: DecisionInput): Decision {
  const { thresholds } = input.domain;
  if (input.outputs === "different") {
    return { action: "discard", reason: `output differs from the original (correctness regression)${input.outputsDetail ? `: ${input.outputsDetail}` : ""}` };
  }
  if (input.outputs === "crashed") {
    return { action: "discard", reason: `the target crashed${input.outputsDetail ? `: ${input.outputsDetail}` : ""}` };
  }
  const b = input.benchmark;
  if (!b) return { action: "discard", reason: "no benchmark result" };
  const gain = 1 - b.ratio;
  // The threshold ab judged against: the domain's noise threshold, or the stored noise floor when higher.
  const noise = b.threshold;
  if (b.verdict === "slower") return { action: "discard", reason: `slower: ratio ${b.ratio.toFixed(3)} [${b.ci[0].toFixed(3)}, ${b.ci[1].toFixed(3)}]` };
  if (b.verdict === "same") {
    return { action: "discard", reason: `noise: no change beyond ±${pct(noise)} (ratio ${b.ratio.toFixed(3)} [${b.ci[0].toFixed(3)}, ${b.ci[1].toFixed(3)}])` };
  }
  if (b.verdict === "inconclusive" && b.ci[0] > 1 + noise) {
    return { action: "discard", reason: `likely slower: the interval lies wholly above +${pct(noise)}, though the time allowed ran out before the confidence a verdict needs (ratio ${b.ratio.toFixed(3)} [${b.ci[0].toFixed(3)}, ${b.ci[1].toFixed(3)}])` };
  }
  if (b.verdict === "inconclusive" && b.ci[0] >= 1 - noise) {
    return { action: "discard", reason: `noise: the interval rules out a gain beyond ${pct(noise)} (ratio ${b.ratio.toFixed(3)} [${b.ci[0].toFixed(3)}, ${b.ci[1].toFixed(3)}])` };
  }
  if (b.verdict === "inconclusive") {
    return { action: "discard", reason: `noise: the gain could not be confirmed beyond ±${pct(noise)} in the time allowed (ratio ${b.ratio.toFixed(3)} [${b.ci[0].toFixed(3)}, ${b.ci[1].toFixed(3)}])` };
  }
  // faster: the whole interval lies beyond the noise threshold.
  if (input.guard === "fail") {
    if (input.rework < maxReworks) {
      return {
        action: "discard",
        reason: `guard failed: reverted; rework ${input.rework + 1}/${maxReworks} allowed (fix the implementation, never the guard, then rerun with --rework)`,
      };
    }
    return { action: "discard", reason: `guard still failing after ${maxReworks} reworks` };
  }
  const confirmed = gain >= thresholds.keep.improvement ? `${pct(gain)} faster` : `${pct(gain)} faster (below the ${pct(thresholds.keep.improvement)} keep threshold, confirmed beyond noise by the interval)`;
  if (input.endToEnd === "not-improved") {
    const micro = thresholds.microOnly;
    const bigEnough = gain > micro.improvement || (micro.speedup !== undefined && 1 / b.ratio > micro.speedup);
    if (bigEnough && input.hotPath) return { action: "keep", reason: `micro-only: ${confirmed}; end to end showed no gain; kept on the asserted hot path (--hot-path)`, microOnly: true };
    return {
      action: "discard",
      reason: bigEnough
        ? `micro-only gain of ${pct(gain)} not confirmed end to end, and no --hot-path asserting a profiler-confirmed hot path`
        : `micro-only gain of ${pct(gain)} is below the micro threshold ${pct(micro.improvement)} and end to end showed no gain`,
    };
  }
  return { action: "keep", reason: confirmed };
}
