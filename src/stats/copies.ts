/**
 * Figures over a worker's copies of its target (see loadTargetCopies). Copies differ
 * by where the JIT placed their code, so a copy's samples are not interchangeable
 * with another's: each copy is summarised alone, then the copies are averaged, so
 * every copy's luck counts once whatever the number of its samples.
 */
import { median } from "./descriptive.ts";

/** Groups `values` by the copy that produced each (same index in `copies`), in copy order. */
export function groupByCopy(values: readonly number[], copies: readonly number[]): number[][] {
  const groups = new Map<number, number[]>();
  values.forEach((value, i) => {
    const copy = copies[i] ?? 0;
    const group = groups.get(copy);
    if (group) group.push(value);
    else groups.set(copy, [value]);
  });
  return [...groups.keys()].sort((a, b) => a - b).map((copy) => groups.get(copy)!);
}

/** A worker's median over its copies: each copy's median, averaged (the plain median for one copy). */
export function medianAcrossCopies(values: readonly number[], copies: readonly number[]): number {
  const groups = groupByCopy(values, copies);
  if (groups.length <= 1) return median(values);
  return groups.reduce((sum, group) => sum + median(group), 0) / groups.length;
}

/**
 * Warm-up figures of full turns of the copies: entry i averages every copy's i-th
 * slice, so that a stability test compares like with like while copies take turns.
 */
export function warmupAcrossCopies(byCopy: readonly number[][]): number[] {
  const turns = Math.min(...byCopy.map((w) => w.length));
  return Array.from({ length: turns }, (_, i) => byCopy.reduce((sum, w) => sum + w[i], 0) / byCopy.length);
}
