import { mean, sorted, stdev } from "./descriptive.ts";

/** One group of fresh workers that ran at about the same speed. */
export interface SpeedGroup {
  /** Mean of the group's worker medians, ns per call. */
  center: number;
  workers: number;
}

/** Fresh workers that split into a fast and a slow group. */
export interface SpeedModes {
  fast: SpeedGroup;
  slow: SpeedGroup;
  /** Ashman's D: the groups' distance in units of their pooled spread (above 2: separate). */
  separation: number;
}

/** Fewest workers for the test: with 10, unimodal samples split this cleanly 7-17% of the time; with 20, up to 4%. */
export const minimumWorkersForModes = 30;

/**
 * Whether fresh workers' medians form two speed groups rather than one spread: the
 * best split into two (least within-group squared error, each group at least 20% of
 * the workers) counts when the groups lie at least 4 pooled spreads apart (Ashman's
 * D >= 4; splitting one normal sample gives about 2.7), at least 3% apart, and with an
 * empty stretch between them at least as wide as either group's spread. Tuned on
 * measured worker medians: a sieve allocating 50 KB a call (groups at ~170 and ~195 µs)
 * is found in 40 workers; simulated unimodal samples (log-normal with 1.5-6% spread,
 * with or without 10% slow outliers) are called bimodal in at most 0.9% of cases at 30
 * workers and 0.3% at 40.
 */
export function speedModes(workerMedians: readonly number[]): SpeedModes | null {
  const n = workerMedians.length;
  if (n < minimumWorkersForModes) return null;
  const s = sorted(workerMedians);
  const smallest = Math.ceil(0.2 * n);
  // Prefix sums give each split's within-group squared error in O(1).
  const sum = [0];
  const squares = [0];
  for (const x of s) {
    sum.push(sum[sum.length - 1] + x);
    squares.push(squares[squares.length - 1] + x * x);
  }
  const withinError = (from: number, to: number) => squares[to] - squares[from] - (sum[to] - sum[from]) ** 2 / (to - from);
  let bestSplit = -1;
  let bestError = Infinity;
  for (let k = smallest; k <= n - smallest; k++) {
    const error = withinError(0, k) + withinError(k, n);
    if (error < bestError) {
      bestError = error;
      bestSplit = k;
    }
  }
  const fast = s.slice(0, bestSplit);
  const slow = s.slice(bestSplit);
  const fastCenter = mean(fast);
  const slowCenter = mean(slow);
  const fastSpread = stdev(fast);
  const slowSpread = stdev(slow);
  const separation = (Math.SQRT2 * (slowCenter - fastCenter)) / Math.sqrt(fastSpread ** 2 + slowSpread ** 2 || Number.EPSILON);
  const emptyStretch = slow[0] - fast[fast.length - 1];
  const overall = s[Math.floor(n / 2)];
  const distinct = separation >= 4 && (slowCenter - fastCenter) / Math.abs(overall) >= 0.03 && emptyStretch >= Math.max(fastSpread, slowSpread);
  if (!distinct) return null;
  return { fast: { center: fastCenter, workers: fast.length }, slow: { center: slowCenter, workers: slow.length }, separation };
}
