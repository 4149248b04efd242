import { median } from "../stats/descriptive.ts";
import type { WorkerReport } from "../measure/protocol.ts";

/**
 * The ratio head/base of one replicate (one fresh worker pair). Base and head
 * slices of the same cycle ran back to back, so their ratio cancels whatever the
 * machine was doing at that moment; the median over cycles resists the odd slice
 * hit by an interrupt. The empty-function cost, the same code on both sides, is
 * subtracted from both with one shared estimate so it cannot tilt the ratio.
 */
export function roundRatio(base: WorkerReport, head: WorkerReport): number | null {
  const perCall = (report: WorkerReport) => {
    const clock = report.facts?.clockCostNs ?? 0;
    return { totals: report.totals.map((t) => (t - clock) / report.batch), harness: report.harnessTotals.map((t) => (t - clock) / report.batch) };
  };
  const b = perCall(base);
  const h = perCall(head);
  if (b.totals.length === 0 || h.totals.length === 0) return null;
  const harness = median([...b.harness, ...h.harness]);
  const baseByCycle = new Map<number, number>();
  base.cycles.forEach((c, i) => baseByCycle.set(c, b.totals[i]));
  const rawRatios: number[] = [];
  const netRatios: number[] = [];
  head.cycles.forEach((c, i) => {
    const baseTime = baseByCycle.get(c);
    if (baseTime === undefined) return;
    rawRatios.push(h.totals[i] / baseTime);
    netRatios.push((h.totals[i] - harness) / (baseTime - harness));
  });
  if (rawRatios.length === 0) return null;
  // When the harness is most of the time (a call optimised away), the net ratio is
  // meaningless; fall back to the raw ratio, which the bench warning explains.
  const netBase = median(b.totals) - harness;
  if (netBase <= 0.25 * harness) return median(rawRatios);
  return median(netRatios.filter((r) => Number.isFinite(r) && r > 0));
}
