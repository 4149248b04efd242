/**
 * Suite mode: every benchmark of the head revision's bench files compared between the
 * two revisions with the `ab` engine (interleaved fresh worker pairs on one pinned
 * CPU, a CI on the ratio and a verdict), then an overall geometric-mean speedup.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { runAb, type AbResult } from "../ab/run-ab.ts";
import { planAb } from "../ab/plan.ts";
import { sharedBound, type Verdict } from "../stats/verdict.ts";
import { findRepoRoot } from "../git/repo.ts";
import type { TargetSpec } from "../measure/protocol.ts";
import { geometricMean } from "../stats/descriptive.ts";
import { parseFilter } from "../target/filter.ts";
import { withCheckouts, type Checkouts } from "./checkout.ts";
import { readBenchGlob } from "./config.ts";
import { findBenchFiles, type BenchFile } from "./discover.ts";
import { listBenchmarks } from "./exports.ts";
import { resolveRevisions, sideName, type Revision, type RevisionPair } from "./refs.ts";

/** How compareRevisions runs; every field is optional. */
export interface CompareOptions {
  /** Differences within ±threshold are "same" (default: cpu's 0.01, raised to a stored noise floor). */
  threshold?: number;
  /** Time budget per benchmark, seconds (default 30). */
  maxTimeSec?: number;
  /** Only benchmarks whose `file#name` matches. */
  filter?: RegExp | string;
  /** Fresh npm install per revision instead of linking the checkout's node_modules. */
  install?: boolean;
  /** The suite's glob (default: `.codeflash/config.json` benchGlob, else bench/**\/*.bench.{ts,js,mjs}). */
  glob?: string;
  /** Stops between and inside benchmarks (interrupts). */
  signal?: AbortSignal;
  /** A live status line (progress), overwritten as work goes on. */
  progress?: (line: string) => void;
  /** Lines worth telling as they happen (installs). */
  log?: (line: string) => void;
}

/** Which side a failure belongs to. */
export type FailedSide = "base" | "head" | "both";

/** One benchmark compared between the revisions. */
export interface BenchmarkComparison {
  /** `file#name` (repo-relative file), what --filter matches; the file alone when it could not be listed. */
  id: string;
  file: string;
  /** Null when head's bench file itself failed to load, so its benchmarks are unknown. */
  name: string | null;
  /** "head-copy": base lacked this benchmark, so head's copy of the bench file ran in base's checkout. */
  baseSource: "base" | "head-copy";
  /** Head time / base time (the `ab` convention), Hodges–Lehmann over fresh worker pairs. */
  ratio: number;
  ci: [number, number];
  /** Base time / head time: above 1 means head is faster. */
  speedup: number;
  speedupCi: [number, number];
  verdict: Verdict;
  /** Set when a side failed (import, throw, timeout...): the comparison of this benchmark failed. */
  failure: { side: FailedSide; message: string } | null;
  /** The full `ab` result, when the benchmark was measured. */
  result: AbResult | null;
}

/** The overall figure over the benchmarks that were compared. */
export interface OverallSpeedup {
  /** Geometric mean of the per-benchmark speedups (base/head). */
  speedup: number;
  benchmarks: number;
  verdicts: Record<Verdict, number>;
  /** When no benchmark showed a difference: the largest change any interval allows (see equivalenceBound); null otherwise. */
  bound: number | null;
}

/** What a suite comparison found. */
export interface SuiteReport {
  kind: "suite";
  base: Revision;
  head: Revision;
  glob: string;
  benchmarks: BenchmarkComparison[];
  /** Null when no benchmark could be compared. */
  overall: OverallSpeedup | null;
  /** Every benchmark found before --filter, for "matched nothing" messages. */
  available: string[];
  /** Things the reader must know (head's copies used in base, --install). */
  notes: string[];
  /** True when any benchmark's comparison failed. */
  failed: boolean;
  /** Wall time of the whole comparison, and of the benchmarks' measurements alone, ms. */
  wallMs: number;
  measureMs: number;
}

/** The project has no bench suite at head: nothing was checked out or measured. */
export interface NoSuiteReport {
  kind: "no-suite";
  base: Revision;
  head: Revision;
  glob: string;
}

/** The outcome of compareRevisions. */
export type CompareReport = SuiteReport | NoSuiteReport;

interface Planned {
  file: BenchFile;
  name: string;
  baseFile: string;
  headFile: string;
  baseSource: "base" | "head-copy";
}

