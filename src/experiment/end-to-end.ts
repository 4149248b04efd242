import { compareRevisions } from "../compare/suite.ts";
import { readBenchGlob } from "../compare/config.ts";
import { globToRegExp } from "../compare/glob.ts";
import { git, splitNul } from "../git/run.ts";
import { compareProcesses } from "../compare/whole-process.ts";
import type { LoopConfig } from "../loop/config.ts";
import { formatDuration } from "../format/units.ts";

/** The end-to-end measurement after a KEEP (step 11 of docs/loop.md). */
export interface EndToEnd {
  kind: "suite" | "script";
  /** Whether end to end confirms the gain: some benchmark faster and none slower. */
  improved: boolean;
  /** `<base> -> <head> (<speedup>x)` for the status line. */
  summary: string;
  /** Record cells. */
  before: string;
  after: string;
  /** Head time / base time (geometric mean over the suite). */
  ratio: number;
}

/**
 * True when a KEEP at `commit` will be measured end to end (a configured script, or
 * bench files the suite glob finds): the experiment's own A/B is then the
 * micro-benchmark, distinct from the end-to-end one.
 */
export async function hasEndToEnd(repo: string, commit: string, config: LoopConfig): Promise<boolean> {
  if (config.e2e) return true;
  const pattern = globToRegExp(readBenchGlob(repo).glob);
  return splitNul(await git(repo, ["ls-tree", "-r", "-z", "--name-only", "--full-tree", commit])).some((f) => pattern.test(f));
}

/**
 * Measures the commit before the change against the kept commit end to end: the
 * configured whole-process command (config `e2e.script`) when there is one, else the
 * bench suite; null when the project has neither (then the micro-benchmark stands).
 */
export async function measureEndToEnd(
  repo: string,
  before: string,
  after: string,
  config: LoopConfig,
  threshold: number,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<EndToEnd | null> {
  if (config.e2e) {
    const report = await compareProcesses(repo, before, after, { command: config.e2e.script, runs: config.e2e.runs, warmup: config.e2e.warmup, prepare: config.e2e.prepare, threshold, signal, log });
    if (report.failure || !report.stats.base || !report.stats.head) return null;
    const base = report.stats.base.wall.median * 1e6;
    const head = report.stats.head.wall.median * 1e6;
    return {
      kind: "script",
      improved: report.verdict === "faster",
      summary: `${formatDuration(base)} -> ${formatDuration(head)} (${report.speedup.toFixed(2)}x, ${report.verdict})`,
      before: formatDuration(base).replace(" ", ""),
      after: formatDuration(head).replace(" ", ""),
      ratio: report.ratio,
    };
  }
  const report = await compareRevisions(repo, before, after, { threshold, signal, log });
  if (report.kind === "no-suite" || !report.overall) return null;
  const measured = report.benchmarks.filter((b) => b.result && !b.failure);
  const counts = report.overall.verdicts;
  const single = measured.length === 1 && measured[0].result!.base.ok && measured[0].result!.head.ok ? measured[0].result! : null;
  const before_ = single && single.base.ok ? formatDuration(single.base.stats.median) : `suite of ${measured.length}`;
  const after_ = single && single.head.ok ? formatDuration(single.head.stats.median) : `${counts.faster} faster, ${counts.same} same, ${counts.slower} slower`;
  return {
    kind: "suite",
    improved: counts.faster > 0 && counts.slower === 0,
    summary: `${before_} -> ${after_} (${report.overall.speedup.toFixed(2)}x geometric mean over ${measured.length} benchmark${measured.length === 1 ? "" : "s"})`,
    before: single ? before_.replace(" ", "") : "-",
    after: single ? after_.replace(" ", "") : "-",
    ratio: 1 / report.overall.speedup,
  };
}
