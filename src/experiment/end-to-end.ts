import { compareRevisions } from "../compare/suite.ts";
import { compareProcesses } from "../compare/whole-process.ts";
import type { LoopConfig } from "../loop/config.ts";
import { formatDuration } from "../output/units.ts";

/** The end-to-end measurement after a KEEP (the loop design's step 16). */
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
