/**
 * Confidence of the k-th look (1-based) in a sequence of looks at a growing sample.
 * `ab` judges its interval after every session and stops at the first decision; with
 * the same confidence at every look, identical code would sooner or later be called
 * different (measured here: 1 in 20 A/A runs at ~50 ns, where fresh-pair ratios scatter
 * by ±10%). Spending the error as α/(k(k+1)) — which sums to α over all looks — keeps
 * the whole sequence's chance of a false difference within 1 - confidence.
 */
export function lookConfidence(confidence: number, look: number): number {
  const alpha = 1 - confidence;
  return 1 - alpha / (look * (look + 1));
}
