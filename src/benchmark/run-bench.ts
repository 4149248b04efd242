import { loadavg, cpus } from "node:os";
import { runSession, type SessionOptions } from "../measure/session.ts";
import type { CasesSpec, Failure, TargetSpec, WorkerReport } from "../measure/protocol.ts";
import { precisionReached, relativeHalfWidth, replicateSamples, roundsForPrecision, targetStats, warningsFor, type TargetResult, type TargetStats } from "./summarize.ts";
import { median } from "../stats/descriptive.ts";
import { formatPlusMinus } from "../format/units.ts";

/** Settings shared by `bench`, `ab` and `noise`. */
export interface MeasureSettings {
  cpu: number | null;
  /** Sampling time per target over the first `rounds` rounds, ms (bench's --time). */
  timeMs: number;
  /** Sessions run one after the other (bench: at least this many). */
  rounds: number;
  /**
   * bench: keep adding rounds, each as long as the first ones, until the median's 95% CI
   * spans at most ±precision of it (a fraction), up to `maxRounds`. Absent: fixed rounds.
   */
  precision?: number;
  maxRounds?: number;
  /** Fresh workers per target (bench) or worker pairs (ab) in each session. */
  workers: number;
  /** Shortest timed batch, ns. */
  sliceNs: number;
  /** Longest a batch is lengthened to for passes over the cases, ns (absent: never lengthened). */
  maxSliceNs?: number;
  timeoutMs: number;
  maxMemoryMb: number;
  cloneArgs: "auto" | "always" | "never";
  maxWarmupNs: number;
  /** Copies of each target's module every worker loads and takes turns with (see loadTargetCopies). */
  copies: number;
  signal?: AbortSignal;
}

/** Progress callback: fraction done and a short label. */
export type Progress = (done: number, label: string) => void;

/**
 * Session options from settings, for a ring of `slots`. A session samples for
 * `samplingMs` and at least 20 cycles of every slot, so lengthened slices (see
 * measure/slice-length.ts) lengthen it: six or ten cycles of 10 ms slices left the
 * escape-html swap's pairs wider and its ratio further from the truth (docs/method.md).
 */
export function sessionOptions(settings: MeasureSettings, slots: SessionOptions["slots"], samplingMs: number, shareBatch: boolean): SessionOptions {
  return {
    slots,
    cpu: settings.cpu,
    sliceNs: settings.sliceNs,
    maxSliceNs: settings.maxSliceNs ?? settings.sliceNs,
    samplingMs,
    minCycles: 20,
    timeoutMs: settings.timeoutMs,
    maxMemoryMb: settings.maxMemoryMb,
    shareBatch,
    cloneArgs: settings.cloneArgs,
    maxWarmupNs: settings.maxWarmupNs,
    copies: settings.copies,
    signal: settings.signal,
  };
}

/**
 * Measures every target in sessions of fresh workers, one after the other. Each
 * session starts `workers` fresh workers per target and interleaves them all slice by
 * slice; a target's figure averages over its fresh workers, so one worker's JIT luck
 * cannot decide it. How many workers that takes depends on the code: a pure
 * arithmetic loop repeats within about 1% over ten, while allocation-heavy code lands
 * fresh workers in speed modes ~15% apart and needs several times more. So after the
 * first `rounds`, a target whose median is not yet known to ±`precision` gets more
 * rounds (up to `maxRounds`); the others stop.
 */
