/** A worker's slices as times per call. Pure. */
import type { WorkerReport } from "./protocol.ts";

/**
 * Each slice's time per call (the target's slices and the empty function's), with the
 * clock's own cost taken off the slice before dividing by the batch: what bench and
 * ab both start from.
 */
export function perCallTimes(report: Pick<WorkerReport, "totals" | "harnessTotals" | "batch" | "facts">): { totals: number[]; harness: number[] } {
  const clock = report.facts?.clockCostNs ?? 0;
  const batch = report.batch || 1;
  return { totals: report.totals.map((t) => (t - clock) / batch), harness: report.harnessTotals.map((t) => (t - clock) / batch) };
}
