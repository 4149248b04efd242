/**
 * Descriptive statistics over plain number arrays. Every function is pure and
 * leaves its input untouched: callers pass the same samples to several of them.
 */

/** Returns a sorted copy (ascending). */
export function sorted(values: readonly number[]): number[] {
  return Float64Array.from(values).sort() as unknown as number[];
}

/**
 * Quantile of already-sorted values with linear interpolation between order
 * statistics (Hyndman & Fan type 7, the one R and numpy default to), so p50 of
 * an even count is the mean of the middle pair.
 */
export function quantileSorted(sortedValues: ArrayLike<number>, q: number): number {
  const n = sortedValues.length;
  if (n === 0) return NaN;
  if (n === 1) return sortedValues[0];
  const position = (n - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(position);
  const upper = Math.min(n - 1, lower + 1);
  const weight = position - lower;
  return sortedValues[lower] + (sortedValues[upper] - sortedValues[lower]) * weight;
}

/** Quantile of unsorted values. */
export function quantile(values: readonly number[], q: number): number {
  return quantileSorted(sorted(values), q);
}

/** Median of unsorted values. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Arithmetic mean. */
export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/**
 * Mean of the values left after dropping the `fraction` lowest and the same share of
 * the highest (floor of the count each side); the plain mean when that drops nothing.
 */
export function trimmedMean(values: ArrayLike<number>, fraction: number): number {
  // A typed-array copy sorts numerically, and fast inside the bootstrap's resamples.
  const s = Float64Array.from(values).sort();
  const cut = Math.floor(s.length * fraction);
  return mean(s.subarray(cut, s.length - cut));
}

/** Sample standard deviation (n - 1 denominator); 0 for fewer than two values. */
export function stdev(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - m) ** 2;
  return Math.sqrt(squares / (n - 1));
}

/** Median absolute deviation from the median (unscaled). */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const center = median(values);
  return median(values.map((v) => Math.abs(v - center)));
}

/** Geometric mean of positive values. */
export function geometricMean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let logs = 0;
  for (const v of values) logs += Math.log(v);
  return Math.exp(logs / values.length);
}

/** Tukey's fences: values beyond 1.5 IQR (mild) and 3 IQR (severe) from the quartiles. */
export interface TukeyOutliers {
  /** Values below q1 - 1.5 IQR. */
  low: number;
  /** Values above q3 + 1.5 IQR. */
  high: number;
  /** Of those, values beyond 3 IQR on either side. */
  severe: number;
  /** The fences used: [q1 - 1.5 IQR, q3 + 1.5 IQR]. */
  fences: [number, number];
}

/** Counts Tukey outliers; they are reported, never removed (criterion's rule). */
export function tukeyOutliers(values: readonly number[]): TukeyOutliers {
  const s = sorted(values);
  const q1 = quantileSorted(s, 0.25);
  const q3 = quantileSorted(s, 0.75);
  const iqr = q3 - q1;
  const fences: [number, number] = [q1 - 1.5 * iqr, q3 + 1.5 * iqr];
  let low = 0;
  let high = 0;
  let severe = 0;
  for (const v of s) {
    if (v < fences[0]) low++;
    else if (v > fences[1]) high++;
    if (v < q1 - 3 * iqr || v > q3 + 3 * iqr) severe++;
  }
  return { low, high, severe, fences };
}
