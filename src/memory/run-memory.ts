/**
 * The memory domain's measurements: `bench --domain memory` (every figure, several fresh
 * processes per target) and `ab --domain memory` (bytes allocated per call, base and
 * head in alternating fresh processes, decided by the shared sequential paired loop).
 */
import { FreshProcessKit, runInFreshProcesses, typeScriptHooksForNode, type FreshProcessTargetResult } from "../measure/fresh-process.ts";
import type { CasesSpec, Failure, TargetSpec } from "../measure/protocol.ts";
import { runAlternatingPairs, failedOutcome, type SequentialSettings } from "../ab/sequential-run.ts";
import { domainAbResult, domainSide, type DomainAbResult } from "../ab/domain-result.ts";
import { median } from "../stats/descriptive.ts";
import { memoryProbeSource, memoryV8Flags, type MemoryReport, type MemoryResult, type MemoryTask } from "./probe.ts";
import { summarizeMemory, type MemoryStats } from "./summarize.ts";

/** One target's outcome. */
export type MemoryTargetResult = FreshProcessTargetResult<MemoryStats>;

/** How memory is measured. */
export interface MemoryOptions {
  /** Fresh processes per target. */
  processes: number;
  timeoutMs: number;
  signal?: AbortSignal;
  progress?: (done: number, label: string) => void;
  /** Fewer batches and shorter retention chunks: a quick look (an experiment's escalation check), not a figure to report. */
  quick?: boolean;
}

function task(target: TargetSpec, cases: CasesSpec, retention: boolean, quick = false): MemoryTask {
  return {
    target: { file: target.file, exportName: target.exportName },
    cases,
    hooks: typeScriptHooksForNode(),
    batches: quick ? 3 : retention ? 15 : 9,
    // 1 MiB: no collection expected inside a batch on either engine (JavaScriptCore collects its young objects after a few MiB).
    batchBytes: 1024 * 1024,
    chunks: retention ? 4 : 0,
    chunkMs: quick ? 50 : 100,
  };
}

function failureOf(target: TargetSpec, result: Exclude<MemoryResult, MemoryReport>): Failure {
  return { kind: "threw", message: `${target.label}: ${result.error}` };
}

/** Measures each target in `processes` fresh processes, targets interleaved process by process. */
export async function runMemoryBench(targets: TargetSpec[], cases: CasesSpec, options: MemoryOptions): Promise<MemoryTargetResult[]> {
  const kit = new FreshProcessKit(memoryProbeSource);
  const runOne = (target: TargetSpec) => kit.run<MemoryResult>(task(target, cases, true, options.quick), target.file, options.timeoutMs, memoryV8Flags);
  return runInFreshProcesses<MemoryReport, MemoryStats>(kit, targets, options.processes, runOne, summarizeMemory, failureOf, options);
}

/**
 * The ratio of two allocation figures, head/base. A byte is added to both so that a
 * call allocating nothing compares (0 -> 0 is 1, 1 KiB -> 0 is about 0.001), and a
 * reading below zero (an allocator's page returned mid-batch) counts as zero.
 */
export function allocationRatio(base: number, head: number): number {
  return (Math.max(0, head) + 1) / (Math.max(0, base) + 1);
}

/**
 * `ab --domain memory`: bytes allocated per call of head against base. Each round runs
 * one fresh process per side, the order alternating (ABBA), and each pair's ratio of
 * median allocation per call is a replicate of the sequential decision.
 */
export async function runMemoryAb(
  base: TargetSpec,
  head: TargetSpec,
  cases: CasesSpec,
  settings: SequentialSettings & { timeoutMs: number },
  progress?: (done: number, label: string) => void,
): Promise<DomainAbResult> {
  const what = { domain: "memory", metric: "bytes allocated per call", unit: "B", threshold: settings.threshold };
  const kit = new FreshProcessKit(memoryProbeSource);
  const heapSources = new Set<string>();
  const measure = async (side: TargetSpec): Promise<number | Failure> => {
    const result = await kit.run<MemoryResult>(task(side, cases, false), side.file, settings.timeoutMs, memoryV8Flags);
    if (!result.ok) return failureOf(side, result);
    heapSources.add(result.heapSource);
    return median(result.allocatedPerCall) - result.harnessPerCall;
  };
  try {
    const outcome = await runAlternatingPairs(settings, base, head, measure, allocationRatio, progress);
    return domainAbResult({ ...what, notes: [`heap read as ${[...heapSources].join(", ")}; each pair: one fresh process per side`] }, domainSide(base.label, outcome.baseValues), domainSide(head.label, outcome.headValues), outcome);
  } catch (error) {
    return domainAbResult(what, domainSide(base.label, []), domainSide(head.label, []), failedOutcome({ kind: "crash", message: String((error as Error).message) }));
  } finally {
    kit.dispose();
  }
}
