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

/** Median of a Float64Array in place (it gets sorted). */
function medianInPlace(values: Float64Array): number {
  values.sort();
  return quantileSorted(values, 0.5);
}

/**
 * Percentile-bootstrap confidence interval of the median of samples that come in
 * groups (one group per fresh worker). Groups are resampled first and samples
 * within each chosen group second: samples inside one worker share its JIT luck and
 * are not independent, so resampling them alone would make the interval too narrow.
 * With a single group this is the ordinary bootstrap of the median.
 */
export function bootstrapMedianCI(
  groups: readonly (readonly number[])[],
  options: BootstrapOptions = {},
): [number, number] {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const random = seededRandom(options.seed ?? 0x5eed);
  const nonEmpty = groups.filter((g) => g.length > 0);
  if (nonEmpty.length === 0) return [NaN, NaN];
  const total = nonEmpty.reduce((n, g) => n + g.length, 0);
  // Large sample sets are subsampled per resample: the interval of a median from
  // ~2,000 draws is already stable, and this keeps the cost bounded.
  const perResample = Math.min(total, 4000);
  const scratch = new Float64Array(perResample);
  const medians = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < perResample; i++) {
      const group = nonEmpty.length === 1 ? nonEmpty[0] : nonEmpty[Math.floor(random() * nonEmpty.length)];
      scratch[i] = group[Math.floor(random() * group.length)];
    }
    medians[r] = medianInPlace(scratch);
  }
  medians.sort();
  const tail = (1 - confidence) / 2;
  return [quantileSorted(medians, tail), quantileSorted(medians, 1 - tail)];
}