export async function runBench(targets: TargetSpec[], cases: CasesSpec, settings: MeasureSettings, progress?: Progress): Promise<TargetResult[]> {
  const perTarget: WorkerReport[][] = targets.map(() => []);
  const failures: (Failure | undefined)[] = new Array(targets.length);
  const settled: boolean[] = targets.map(() => false);
  const roundsRun: number[] = targets.map(() => 0);
  const adaptive = isAdaptive(settings);
  const maxRounds = roundLimit(settings);
  const samplingPerTargetMs = settings.timeMs / settings.rounds;
  const load = loadavg()[0];
  for (let round = 0; round < maxRounds; round++) {
    if (settings.signal?.aborted) break;
    const live = targets.map((t, i) => ({ t, i })).filter(({ i }) => !failures[i] && !settled[i]);
    if (live.length === 0) break;
    // The fraction counts toward the most rounds the run may take, so the ETA is an upper bound.
    progress?.(round / maxRounds, round < settings.rounds ? `round ${round + 1}/${settings.rounds}` : `round ${round + 1} of at most ${maxRounds}: median not yet within ${formatPlusMinus(settings.precision!)}`);
    const ring = Array.from({ length: settings.workers }, () => live).flat();
    const reports = await runSession(sessionOptions(settings, ring.map(({ t }) => ({ target: t, cases })), samplingPerTargetMs * live.length, false));
    reports.forEach((report, j) => {
      const index = ring[j].i;
      if (report.failure) failures[index] ??= report.failure;
      else perTarget[index].push(report);
    });
    for (const { i } of live) {
      roundsRun[i]++;
      if (!failures[i] && !needsAnotherRound(roundsRun[i], settings, () => statsOf(perTarget[i]))) settled[i] = true;
    }
  }
  progress?.(1, "done");
  return targets.map((target, i) => targetResult(target, perTarget[i], failures[i], roundsRun[i], { loadAverage: load, precisionGoal: adaptive ? settings.precision! : null }));
}

/** The settings that decide how many rounds a target runs. */
type RoundSettings = Pick<MeasureSettings, "rounds" | "precision" | "maxRounds">;

function isAdaptive(settings: RoundSettings): boolean {
  return settings.precision !== undefined && settings.precision > 0;
}

function roundLimit(settings: RoundSettings): number {
  return isAdaptive(settings) ? Math.max(settings.rounds, settings.maxRounds ?? settings.rounds) : settings.rounds;
}

/**
 * Whether a target that has run `roundsDone` rounds gets another: always before
 * --rounds, never at the limit, and in between only while its median's CI is wider
 * than the precision goal. `stats` is computed only when the answer depends on it.
 */
export function needsAnotherRound(roundsDone: number, settings: RoundSettings, stats: () => TargetStats | null): boolean {
  if (roundsDone < settings.rounds) return true;
  if (roundsDone >= roundLimit(settings)) return false;
  const known = stats();
  return known === null || !precisionReached(known, settings.precision!);
}

function usableReports(reports: WorkerReport[]): WorkerReport[] {
  return reports.filter((r) => r.totals.length > 0);
}

function statsOf(reports: WorkerReport[]): TargetStats | null {
  const usable = usableReports(reports);
  return usable.length ? targetStats(usable.map((r) => replicateSamples(r))) : null;
}

/**
 * A target's result from the reports of its fresh workers: statistics, the facts
 * its workers learnt, and the warnings; or its failure. Shared by bench and ab.
 */
export function targetResult(
  target: TargetSpec,
  reports: WorkerReport[],
  failure: Failure | undefined,
  rounds: number,
  { loadAverage = loadavg()[0], precisionGoal = null, interleavedPairs = false }: { loadAverage?: number; precisionGoal?: number | null; interleavedPairs?: boolean } = {},
): TargetResult {
  if (failure) return { target: target.label, ok: false, error: failure };
  const usable = usableReports(reports);
  if (usable.length === 0) return { target: target.label, ok: false, error: { kind: "crash", message: `${target.label}: no samples were taken` } };
  const replicates = usable.map((r) => replicateSamples(r));
  const stats = targetStats(replicates);
  const facts = usable[0].facts!;
  const halfWidth = relativeHalfWidth(stats);
  const reached = precisionGoal === null ? null : precisionReached(stats, precisionGoal);
  return {
    target: target.label,
    ok: true,
    stats,
    batch: Math.round(median(usable.map((r) => r.batch))),
    rounds,
    precision: {
      goal: precisionGoal,
      halfWidth,
      reached,
      roundsNeeded: reached === false ? roundsForPrecision(rounds, halfWidth, precisionGoal!) : null,
    },
    pin: facts.pin,
    facts,
    harnessPerCall: median(replicates.map((r) => r.harnessPerCall)),
    warnings: warningsFor({ stats, replicates, facts, warmupStable: usable.every((r) => r.warmup.stable), loadAverage, cores: cpus().length, rounds, interleavedPairs }),
  };
}
