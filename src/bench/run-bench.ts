import { loadavg, cpus } from "node:os";
import { runSession, type SessionOptions } from "../measure/session.ts";
import type { CasesSpec, Failure, TargetSpec, WorkerReport } from "../measure/protocol.ts";
import { replicateSamples, targetStats, warningsFor, type TargetResult } from "./summarize.ts";
import { median } from "../stats/descriptive.ts";

/** Settings shared by `bench`, `ab` and `noise`. */
export interface MeasureSettings {
  cpu: number | null;
  /** Sampling time per target, ms (bench's --time). */
  timeMs: number;
  /** Sessions run one after the other. */
  rounds: number;
  /** Fresh workers per target (bench) or worker pairs (ab) in each session. */
  workers: number;
  sliceNs: number;
  timeoutMs: number;
  maxMemoryMb: number;
  cloneArgs: "auto" | "always" | "never";
  maxWarmupNs: number;
  signal?: AbortSignal;
}

/** Progress callback: fraction done and a short label. */
export type Progress = (done: number, label: string) => void;

/** Session options from settings, for a ring of `slots`. */
export function sessionOptions(settings: MeasureSettings, slots: SessionOptions["slots"], samplingMs: number, shareBatch: boolean): SessionOptions {
  return {
    slots,
    cpu: settings.cpu,
    sliceNs: settings.sliceNs,
    samplingMs,
    minCycles: 20,
    timeoutMs: settings.timeoutMs,
    maxMemoryMb: settings.maxMemoryMb,
    shareBatch,
    cloneArgs: settings.cloneArgs,
    maxWarmupNs: settings.maxWarmupNs,
    signal: settings.signal,
  };
}

/**
 * Measures every target in `rounds` sessions. Each session starts `workers` fresh
 * workers per target and interleaves them all slice by slice; a target's figure
 * averages over its fresh workers, so one worker's JIT luck cannot decide it.
 */
export async function runBench(targets: TargetSpec[], cases: CasesSpec, settings: MeasureSettings, progress?: Progress): Promise<TargetResult[]> {
  const perTarget: WorkerReport[][] = targets.map(() => []);
  const failures: (Failure | undefined)[] = new Array(targets.length);
  const samplingMs = (settings.timeMs * targets.length) / settings.rounds;
  const load = loadavg()[0];
  for (let round = 0; round < settings.rounds; round++) {
    if (settings.signal?.aborted) break;
    const live = targets.map((t, i) => ({ t, i })).filter(({ i }) => !failures[i]);
    if (live.length === 0) break;
    progress?.(round / settings.rounds, `round ${round + 1}/${settings.rounds}`);
    const ring = Array.from({ length: settings.workers }, () => live).flat();
    const reports = await runSession(sessionOptions(settings, ring.map(({ t }) => ({ target: t, cases })), samplingMs, false));
    reports.forEach((report, j) => {
      const index = ring[j].i;
      if (report.failure) failures[index] ??= report.failure;
      else perTarget[index].push(report);
    });
  }
  progress?.(1, "done");
  return targets.map((target, i) => targetResult(target, perTarget[i], failures[i], settings.rounds, load));
}

/**
 * A target's result from the reports of its fresh workers: statistics, the facts
 * its workers learnt, and the warnings; or its failure. Shared by bench and ab.
 */
export function targetResult(target: TargetSpec, reports: WorkerReport[], failure: Failure | undefined, rounds: number, loadAverage = loadavg()[0]): TargetResult {
  if (failure) return { target: target.label, ok: false, error: failure };
  const usable = reports.filter((r) => r.totals.length > 0);
  if (usable.length === 0) return { target: target.label, ok: false, error: { kind: "crash", message: `${target.label}: no samples were taken` } };
  const replicates = usable.map((r) => replicateSamples(r));
  const stats = targetStats(replicates);
  const facts = usable[0].facts!;
  return {
    target: target.label,
    ok: true,
    stats,
    batch: Math.round(median(usable.map((r) => r.batch))),
    rounds,
    pin: facts.pin,
    facts,
    harnessPerCall: median(replicates.map((r) => r.harnessPerCall)),
    warnings: warningsFor({ stats, replicates, facts, warmupStable: usable.every((r) => r.warmup.stable), loadAverage, cores: cpus().length }),
  };
}
