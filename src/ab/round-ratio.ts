import { mean, median } from "../stats/descriptive.ts";
import { groupByCopy } from "../stats/copies.ts";
import { perCallTimes } from "../measure/per-call.ts";
import type { WorkerReport } from "../measure/protocol.ts";

/**
 * The ratio head/base of one replicate (one fresh worker pair). Base and head
 * slices of the same cycle ran back to back, so their ratio cancels whatever the
 * machine was doing at that moment; the median over cycles resists the odd slice
 * hit by an interrupt. The empty-function cost, the same code on both sides, is
 * subtracted from both with one shared estimate so it cannot tilt the ratio. With
 * copies of the targets (--copies), each pairing of a base copy with a head copy
 * gets its own median and the pairings are averaged geometrically, so every
 * pairing counts once, as copies do in bench (see stats/copies.ts).
 */
export function roundRatio(base: WorkerReport, head: WorkerReport): number | null {
  const b = perCallTimes(base);
  const h = perCallTimes(head);
  if (b.totals.length === 0 || h.totals.length === 0) return null;
  const harness = median([...b.harness, ...h.harness]);
  const baseByCycle = new Map<number, { time: number; copy: number }>();
  base.cycles.forEach((c, i) => baseByCycle.set(c, { time: b.totals[i], copy: base.copies[i] ?? 0 }));
  const rawRatios: number[] = [];
  const netRatios: number[] = [];
  const pairings: number[] = [];
  head.cycles.forEach((c, i) => {
    const baseSlice = baseByCycle.get(c);
    if (baseSlice === undefined) return;
    rawRatios.push(h.totals[i] / baseSlice.time);
    netRatios.push((h.totals[i] - harness) / (baseSlice.time - harness));
    pairings.push(baseSlice.copy * 1024 + (head.copies[i] ?? 0));
  });
  if (rawRatios.length === 0) return null;
  // When the harness is most of the time (a call optimised away), the net ratio is
  // meaningless; fall back to the raw ratio, which the bench warning explains.
  const netBase = median(b.totals) - harness;
  const [ratios, keys] = netBase <= 0.25 * harness ? [rawRatios, pairings] : keepPositive(netRatios, pairings);
  if (ratios.length === 0) return NaN;
  const groups = groupByCopy(ratios, keys);
  return Math.exp(mean(groups.map((group) => Math.log(median(group)))));
}

function keepPositive(ratios: number[], keys: number[]): [number[], number[]] {
  const kept = ratios.map((r, i) => [r, keys[i]] as const).filter(([r]) => Number.isFinite(r) && r > 0);
  return [kept.map(([r]) => r), kept.map(([, k]) => k)];
}
