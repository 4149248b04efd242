/**
 * The async domain's measurements: `bench --domain async` (throughput, latency,
 * event-loop delay and waiting share per concurrency level, several fresh processes per
 * target) and `ab --domain async` (throughput at one representative concurrency, base
 * and head in alternating fresh processes, decided by the shared sequential paired loop).
 */
import { FreshProcessKit, runInFreshProcesses, typeScriptHooksForNode, type FreshProcessTargetResult } from "../measure/fresh-process.ts";
import type { CasesSpec, Failure, TargetSpec } from "../measure/protocol.ts";
import { runAlternatingPairs, type SequentialSettings } from "../ab/sequential-run.ts";
import { domainAbResult, domainSide, type DomainAbResult } from "../ab/domain-result.ts";
import { asyncProbeSource, type AsyncReport, type AsyncResult, type AsyncTask } from "./probe.ts";
import { summarizeAsync, type AsyncStats } from "./summarize.ts";

/** One target's outcome. */
export type AsyncTargetResult = FreshProcessTargetResult<AsyncStats>;

/** How async targets are measured. */
export interface AsyncOptions {
  /** Fresh processes per target. */
  processes: number;
  concurrency: number[];
  /** Wall time per concurrency level, ms. */
  levelMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
  progress?: (done: number, label: string) => void;
}

function task(target: TargetSpec, cases: CasesSpec, concurrency: number[], levelMs: number, idleControl: boolean): AsyncTask {
  return { target: { file: target.file, exportName: target.exportName }, cases, hooks: typeScriptHooksForNode(), concurrency, levelMs, idleControl };
}

function failureOf(target: TargetSpec, result: Exclude<AsyncResult, AsyncReport>): Failure {
  return { kind: "threw", message: `${target.label}: ${result.error}` };
}

/** The timeout of one process: its levels' time, the warm-up and start-up, and the user's --timeout on top. */
function processTimeout(options: Pick<AsyncOptions, "concurrency" | "levelMs" | "timeoutMs">): number {
  // Each level may be preceded by an idle control of a fifth of a level (at least 50 ms).
  return options.timeoutMs + options.levelMs * (options.concurrency.length + 1) + Math.max(50, options.levelMs / 5) * options.concurrency.length;
}

/** Measures each target in `processes` fresh processes, targets interleaved process by process. */
export async function runAsyncBench(targets: TargetSpec[], cases: CasesSpec, options: AsyncOptions): Promise<AsyncTargetResult[]> {
  const kit = new FreshProcessKit(asyncProbeSource);
  const runOne = (target: TargetSpec) => kit.run<AsyncResult>(task(target, cases, options.concurrency, options.levelMs, true), target.file, processTimeout(options));
  return runInFreshProcesses<AsyncReport, AsyncStats>(kit, targets, options.processes, runOne, summarizeAsync, failureOf, options);
}

/**
 * `ab --domain async`: throughput of head against base at one concurrency. Each round
 * runs one fresh process per side for `levelMs`, the order alternating (ABBA); the
 * pair's ratio is base throughput over head throughput (head's time per completed
 * call over base's), so below 1 is faster as everywhere else.
 */
export async function runAsyncAb(
  base: TargetSpec,
  head: TargetSpec,
  cases: CasesSpec,
  settings: SequentialSettings & { timeoutMs: number; concurrency: number; levelMs: number },
  progress?: (done: number, label: string) => void,
): Promise<DomainAbResult> {
  const what = {
    domain: "async",
    metric: `throughput at concurrency ${settings.concurrency} (ratio: head/base time per completed call)`,
    unit: "calls/s",
    threshold: settings.threshold,
  };
  const kit = new FreshProcessKit(asyncProbeSource);
  const timeoutMs = processTimeout({ concurrency: [settings.concurrency], levelMs: settings.levelMs, timeoutMs: settings.timeoutMs });
  const measure = async (side: TargetSpec): Promise<number | Failure> => {
    const result = await kit.run<AsyncResult>(task(side, cases, [settings.concurrency], settings.levelMs, false), side.file, timeoutMs);
    if (!result.ok) return failureOf(side, result);
    const level = result.levels[0];
    return (level.completed * 1000) / level.elapsedMs;
  };
  try {
    // Throughput: head's time per completed call over base's is base's throughput over head's.
    const outcome = await runAlternatingPairs(settings, base, head, measure, (b, h) => b / h, progress);
    const notes = [`each pair: one fresh process per side, ${settings.concurrency} calls in flight for ${settings.levelMs} ms in real time`];
    return domainAbResult({ ...what, notes }, domainSide(base.label, outcome.baseValues), domainSide(head.label, outcome.headValues), outcome);
  } finally {
    kit.dispose();
  }
}
