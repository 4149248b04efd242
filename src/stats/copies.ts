/**
 * Figures over a worker's copies of its target (see loadTargetCopies). Copies differ
 * by where the JIT placed their code, so each copy is summarised alone and the copies'
 * figures are averaged, every copy counting once; a copy the JIT left unoptimised is
 * left out as stray, not luck. Why the mean and not the median of the copies, with the
 * measurements: docs/method.md ("Why copies, and how many").
 */
import { mean, median } from "./descriptive.ts";

/** `values` by the copy that produced each (same index in `copies`; none: copy 0), in copy order. */
export function copyGroups(values: readonly number[], copies: readonly number[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  values.forEach((value, i) => {
    const copy = copies[i] ?? 0;
    const group = groups.get(copy);
    if (group) group.push(value);
    else groups.set(copy, [value]);
  });
  return new Map([...groups].sort(([a], [b]) => a - b));
}

/** Groups `values` by the copy that produced each, in copy order. */
export function groupByCopy(values: readonly number[], copies: readonly number[]): number[][] {
  return [...copyGroups(values, copies).values()];
}

/** Each copy's median of `values`, by copy. */
export function mediansByCopy(values: readonly number[], copies: readonly number[]): Map<number, number> {
  return new Map([...copyGroups(values, copies)].map(([copy, group]) => [copy, median(group)]));
}

/**
 * A copy whose time, with `offset` (the subtracted harness cost) added back, is more
 * than this factor away from the median copy's counts as stray, not as luck.
 */
export const strayCopyFactor = 1.5;

/**
 * A worker's median over its copies: the mean of each copy's median, stray copies
 * left out (the plain median for one copy). `offset` turns `values` back into raw
 * times for the stray test, so that figures near zero are judged by what was timed.
 */
export function medianAcrossCopies(values: readonly number[], copies: readonly number[], offset = 0): number {
  return combineCopies([...mediansByCopy(values, copies).values()], offset);
}

/**
 * The copies' medians combined as medianAcrossCopies does: their mean, stray copies left
 * out. Only a minority can be stray: copies split evenly into two speeds far apart are
 * both the code's, and the window around their midpoint could otherwise keep one half, or
 * none and give NaN.
 */
export function combineCopies(medians: ArrayLike<number>, offset = 0): number {
  const all = Array.from(medians);
  if (all.length <= 2) return mean(all);
  const typical = median(all) + offset;
  const kept = all.filter((m) => m + offset <= typical * strayCopyFactor && m + offset >= typical / strayCopyFactor);
  return mean(kept.length > all.length / 2 ? kept : all);
}

/**
 * Warm-up figures of full turns of the copies: entry i averages every copy's i-th
 * slice, so that a stability test compares like with like while copies take turns.
 */
export function warmupAcrossCopies(byCopy: readonly number[][]): number[] {
  const turns = Math.min(...byCopy.map((w) => w.length));
  return Array.from({ length: turns }, (_, i) => byCopy.reduce((sum, w) => sum + w[i], 0) / byCopy.length);
}
