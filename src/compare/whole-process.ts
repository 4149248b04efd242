/**
 * Whole-process mode: a shell command timed in each revision's checkout, base and
 * head alternating in ABBA order (AB, BA, AB, ...) so that slow phases of a shared
 * machine hit both sides alike, then the ratio of wall times with a rank-based CI
 * over the adjacent pairs and a verdict. hyperfine's job, interleaved and judged.
 */
import { judgeInterval, type Verdict } from "../stats/verdict.ts";
import { findRepoRoot } from "../git/repo.ts";
import { mean, median, stdev } from "../stats/descriptive.ts";
import { estimateRatio } from "../stats/paired.ts";
import { withCheckouts } from "./checkout.ts";
import { timeCommand, usageSource, type ProcessRun, type UsageSource } from "./process-run.ts";
import { resolveRevisions, type Revision } from "./refs.ts";
import { describeExit, runShell } from "./shell.ts";
import { cpuNoiseThreshold } from "../domains/definitions.ts";

/** How compareProcesses runs. */
export interface ProcessCompareOptions {
  /** The shell command timed in each checkout. */
  command: string;
  /** A shell command run (untimed) before every run, in the same checkout. */
  prepare?: string;
  /** Timed runs per side (default 10). */
  runs?: number;
  /** Untimed warm-up runs per side (default 1). */
  warmup?: number;
  /** Differences within ±threshold are "same" (default `cpuNoiseThreshold`, as in the suite mode). */
  threshold?: number;
  install?: boolean;
  signal?: AbortSignal;
  progress?: (line: string) => void;
  log?: (line: string) => void;
}

/** Summary figures of one side's timed runs. */
export interface ProcessSideStats {
  /** Wall time with the shell's start-up subtracted, ms. */
  wall: { mean: number; stdev: number; median: number; min: number; max: number };
  /** Means over the runs, ms; null when the runtime could not measure them. */
  userMs: number | null;
  systemMs: number | null;
  /** The largest peak resident set over the runs, bytes. */
  maxRssBytes: number | null;
  runs: number;
}

/** A run that did not exit 0: the comparison stops there. */
export interface ProcessFailure {
  side: "base" | "head";
  stage: "prepare" | "warm-up" | "run";
  /** 1-based index of the run within its stage. */
  run: number;
  command: string;
  exitCode: number | null;
  signal: string | null;
  tail: string;
}

/** What a whole-process comparison found. */
export interface ProcessReport {
  kind: "script";
  base: Revision;
  head: Revision;
  command: string;
  prepare: string | null;
  warmup: number;
  /** The timed runs of each side, in order (wall times as measured, shell start-up included). */
  runs: { base: ProcessRun[]; head: ProcessRun[] };
  stats: { base: ProcessSideStats | null; head: ProcessSideStats | null };
  /** Median wall time of an empty shell command, subtracted from every run as hyperfine does, ms. */
  shellMs: number;
  usage: UsageSource;
  /** Head wall / base wall of each adjacent pair. */
  pairRatios: number[];
  /** Head time / base time (Hodges–Lehmann over the pairs), with its CI. */
  ratio: number;
  ci: [number, number];
  p: number;
  /** Base time / head time: above 1 means head is faster. */
  speedup: number;
  speedupCi: [number, number];
  verdict: Verdict;
  threshold: number;
  failure: ProcessFailure | null;
  notes: string[];
  wallMs: number;
}

/** Summarises one side's runs (wall times net of the shell's start-up). */
export function sideStats(runs: readonly ProcessRun[], shellMs: number): ProcessSideStats | null {
  if (runs.length === 0) return null;
  const walls = runs.map((r) => Math.max(0, r.wallMs - shellMs));
  const known = (values: (number | null)[]) => (values.every((v) => v !== null) ? (values as number[]) : null);
  const user = known(runs.map((r) => r.userMs));
  const system = known(runs.map((r) => r.systemMs));
  const rss = runs.map((r) => r.maxRssBytes).filter((v): v is number => v !== null);
  return {
    wall: { mean: mean(walls), stdev: stdev(walls), median: median(walls), min: Math.min(...walls), max: Math.max(...walls) },
    userMs: user ? mean(user) : null,
    systemMs: system ? mean(system) : null,
    maxRssBytes: rss.length > 0 ? Math.max(...rss) : null,
    runs: runs.length,
  };
}

/** The ratio of one adjacent pair; raw wall times when start-up leaves nothing to compare. */
function pairRatio(base: ProcessRun, head: ProcessRun, shellMs: number): number {
  const b = base.wallMs - shellMs;
  const h = head.wallMs - shellMs;
  return b > 0 && h > 0 ? h / b : head.wallMs / base.wallMs;
}

/**
 * Times `options.command` in temporary worktrees of base and head: warm-ups, then
 * `runs` ABBA pairs, each run preceded by `prepare`. A run or prepare that fails stops
 * the comparison at once (the report carries the failure with its exit code and
 * output tail); the worktrees are removed in every case.
 */
