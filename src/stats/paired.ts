import { median } from "./descriptive.ts";
import { signedRank } from "./signed-rank.ts";
import { signTest } from "./sign-test.ts";

/**
 * How an interval is drawn from the replicates' log ratios: "signed-rank" (the
 * Hodges–Lehmann estimate and exact Wilcoxon interval) or "median" (the sample median
 * and the sign test's interval).
 */
export type IntervalMethod = "signed-rank" | "median";

/** Every interval method, for the bench scripts that compare them. */
export const intervalMethods: readonly IntervalMethod[] = ["signed-rank", "median"];

/** The estimate of head/base from independent replicates (fresh worker pairs). */
export interface RatioEstimate {
  /** Hodges–Lehmann estimate of the ratio (head time / base time). */
  ratio: number;
  /** Confidence interval of the ratio (exact Wilcoxon interval). */
  ci: [number, number];
  /** The confidence `ci` achieves: below the requested level when there are too few replicates for it. */
  confidence: number;
  /** Two-sided p-value of "no difference" (Wilcoxon signed-rank test on the log ratios). */
  p: number;
  /** Number of replicates behind the estimate. */
  replicates: number;
  /** Median of the replicate ratios, for reports. */
  medianRatio: number;
}

/**
 * Combines per-replicate ratios into one estimate. Each replicate is a fresh pair of
 * workers, so replicates are independent while samples inside a worker are not. The
 * statistics are rank-based on the log ratios (ratios are multiplicative): a fresh
 * pair with extreme JIT luck on one side, which happens, cannot drag the estimate or
 * the interval the way it drags a mean.
 */
export function estimateRatio(replicateRatios: readonly number[], confidence = 0.95, method: IntervalMethod = "signed-rank"): RatioEstimate {
  const logs = replicateRatios.filter((r) => r > 0 && Number.isFinite(r)).map(Math.log);
  const n = logs.length;
  if (n === 0) return { ratio: NaN, ci: [NaN, NaN], confidence: 0, p: 1, replicates: 0, medianRatio: NaN };
  if (n === 1) return { ratio: Math.exp(logs[0]), ci: [0, Infinity], confidence: 0, p: 1, replicates: 1, medianRatio: Math.exp(logs[0]) };
  const result = method === "median" ? signTest(logs, confidence) : signedRank(logs, confidence);
  return {
    ratio: Math.exp(result.estimate),
    ci: [Math.exp(result.ci[0]), Math.exp(result.ci[1])],
    confidence: result.confidence,
    p: result.p,
    replicates: n,
    medianRatio: Math.exp(median(logs)),
  };
}
