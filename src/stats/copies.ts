/**
 * Figures over a worker's copies of its target (see loadTargetCopies). Copies differ
 * by where the JIT placed their code, so a copy's samples are not interchangeable
 * with another's: each copy is summarised alone, then the copies' figures are
 * combined by their median, so every copy counts once whatever the number of its
 * samples, copies in two speed modes still average (four: the mean of the middle
 * two), and one copy the JIT left unoptimised cannot drag the figure (seen: one of
 * four copies of an empty function's loop at 7.9 ns a call, the others at 0.8 ns).
 */
import { median } from "./descriptive.ts";

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

/** A worker's median over its copies: the median of each copy's median (the plain median for one copy). */
export function medianAcrossCopies(values: readonly number[], copies: readonly number[]): number {
  return median([...mediansByCopy(values, copies).values()]);
}

/**
 * Warm-up figures of full turns of the copies: entry i averages every copy's i-th
 * slice, so that a stability test compares like with like while copies take turns.
 */
export function warmupAcrossCopies(byCopy: readonly number[][]): number[] {
  const turns = Math.min(...byCopy.map((w) => w.length));
  return Array.from({ length: turns }, (_, i) => byCopy.reduce((sum, w) => sum + w[i], 0) / byCopy.length);
}