function failedEntry(file: string, name: string | null, side: FailedSide, message: string, baseSource: "base" | "head-copy"): BenchmarkComparison {
  return { id: name === null ? file : `${file}#${name}`, file, name, baseSource, ratio: NaN, ci: [NaN, NaN], speedup: NaN, speedupCi: [NaN, NaN], verdict: "inconclusive", failure: { side, message }, result: null };
}

/** Copies head's bench file into base's checkout, beside where base's own would be, so its relative imports reach base's code. */
function copyHeadFile(checkouts: Checkouts, file: string, targetRelative: string): string {
  const target = path.join(checkouts.base.path, targetRelative);
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(path.join(checkouts.head.path, file), target);
  return target;
}

/** A benchmark to measure, or one already failed while listing; kept in file order. */
type Step = { plan: Planned } | { failed: BenchmarkComparison };

/**
 * How long a bench file's top-level code may take to import while listing, the same
 * default the measuring workers give a module to load (--timeout).
 */
const IMPORT_TIMEOUT_MS = 10_000;

/** Lists each bench file's benchmarks on both sides and decides which file base runs. */
async function planBenchmarks(files: BenchFile[], checkouts: Checkouts, pair: RevisionPair, filter: RegExp | null, report: SuiteReport): Promise<Step[]> {
  const steps: Step[] = [];
  const timeoutMs = IMPORT_TIMEOUT_MS;
  for (const file of files) {
    const headFile = path.join(checkouts.head.path, file.path);
    const headList = await listBenchmarks(headFile, `${file.path} (${sideName("head", pair.head)})`, timeoutMs);
    if (!headList.ok) {
      if (!filter || filter.test(file.path)) steps.push({ failed: failedEntry(file.path, null, "head", headList.message, "base") });
      continue;
    }
    report.available.push(...headList.names.map((n) => `${file.path}#${n}`));
    for (const r of headList.refused) if (!filter || filter.test(`${file.path}#${r.name}`)) report.notes.push(`${file.path}#${r.name}: not measured: ${r.reason}`);
    const names = headList.names.filter((n) => !filter || filter.test(`${file.path}#${n}`));
    if (names.length === 0) continue;
    const baseFile = path.join(checkouts.base.path, file.path);
    const copied = !file.inBase;
    if (copied) {
      copyHeadFile(checkouts, file.path, file.path);
      report.notes.push(`${file.path} is not in ${sideName("base", pair.base)}: head's copy is used for both sides`);
    }
    const baseList = await listBenchmarks(baseFile, `${file.path}${copied ? " (head's copy)" : ""} (${sideName("base", pair.base)})`, timeoutMs);
    if (!baseList.ok) {
      for (const name of names) steps.push({ failed: failedEntry(file.path, name, "base", baseList.message, copied ? "head-copy" : "base") });
      continue;
    }
    const missing = names.filter((n) => !baseList.names.includes(n));
    let siblingFile: string | null = null;
    if (missing.length > 0) {
      // Base has the file but not these benchmarks: head's copy runs beside base's own.
      const sibling = path.posix.join(path.posix.dirname(file.path), `.xloop-head-${path.posix.basename(file.path)}`);
      siblingFile = copyHeadFile(checkouts, file.path, sibling);
      report.notes.push(`${missing.map((n) => `${file.path}#${n}`).join(", ")} ${missing.length === 1 ? "is" : "are"} not in ${sideName("base", pair.base)}'s copy of the file: head's copy is used for both sides`);
    }
    for (const name of names) {
      const fromHead = copied || missing.includes(name);
      steps.push({ plan: { file, name, headFile, baseFile: missing.includes(name) ? siblingFile! : baseFile, baseSource: fromHead ? "head-copy" : "base" } });
    }
  }
  return steps;
}

/**
 * Which side of a measured benchmark failed. When one side fails, runAb drops the
 * pair, so the other side reports "no samples were taken" without being at fault:
 * only real failures count, and runAb's first failure names its target otherwise.
 */
function failureOf(result: AbResult, baseLabel: string): BenchmarkComparison["failure"] {
  const real = (side: AbResult["base"]) => (!side.ok && !side.error.message.endsWith("no samples were taken") ? side.error.message : null);
  const [base, head] = [real(result.base), real(result.head)];
  if (base !== null && head !== null) return { side: "both", message: `${base}; ${head}` };
  if (base !== null) return { side: "base", message: base };
  if (head !== null) return { side: "head", message: head };
  if (result.error) return { side: result.error.message.startsWith(baseLabel) ? "base" : "head", message: result.error.message };
  // Both sides without samples and no failure recorded (e.g. interrupted): name it as it is.
  if (!result.base.ok) return { side: result.head.ok ? "base" : "both", message: result.base.error.message };
  if (!result.head.ok) return { side: "head", message: result.head.error.message };
  return null;
}

function comparison(plan: Planned, result: AbResult, baseLabel: string): BenchmarkComparison {
  const id = `${plan.file.path}#${plan.name}`;
  return {
    id,
    file: plan.file.path,
    name: plan.name,
    baseSource: plan.baseSource,
    ratio: result.ratio,
    ci: result.ci,
    speedup: 1 / result.ratio,
    speedupCi: [1 / result.ci[1], 1 / result.ci[0]],
    verdict: result.verdict,
    failure: failureOf(result, baseLabel),
    result,
  };
}

/** The geometric mean of the compared benchmarks' speedups, with their verdicts counted. */
export function overallSpeedup(benchmarks: readonly BenchmarkComparison[]): OverallSpeedup | null {
  const compared = benchmarks.filter((b) => b.failure === null && Number.isFinite(b.speedup) && b.speedup > 0);
  if (compared.length === 0) return null;
  const verdicts: Record<Verdict, number> = { faster: 0, slower: 0, same: 0, inconclusive: 0 };
  for (const b of compared) verdicts[b.verdict]++;
  return { speedup: geometricMean(compared.map((b) => b.speedup)), benchmarks: compared.length, verdicts, bound: sharedBound(compared) ?? null };
}

/**
 * Compares the bench suite of two revisions of `repo`: both are checked out into
 * temporary worktrees (removed afterwards, also on failure and interrupt), the head's
 * bench files are listed, and each benchmark is compared with `runAb` (base = the
 * function in base's checkout, head = in head's). Cheap when the head revision has no
 * bench suite: that is found from git's file list and returned as "no-suite" without
 * checking anything out. A benchmark whose side fails is marked failed; the others go on.
 */
export async function compareRevisions(repo: string, base: string | undefined, head: string | undefined, options: CompareOptions = {}): Promise<CompareReport> {
  const started = Date.now();
  const root = await findRepoRoot(repo);
  const pair = await resolveRevisions(root, base, head);
  const filter = parseFilter(options.filter);
  const glob = options.glob ?? readBenchGlob(root).glob;
  const files = await findBenchFiles(root, pair, glob);
  if (files.length === 0) return { kind: "no-suite", base: pair.base, head: pair.head, glob };
  const report: SuiteReport = { kind: "suite", base: pair.base, head: pair.head, glob, benchmarks: [], overall: null, available: [], notes: [], failed: false, wallMs: 0, measureMs: 0 };
  const signal = options.signal ?? new AbortController().signal;
  const context = { cwd: root, signal };
  const abOptions = { threshold: options.threshold, maxTime: options.maxTimeSec };
  const log = (line: string) => {
    report.notes.push(line);
    options.log?.(line);
  };
  await withCheckouts(root, pair, { install: options.install, signal, log }, async (checkouts) => {
    const steps = await planBenchmarks(files, checkouts, pair, filter, report);
    const total = steps.filter((s) => "plan" in s).length;
    let done = 0;
    for (const step of steps) {
      if (signal.aborted) break;
      if ("failed" in step) {
        report.benchmarks.push(step.failed);
        continue;
      }
      const plan = step.plan;
      done++;
      const id = `${plan.file.path}#${plan.name}`;
      // The user's own path as the base target's key, so a noise floor stored with
      // `xloop noise bench/x.bench.ts#name` raises this benchmark's threshold.
      const ab = planAb(abOptions, context, { file: path.join(root, plan.file.path), exportName: plan.name, label: id });
      for (const note of ab.notes) report.notes.push(`${id}: ${note}`);
      const baseSpec: TargetSpec = { file: plan.baseFile, exportName: plan.name, label: `${id} (${sideName("base", pair.base)})` };
      const headSpec: TargetSpec = { file: plan.headFile, exportName: plan.name, label: `${id} (${sideName("head", pair.head)})` };
      const result = await runAb(baseSpec, headSpec, { kind: "none" }, ab.settings, (_, text) => options.progress?.(`compare ${id} (${done}/${total}): ${text}`));
      report.measureMs += result.wallMs;
      report.benchmarks.push(comparison(plan, result, baseSpec.label));
    }
  });
  report.overall = overallSpeedup(report.benchmarks);
  report.failed = report.benchmarks.some((b) => b.failure !== null);
  report.wallMs = Date.now() - started;
  return report;
}
