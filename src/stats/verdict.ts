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

/**
 * The largest change the interval allows: at its confidence, |ratio - 1| is at most
 * this. What an `inconclusive` run did show — a no-op refactor gets "no difference
 * beyond ±1.8%" where ±1% could not be reached. NaN when there is no interval.
 */
export function equivalenceBound(ci: readonly [number, number]): number {
  const [low, high] = ci;
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low <= high)) return Number.NaN;
  return Math.max(1 - low, high - 1, 0);
}

/**
 * The largest change any of several intervals allows, when none of them showed a
 * difference (every verdict `same` or `inconclusive`); undefined otherwise.
 */
export function sharedBound(results: readonly { verdict: Verdict; ci: readonly [number, number] }[]): number | undefined {
  if (results.length === 0 || results.some((r) => r.verdict === "faster" || r.verdict === "slower")) return undefined;
  const bounds = results.map((r) => equivalenceBound(r.ci));
  return bounds.every(Number.isFinite) ? Math.max(...bounds) : undefined;
}
