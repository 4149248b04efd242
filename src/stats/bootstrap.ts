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
 * groups (one group per fresh worker). With several groups this is the cluster
 * bootstrap: whole groups are resampled, because samples inside one worker share its
 * JIT luck and are not independent — resampling them one by one would make the
 * interval too narrow. With a single group it is the ordinary bootstrap.
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
  const medians = new Float64Array(resamples);
  if (nonEmpty.length === 1) {
    const only = nonEmpty[0];
    const scratch = new Float64Array(only.length);
    for (let r = 0; r < resamples; r++) {
      for (let i = 0; i < only.length; i++) scratch[i] = only[Math.floor(random() * only.length)];
      medians[r] = medianInPlace(scratch);
    }
  } else {
    const total = nonEmpty.reduce((n, g) => n + g.length, 0);
    const scratch = new Float64Array(total * 2);
    for (let r = 0; r < resamples; r++) {
      let filled = 0;
      // Draw as many groups as there are; sizes vary, so the resample length does too.
      for (let g = 0; g < nonEmpty.length; g++) {
        const group = nonEmpty[Math.floor(random() * nonEmpty.length)];
        if (filled + group.length > scratch.length) break;
        for (let i = 0; i < group.length; i++) scratch[filled++] = group[i];
      }
      medians[r] = medianInPlace(scratch.subarray(0, filled));
    }
  }
  medians.sort();
  const tail = (1 - confidence) / 2;
  return [quantileSorted(medians, tail), quantileSorted(medians, 1 - tail)];
}
