/**
 * Confidence of the k-th look (1-based) in a sequence of looks at a growing sample.
 * `ab` judges its interval at growing pair counts and stops at the first decision; with
 * the same confidence at every look, identical code would sooner or later be called
 * different (measured here: 1 in 20 A/A runs at ~50 ns, where fresh-pair ratios scatter
 * by ±10%). Spending the error as α/(k(k+1)) — which sums to α over all looks — keeps
 * the whole sequence's chance of a false difference within 1 - confidence.
 */
export function lookConfidence(confidence: number, look: number): number {
  const alpha = 1 - confidence;
  return 1 - alpha / (look * (look + 1));
}

/**
 * Pair count at which the next look is due, after a look at `pairs` pairs. Looks are
 * spaced geometrically (×1.5: 10, 15, 23, 35, 53, 80 …) rather than after every session,
 * because each look spends error: looking every 2 pairs, the 37th look (74 pairs) had to
 * hold 1 - α/1406 and missed a 2% difference its pairs showed plainly; on this schedule
 * the look at 80 pairs is only the 6th (1 - α/42). The price is at most half again as
 * many pairs as the earliest possible stop.
 */
export function nextLookAt(pairs: number): number {
  return Math.max(pairs + 1, Math.ceil(pairs * 1.5));
}
