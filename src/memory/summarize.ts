/**
 * A target's memory figures from its fresh processes: pure combination of the probes'
 * reports. Each process is a replicate; medians over them, with 95% bootstrap intervals.
 */
import { bootstrapCI, medianInPlace } from "../stats/bootstrap.ts";
import { median } from "../stats/descriptive.ts";
import { judgeLeak, type LeakJudgement } from "./leak.ts";
import type { MemoryReport } from "./probe.ts";

/** One target's memory figures (bytes). */
export interface MemoryStats {
  /** Median over processes of each one's median bytes allocated per call, with its 95% CI. */
  allocatedPerCall: number;
  allocatedCi: [number, number];
  /** Median over processes of the heap growth over the retention calls. */
  retained: number;
  /** Median over processes of the retention slope; `leaking` when most processes' retention says so. */
  growthPerCall: number;
  leaking: boolean;
  /** Largest heap reading and peak resident memory over the processes. */
  peakHeap: number;
  peakRss: number | null;
  /** GCs during the allocation batches, summed over processes (null when not reported). */
  gcs: number | null;
  isAsync: boolean;
  processes: number;
  /** Calls per allocation batch (median). */
  batchCalls: number;
  heapSource: string;
  /** Each process's median allocation per call and its leak judgement. */
  perProcess: { allocatedPerCall: number; leak: LeakJudgement }[];
}

/** Combines the reports of one target's processes. */
export function summarizeMemory(reports: readonly MemoryReport[]): MemoryStats {
  // The loop's own allocation per call (an empty function's) is not the target's.
  const perProcess = reports.map((r) => ({ allocatedPerCall: median(r.allocatedPerCall) - r.harnessPerCall, leak: judgeLeak(r.retention) }));
  const allocations = perProcess.map((p) => p.allocatedPerCall);
  // One process: its batches are the only replicates there are.
  const ciValues = allocations.length > 1 ? allocations : reports[0].allocatedPerCall.map((a) => a - reports[0].harnessPerCall);
  const gcCounts = reports.map((r) => r.gcs);
  return {
    allocatedPerCall: median(allocations),
    allocatedCi: bootstrapCI(ciValues, medianInPlace, { expand: true }),
    retained: median(perProcess.map((p) => p.leak.retained)),
    growthPerCall: median(perProcess.map((p) => p.leak.growthPerCall)),
    leaking: perProcess.filter((p) => p.leak.leaking).length * 2 > perProcess.length,
    peakHeap: Math.max(...reports.map((r) => r.peakHeap)),
    peakRss: reports.every((r) => r.peakRss !== null) ? Math.max(...reports.map((r) => r.peakRss!)) : null,
    gcs: gcCounts.every((g) => g !== null) ? gcCounts.reduce((s, g) => s! + g!, 0) : null,
    isAsync: reports[0].isAsync,
    processes: reports.length,
    batchCalls: median(reports.map((r) => r.batchCalls)),
    heapSource: reports[0].heapSource,
    perProcess,
  };
}
