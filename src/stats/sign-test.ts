/**
 * The sign test's interval for a median: distribution-free, from two order
 * statistics of the sample. It assumes only independent replicates from a
 * continuous distribution, so its coverage holds however the replicates mix — in
 * particular for ab's fresh pairs at tens of nanoseconds, where most pairs agree to
 * a few hundredths of a percent and a minority, placed differently by the JIT,
 * sit percents away on either side. ab keeps the signed-rank interval, which decided
 * as many cells sooner on the same recorded pairs (bench/pair-spread, docs/method.md
 * "Round length"); this one is there to be compared with it.
 */
import type { LocationEstimate } from "./signed-rank.ts";

/** Natural log of C(n, k), by summing logs (n is a pair count: thousands at most). */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

/** P(B <= k) for B ~ Binomial(n, 1/2); 0 for k < 0. */
export function binomialHalfCdf(n: number, k: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let sum = 0;
  for (let i = 0; i <= k; i++) sum += Math.exp(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, sum);
}

/**
 * Median, interval and sign test of `values` (e.g. log ratios of replicate pairs).
 * With too few values for the level, the widest interval (min to max) is returned
 * with its lower achieved confidence, as `signedRank` does.
 */
export function signTest(values: readonly number[], confidence = 0.95): LocationEstimate {
  const n = values.length;
  if (n === 0) return { estimate: NaN, ci: [NaN, NaN], confidence: 0, p: 1 };
  const sorted = [...values].sort((a, b) => a - b);
  const m = n >> 1;
  const estimate = n % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  const alpha = 1 - confidence;
  // c: order statistics cut from each end; [x(c), x(n-1-c)] misses the median when at
  // most c of the n values fall on one side of it: probability 2·P(B <= c).
  let c = 0;
  while (c + 1 < m && binomialHalfCdf(n, c + 1) <= alpha / 2) c++;
  const achieved = 1 - 2 * binomialHalfCdf(n, c);
  const positive = values.filter((v) => v > 0).length;
  const nonZero = values.filter((v) => v !== 0).length;
  const tail = binomialHalfCdf(nonZero, Math.min(positive, nonZero - positive));
  return { estimate, ci: [sorted[c], sorted[n - 1 - c]], confidence: achieved, p: nonZero === 0 ? 1 : Math.min(1, 2 * tail) };
}
