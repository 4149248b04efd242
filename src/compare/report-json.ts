/**
 * The `--json` documents of compare: the shared header (versions, runtime, machine),
 * then everything measured, so a figure can be judged and recomputed later.
 */
import { abJson } from "../ab/json.ts";
import { runHeader } from "../machine/metadata.ts";
import { jsonSchemaVersion } from "../version.ts";
import type { CompareReport } from "./suite.ts";
import type { ProcessReport } from "./whole-process.ts";
import type { Revision } from "./refs.ts";

/** What every compare document opens with: versions, runtime, machine, then the two revisions compared. */
function header(mode: string, report: { base: Revision; head: Revision }) {
  return { version: jsonSchemaVersion, command: "compare", mode, ...runHeader(), base: report.base, head: report.head };
}

/** The JSON document of a suite comparison (or of finding no suite). */
export function suiteJson(report: CompareReport) {
  if (report.kind === "no-suite") return { ...header("no-suite", report), glob: report.glob };
  return {
    ...header("suite", report),
    glob: report.glob,
    notes: report.notes,
    benchmarks: report.benchmarks.map((b) => ({
      id: b.id,
      file: b.file,
      name: b.name,
      base_source: b.baseSource,
      ratio: b.ratio,
      ci: b.ci,
      speedup: b.speedup,
      speedup_ci: b.speedupCi,
      verdict: b.verdict,
      failure: b.failure,
      ab: b.result ? abJson(b.result) : null,
    })),
    overall: report.overall,
    failed: report.failed,
    wall_ms: report.wallMs,
    measure_ms: report.measureMs,
  };
}

/** The JSON document of a whole-process comparison. */
export function processJson(report: ProcessReport) {
  return {
    ...header("script", report),
    script: report.command,
    prepare: report.prepare,
    warmup: report.warmup,
    shell_ms: report.shellMs,
    usage: report.usage,
    stats: report.stats,
    runs: report.runs,
    pair_ratios: report.pairRatios,
    ratio: report.ratio,
    ci: report.ci,
    p: report.p,
    speedup: report.speedup,
    speedup_ci: report.speedupCi,
    verdict: report.verdict,
    threshold: report.threshold,
    failure: report.failure,
    notes: report.notes,
    wall_ms: report.wallMs,
  };
}