export async function compareProcesses(repo: string, base: string | undefined, head: string | undefined, options: ProcessCompareOptions): Promise<ProcessReport> {
  const started = Date.now();
  const root = await findRepoRoot(repo);
  const pair = await resolveRevisions(root, base, head);
  const runs = options.runs ?? 10;
  const warmup = options.warmup ?? 1;
  const threshold = options.threshold ?? cpuNoiseThreshold;
  const report: ProcessReport = {
    kind: "script",
    base: pair.base,
    head: pair.head,
    command: options.command,
    prepare: options.prepare ?? null,
    warmup,
    runs: { base: [], head: [] },
    stats: { base: null, head: null },
    shellMs: 0,
    usage: usageSource(),
    pairRatios: [],
    ratio: NaN,
    ci: [NaN, NaN],
    p: 1,
    speedup: NaN,
    speedupCi: [NaN, NaN],
    verdict: "inconclusive",
    threshold,
    failure: null,
    notes: [],
    wallMs: 0,
  };
  const signal = options.signal;
  const log = (line: string) => {
    report.notes.push(line);
    options.log?.(line);
  };
  await withCheckouts(root, pair, { install: options.install, signal, log }, async (checkouts) => {
    const folder = { base: checkouts.base.path, head: checkouts.head.path };
    // The cost of starting the shell, as hyperfine measures and subtracts it.
    const empty: number[] = [];
    for (let i = 0; i < 10 && !signal?.aborted; i++) empty.push((await timeCommand("", folder[i % 2 ? "head" : "base"], signal)).wallMs);
    report.shellMs = empty.length ? median(empty) : 0;

    /** One run of one side (prepare first); false once the comparison must stop. */
    const step = async (side: "base" | "head", stage: "warm-up" | "run", index: number): Promise<ProcessRun | false> => {
      if (signal?.aborted) return false;
      if (options.prepare) {
        const prepared = await runShell(options.prepare, folder[side], signal);
        if (signal?.aborted) return false;
        if (prepared.exitCode !== 0) {
          report.failure = { side, stage: "prepare", run: index + 1, command: options.prepare, exitCode: prepared.exitCode, signal: prepared.signal, tail: prepared.tail };
          return false;
        }
      }
      const run = await timeCommand(options.command, folder[side], signal);
      if (signal?.aborted) return false;
      if (run.exitCode !== 0) {
        report.failure = { side, stage, run: index + 1, command: options.command, exitCode: run.exitCode, signal: run.signal, tail: run.tail };
        return false;
      }
      return run;
    };
    const order = (i: number): ("base" | "head")[] => (i % 2 === 0 ? ["base", "head"] : ["head", "base"]);

    for (let i = 0; i < warmup; i++) {
      options.progress?.(`compare --script: warm-up ${i + 1}/${warmup}`);
      for (const side of order(i)) if ((await step(side, "warm-up", i)) === false) return;
    }
    for (let i = 0; i < runs; i++) {
      options.progress?.(`compare --script: pair ${i + 1}/${runs}${report.pairRatios.length > 0 ? `  last ratio ${report.pairRatios.at(-1)!.toFixed(3)}` : ""}`);
      for (const side of order(i)) {
        const run = await step(side, "run", i);
        if (run === false) return;
        report.runs[side].push(run);
      }
      report.pairRatios.push(pairRatio(report.runs.base[i], report.runs.head[i], report.shellMs));
    }
  });
  report.stats = { base: sideStats(report.runs.base, report.shellMs), head: sideStats(report.runs.head, report.shellMs) };
  if (report.failure === null && report.pairRatios.length > 0) {
    const estimate = estimateRatio(report.pairRatios);
    report.ratio = estimate.ratio;
    report.ci = estimate.ci;
    report.p = estimate.p;
    report.speedup = 1 / estimate.ratio;
    report.speedupCi = [1 / estimate.ci[1], 1 / estimate.ci[0]];
    report.verdict = (!signal?.aborted && judgeInterval(estimate.ci, threshold)) || "inconclusive";
  }
  const fastest = Math.min(report.stats.base?.wall.median ?? Infinity, report.stats.head?.wall.median ?? Infinity);
  if (Number.isFinite(fastest) && fastest < 5 * report.shellMs) {
    report.notes.push(`the command runs about as long as starting a shell (${report.shellMs.toFixed(1)} ms, subtracted): its ratio is mostly start-up noise`);
  }
  report.wallMs = Date.now() - started;
  return report;
}

/** One line describing a failed run: which side, which stage, the exit and the command. */
export function describeFailure(failure: ProcessFailure, report: Pick<ProcessReport, "base" | "head">): string {
  const revision = report[failure.side];
  const what = failure.stage === "prepare" ? `--prepare \`${failure.command}\`` : `\`${failure.command}\``;
  return `${failure.side} ${revision.short}: ${what} ${describeExit(failure)} (${failure.stage === "warm-up" ? "warm-up" : failure.stage === "prepare" ? "before run" : "run"} ${failure.run})`;
}
