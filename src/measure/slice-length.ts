/**
 * How many calls one timed batch makes. A batch lasts at least the shortest slice; by
 * default it is lengthened, up to the longest slice, until it makes `passes` passes
 * over the target's cases.
 *
 * Why (docs/method.md, "Slices and repeated inputs"): the two sides of a comparison
 * take turns on one CPU, and each turn starts with the caches and branch history the
 * other side left. A target that cycles through a few dozen inputs has them learnt by
 * the CPU within a pass or two, and pays that re-learning at the start of every batch:
 * in 1 ms batches escape-html over 64 comments cost 1.19–1.29 µs a call against 1.04 µs
 * in 10 ms ones, which drew `ab`'s ratio 12% toward 1 against a 25 ms-block truth
 * (0.68 against 0.61). With 2048 distinct comments, which no CPU learns, both figures
 * agreed at 1 and 25 ms. A hundred passes keep the re-learning to about 2% of a batch.
 */

/** What the batch size is chosen from. */
export interface SliceLengthInput {
  /** Warm time per call, ns. */
  perCallNs: number;
  /** Number of cases the calls cycle through. */
  cases: number;
  /** Shortest batch, ns (--slice, or the default). */
  minimumSliceNs: number;
  /** Longest a batch is lengthened to for passes, ns (equal to the shortest when --slice was given). */
  maximumSliceNs: number;
  /** Passes over the cases a batch should make when that fits under the longest slice. */
  passes: number;
}

/** Calls in one timed batch: at least one, at least the shortest slice, and as many passes as fit under the longest. */
export function callsPerBatch(input: SliceLengthInput): number {
  const perCall = Math.max(input.perCallNs, 1e-3);
  const shortest = Math.round(input.minimumSliceNs / perCall);
  const longest = Math.floor(Math.max(input.maximumSliceNs, input.minimumSliceNs) / perCall);
  const forPasses = Math.min(input.passes * input.cases, longest);
  return Math.max(1, shortest, forPasses);
}
