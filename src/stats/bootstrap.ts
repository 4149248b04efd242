import { quantileSorted } from "./descriptive.ts";
import { seededRandom } from "./random.ts";

/** Options of the bootstrap intervals. */
export interface BootstrapOptions {
  /** Number of resamples (default 2,000: the 2.5% tails then rest on 50 values each). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  confidence?: number;
  /** Seed of the resampling, so the same data always gives the same interval. */
  seed?: number;
}

/**
 * Percentile-bootstrap confidence interval of `statistic` over `values`: resample
 * the values with replacement, recompute, and take the middle `confidence` of the
 * results. Seeded, so the same data always gives the same interval. The caller
 * chooses what the values are: for a benchmark, one median per fresh worker, because
 * workers (not the samples inside one) are the independent replicates.
 */
export function bootstrapCI(
  values: readonly number[],
  statistic: (sample: Float64Array) => number,
  options: BootstrapOptions = {},
): [number, number] {
  const n = values.length;
  if (n === 0) return [NaN, NaN];
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const random = seededRandom(options.seed ?? 0x5eed);
  const sample = new Float64Array(n);
  const results = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) sample[i] = values[Math.floor(random() * n)];
    results[r] = statistic(sample);
  }
  results.sort();
  const tail = (1 - confidence) / 2;
  return [quantileSorted(results, tail), quantileSorted(results, 1 - tail)];
}

/** The median of a sample (sorts it in place): a statistic for bootstrapCI. */
export function medianInPlace(sample: Float64Array): number {
  sample.sort();
  return quantileSorted(sample, 0.5);
}
