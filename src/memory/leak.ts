/**
 * Whether what a target's calls leave alive grows with the number of calls: pure
 * arithmetic over the retention points a memory probe reads (heap after a full GC,
 * after 0, n, 2n ... calls).
 */
import type { RetentionPoint } from "./probe.ts";

/** The verdict on retention. */
export interface LeakJudgement {
  /** Least-squares slope of the heap against the calls: bytes kept per call. */
  growthPerCall: number;
  /** How well a line fits the points (R², 0-1). */
  fit: number;
  /** Heap growth from the first point to the last, bytes. */
  retained: number;
  leaking: boolean;
}

/** The smallest growth over the run that counts as a leak: below this, the heap's own jitter (code, feedback, caches) can explain it. */
export const leakMinimumGrowth = 256 * 1024;

/**
 * Fits a line through the points. A target leaks when the heap grew by at least
 * `leakMinimumGrowth` over the calls, at least 1 byte per call, along a straight line
 * (R² ≥ 0.8): a one-off cache filled on the first calls grows once and then stays flat,
 * which fits a line badly and is not a leak.
 */
export function judgeLeak(points: readonly RetentionPoint[]): LeakJudgement {
  if (points.length < 2) return { growthPerCall: 0, fit: 0, retained: 0, leaking: false };
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.calls, 0) / n;
  const my = points.reduce((s, p) => s + p.heap, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.calls - mx) ** 2;
    sxy += (p.calls - mx) * (p.heap - my);
    syy += (p.heap - my) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const fit = sxx > 0 && syy > 0 ? (sxy * sxy) / (sxx * syy) : 0;
  const retained = points[n - 1].heap - points[0].heap;
  const leaking = retained >= leakMinimumGrowth && slope >= 1 && fit >= 0.8;
  return { growthPerCall: slope, fit, retained, leaking };
}
