/** What an A/B comparison concluded. */
export type Verdict = "faster" | "slower" | "same" | "inconclusive";

/** Verdict names in the order scripts usually test for them. */
export const verdicts: readonly Verdict[] = ["faster", "slower", "same", "inconclusive"];

/**
 * Judges a ratio interval (head time / base time) against a threshold t, the way
 * criterion judges a change: only an interval lying wholly beyond 1 ± t is a
 * difference, only one lying wholly inside [1 - t, 1 + t] is "same"; anything
 * straddling a boundary is undecided (null) and needs more replicates.
 */
export function judgeInterval(ci: readonly [number, number], threshold: number): Exclude<Verdict, "inconclusive"> | null {
  const [low, high] = ci;
  if (!(low <= high)) return null;
  if (high < 1 - threshold) return "faster";
  if (low > 1 + threshold) return "slower";
  if (low >= 1 - threshold && high <= 1 + threshold) return "same";
  return null;
}
