import path from "node:path";
import * as v from "valibot";
import { compareRevisions, type SuiteReport } from "../compare/suite.ts";
import { compareProcesses, describeFailure, type ProcessReport } from "../compare/whole-process.ts";
import { renderSuiteMarkdown, renderSuiteText, suiteHeading } from "../compare/report-suite.ts";
import { processHeading, renderProcessMarkdown, renderProcessText } from "../compare/report-process.ts";
import { processEntries, suiteEntries, type ExportEntry } from "../export/entries.ts";
import { exportPaths, writeExports, type ExportPaths } from "../export/files.ts";
import { appendStepSummary } from "../export/step-summary.ts";
import { runtimeLabel } from "../runtime/runtime.ts";
import { processJson, suiteJson } from "../compare/report-json.ts";
import { UserError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import { findRepoRoot } from "../git/repo.ts";
import { openTerminal, type Terminal } from "../format/terminal.ts";
import type { CommandContext } from "./context.ts";
import { durationOption } from "../settings/duration.ts";
import { chosenOutputFormat, validateOptions } from "../settings/options.ts";
import { defaults } from "../settings/defaults.ts";

const wholeNumber = (least: number, what: string) => v.pipe(v.number(`must be ${what}`), v.integer(`must be ${what}`), v.minValue(least, `must be at least ${least}`), v.maxValue(100_000, "must be at most 100000"));
const command = (what: string) => v.pipe(v.string(`must be ${what}`), v.trim(), v.minLength(1, `must be ${what}`));

const CompareOptionsSchema = v.object({
  script: v.optional(command('a shell command, e.g. --script "node scripts/build-index.js"')),
  // Two pairs at least: one pair has no spread to put an interval on.
  runs: v.optional(wholeNumber(2, "a whole number of runs per side"), defaults.compareRuns),
  warmup: v.optional(wholeNumber(0, "a whole number of warm-up runs per side"), defaults.compareWarmupRuns),
  prepare: v.optional(command('a shell command, e.g. --prepare "rm -rf .cache"')),
  filter: v.optional(v.string("must be a regular expression")),
  install: v.optional(v.boolean("takes no value"), false),
  threshold: v.optional(v.pipe(v.number("must be a number"), v.gtValue(0, "must lie in (0, 1), e.g. 0.01 for 1%"), v.ltValue(1, "must lie in (0, 1), e.g. 0.01 for 1%"))),
  maxTime: durationOption("s", 30),
  md: v.optional(v.boolean("takes no value"), false),
  json: v.optional(v.boolean("takes no value"), false),
  output: v.optional(v.pipe(v.string("must be a file name"), v.minLength(1, "must be a file name"))),
});

type CompareOptions = v.InferOutput<typeof CompareOptionsSchema>;

/** Refuses options that belong to the other mode instead of silently ignoring them. */
function checkMode(o: CompareOptions, raw: Record<string, unknown>): void {
  chosenOutputFormat(o, ["md", "json"] as const);
  const scriptOnly = (["runs", "warmup", "prepare"] as const).filter((k) => raw[k] !== undefined);
  if (o.script === undefined && scriptOnly.length > 0) {
    throw new UserError(`--${scriptOnly[0]} applies to whole-process mode: add --script "<command>", or drop it to compare the bench suite`);
  }
  if (o.script !== undefined && o.filter !== undefined) throw new UserError('--filter selects benchmarks of the bench suite; it has no meaning with --script');
  if (o.script !== undefined && o.maxTime !== undefined) throw new UserError("--max-time is the budget per benchmark of the bench suite; with --script, set --runs");
}

/** Writes the report to -o's file (atomically) or stdout. */
function emit(text: string, o: CompareOptions, context: CommandContext, terminal: Terminal): void {
  if (o.output === undefined) {
    process.stdout.write(`${text}\n`);
    return;
  }
  const file = path.resolve(context.cwd, o.output);
  writeFileAtomic(file, `${text}\n`);
  terminal.status(`xloop: wrote ${path.relative(context.cwd, file) || file}`);
}

function suiteOutput(report: SuiteReport, o: CompareOptions, terminal: Terminal): string {
  if (o.json) return JSON.stringify(suiteJson(report), null, 2);
  if (o.md) return renderSuiteMarkdown(report);
  return renderSuiteText(report, o.output === undefined ? terminal : { ...terminal, color: false });
}

function processOutput(report: ProcessReport, o: CompareOptions, terminal: Terminal): string {
  if (o.json) return JSON.stringify(processJson(report), null, 2);
  if (o.md) return renderProcessMarkdown(report);
  return renderProcessText(report, o.output === undefined ? terminal : { ...terminal, color: false });
}

/**
 * The exports asked for, and the job summary when GITHUB_STEP_SUMMARY is set: both
 * from the same report the command printed.
 */
function exportAll(paths: ExportPaths, json: () => unknown, markdown: string, entries: ExportEntry[], heading: string, notes: string[], options: Record<string, unknown>, context: CommandContext, terminal: Terminal): void {
  const measuredOn = runtimeLabel();
  const html = () => ({ title: heading, context: [`measured on ${measuredOn}; ${new Date().toISOString()}`, ...notes.map((n) => `note: ${n}`)], entries, speedups: true });
  writeExports(paths, { json, markdown: () => markdown, entries, html }, context.cwd, (line) => terminal.status(line));
  const summary = appendStepSummary(markdown, options, (line) => terminal.status(line));
  if (summary) terminal.status(`xloop: appended the report to GITHUB_STEP_SUMMARY`);
}

/**
 * `xloop compare [base] [head]`: the bench suite (default) or `--script` timed in
 * temporary worktrees of both revisions. Exit 0; 3 when a benchmark or a run failed;
 * 2 for bad input or when there is nothing to compare.
 */
export async function compareCommand([base, head]: [string?, string?], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  if (options.domain === "memory" || options.domain === "async" || options.domain === "structure") {
    return (await import("./compare-domain.ts")).compareDomainCommand(options.domain, [base, head], options, context);
  }
  if (options.domain !== undefined && options.domain !== "cpu") throw new UserError(`--domain: compare measures cpu, memory, async or structure (got ${JSON.stringify(options.domain)})`);
  // Commands and patterns are text even when they look like numbers (cac parses those).
  const text = (value: unknown) => (value === undefined ? undefined : String(value));
  const o = validateOptions(CompareOptionsSchema, {
    script: text(options.script),
    runs: options.runs,
    warmup: options.warmup,
    prepare: text(options.prepare),
    filter: text(options.filter),
    install: options.install,
    threshold: options.threshold,
    maxTime: options.maxTime,
    md: options.md,
    json: options.json,
    output: text(options.output),
  });
  checkMode(o, options);
  const exports = exportPaths(options, context.cwd);
  const afterDashes = (options["--"] as unknown[] | undefined) ?? [];
  if (afterDashes.length > 0) {
    // cac hands what follows "--" over separately; a revision never starts with "-", so this is never one.
    throw new UserError(`"${afterDashes.join(" ")}" after "--": name the revisions as \`xloop compare <base> <head>\`; a revision never starts with "-"`);
  }
  const repo = await findRepoRoot(context.cwd);
  const terminal = openTerminal();
  const progress = (line: string) => terminal.progress(line);
  const revisions = [base === undefined ? undefined : String(base), head === undefined ? undefined : String(head)] as const;

  if (o.script !== undefined) {
    const report = await compareProcesses(repo, revisions[0], revisions[1], { command: o.script, prepare: o.prepare, runs: o.runs, warmup: o.warmup, threshold: o.threshold, install: o.install, signal: context.signal, progress });
    terminal.clearProgress();
    if (context.signal.aborted) return ExitCode.interrupted;
    emit(processOutput(report, o, terminal), o, context, terminal);
    exportAll(exports, () => processJson(report), renderProcessMarkdown(report), processEntries(report), processHeading(report), report.notes, options, context, terminal);
    if (report.failure && (o.json || o.output !== undefined)) terminal.status(`xloop: ${describeFailure(report.failure, report)}`);
    return report.failure ? ExitCode.targetFailed : ExitCode.ok;
  }

  const report = await compareRevisions(repo, revisions[0], revisions[1], { threshold: o.threshold, maxTimeSec: o.maxTime, filter: o.filter, install: o.install, signal: context.signal, progress });
  terminal.clearProgress();
  if (context.signal.aborted) return ExitCode.interrupted;
  if (report.kind === "no-suite") {
    throw new UserError(`no bench suite in head ${report.head.short}: no committed file matches ${report.glob}; add one (e.g. bench/parse.bench.ts exporting zero-argument functions), set "benchGlob" in .codeflash/config.json, or time a command with --script "<command>"`);
  }
  if (report.benchmarks.length === 0) {
    throw new UserError(`--filter "${o.filter}" matches none of the benchmarks: ${report.available.join(", ") || "(none found)"}`);
  }
  emit(suiteOutput(report, o, terminal), o, context, terminal);
  exportAll(exports, () => suiteJson(report), renderSuiteMarkdown(report), suiteEntries(report), suiteHeading(report), report.notes, options, context, terminal);
  if (o.json || o.output !== undefined) for (const b of report.benchmarks) if (b.failure) terminal.status(`xloop: ${b.id}: ${b.failure.message}`);
  return report.failed ? ExitCode.targetFailed : ExitCode.ok;
}
