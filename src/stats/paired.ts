import { mean, stdev, median } from "./descriptive.ts";
import { tQuantile, tTwoSidedP } from "./student-t.ts";

/** The estimate of head/base from independent replicates (fresh worker pairs). */
export interface RatioEstimate {
  /** Geometric mean of the replicate ratios (head time / base time). */
  ratio: number;
  /** Confidence interval of the ratio. */
  ci: [number, number];
  /** Two-sided p-value of "no difference" (paired t-test on the log ratios). */
  p: number;
  /** Number of replicates behind the estimate. */
  replicates: number;
  /** Median of the replicate ratios, for reports. */
  medianRatio: number;
}

/**
 * Combines per-replicate ratios into one estimate. Each replicate is a fresh pair of
 * workers, so replicates are independent while samples inside a worker are not; the
 * interval is a Student-t interval on the log ratios (ratios are multiplicative and
 * their logs close to normal), widened honestly for the few replicates there are.
 */
export function estimateRatio(replicateRatios: readonly number[], confidence = 0.95): RatioEstimate {
  const logs = replicateRatios.filter((r) => r > 0 && Number.isFinite(r)).map(Math.log);
  const n = logs.length;
  if (n === 0) return { ratio: NaN, ci: [NaN, NaN], p: 1, replicates: 0, medianRatio: NaN };
  const center = mean(logs);
  if (n === 1) {
    return { ratio: Math.exp(center), ci: [0, Infinity], p: 1, replicates: 1, medianRatio: Math.exp(center) };
  }
  const standardError = stdev(logs) / Math.sqrt(n);
  const t = tQuantile(1 - (1 - confidence) / 2, n - 1);
  const p = standardError === 0 ? (center === 0 ? 1 : 0) : tTwoSidedP(center / standardError, n - 1);
  return {
    ratio: Math.exp(center),
    ci: [Math.exp(center - t * standardError), Math.exp(center + t * standardError)],
    p,
    replicates: n,
    medianRatio: Math.exp(median(logs)),
  };
}
