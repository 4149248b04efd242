import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { UserError } from "../../errors.ts";
import { ExitCode } from "../../exit-codes.ts";
import { findRepoRoot } from "../../git/repo.ts";
import { requireCodeflash } from "../../experiment/workspace.ts";
import { codeflashPaths } from "../../project/codeflash-paths.ts";
import { guardOutcomeText, readGuard, runGuard } from "../../experiment/guard.ts";
import { DEFAULT_LOOP_CONFIG } from "../../loop/config.ts";
import { HEADER_LINE } from "../../record/parse.ts";
import { readResults, appendResult, nextExperimentNumber } from "../../record/results-tsv.ts";
import { newRow } from "../../record/columns.ts";
import { runtimeLabel } from "../../runtime/runtime.ts";
import { runHeader } from "../../machine/metadata.ts";
import { durationCell, recordedMetric } from "../../record/figures.ts";
import { renderTable } from "../../format/table.ts";
import { writeFileAtomic } from "../../fs/atomic.ts";
import { projectRoot, targetKey } from "../../project/root.ts";
import { parseCases, parseTarget } from "../../target/parse.ts";
import { runBench } from "../../benchmark/run-bench.ts";
import { headCommit, shortCommit } from "../../git/repo.ts";
import { formatDuration } from "../../format/units.ts";
import { jsonSchemaVersion } from "../../version.ts";
import type { CommandContext } from "../context.ts";
import { benchSettings } from "../../settings/options.ts";
import { defaults } from "../../settings/defaults.ts";
import { captureOracle } from "../oracle.ts";
import { DEFAULT_MAX_BYTES } from "../../oracle/encode.ts";

function conventionsText(guard: string | undefined): string {
  return [
    "# Conventions",
    "",
    "Read by xloop and by anyone running the optimization loop on this repository.",
    "",
    "## Guard",
    "",
    guard ? `\`${guard}\`` : "<!-- one shell command that must always pass, e.g. `npm test`; the loop skips the guard while this is empty -->",
    "",
  ].join("\n");
}

/** `xloop init [--guard <command>] [--force]`: creates .codeflash/ without overwriting anything unless --force. */
export async function initCommand(_: unknown[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  await findRepoRoot(context.cwd);
  const root = projectRoot(context.cwd);
  const paths = codeflashPaths(root);
  const guard = options.guard === undefined ? undefined : String(options.guard).trim();
  if (guard !== undefined && guard === "") throw new UserError('--guard: give the command, e.g. --guard "npm test"');
  const files: [string, string][] = [
    [paths.conventions, conventionsText(guard)],
    [paths.config, `${JSON.stringify({ targets: {}, rotateAfter: DEFAULT_LOOP_CONFIG.rotateAfter, plateauAfter: DEFAULT_LOOP_CONFIG.plateauAfter, recoverAfter: DEFAULT_LOOP_CONFIG.recoverAfter, recoveryBudget: DEFAULT_LOOP_CONFIG.recoveryBudget, milestoneEvery: DEFAULT_LOOP_CONFIG.milestoneEvery, diminishingReturns: DEFAULT_LOOP_CONFIG.diminishingReturns, stall: DEFAULT_LOOP_CONFIG.stall }, null, 2)}\n`],
    [paths.results, `${HEADER_LINE}\n`],
  ];
  const existing = files.filter(([file]) => existsSync(file)).map(([file]) => relative(context.cwd, file));
  if (existing.length > 0 && !options.force) {
    throw new UserError(`init: ${existing.join(", ")} already exist${existing.length === 1 ? "s" : ""}; nothing was written (--force overwrites them)`);
  }
  mkdirSync(paths.discarded, { recursive: true });
  for (const [file, text] of files) writeFileAtomic(file, text);
  process.stderr.write(`xloop: initialised ${relative(context.cwd, paths.dir) || "."}/ (${guard ? `guard: ${guard}` : "no guard yet: add one under ## Guard in conventions.md"})\n`);
  return ExitCode.ok;
}

/**
 * `xloop baseline <target> --cases ...`: captures the oracle at the current code and
 * records a baseline row with the target's benchmark.
 */
export async function baselineCommand([text]: [string?], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  if (!text) throw new UserError("baseline: name the target as path#export, e.g. xloop baseline src/price.ts#total --cases bench/price.cases.ts#cases");
  const root = projectRoot(context.cwd);
  const paths = requireCodeflash(root);
  const target = parseTarget(text, context.cwd);
  const cases = parseCases(options as { args?: string; cases?: string }, context.cwd);
  const settings = benchSettings(options, context.signal);
  process.stderr.write(`[baseline] ${targetKey(root, target)}: capturing the oracle...\n`);
  const { oracle } = await captureOracle(target, cases, root, { maxBytes: DEFAULT_MAX_BYTES, captureStdout: false, timeoutMs: settings.timeoutMs, maxMemoryMb: settings.maxMemoryMb, signal: context.signal }, []);
  process.stderr.write(`[baseline] ${oracle.records.length} cases captured${oracle.dirty ? " (from a working tree with uncommitted changes)" : ""}; benchmarking...\n`);
  const [result] = await runBench([target], cases, settings);
  if (!result.ok) throw new UserError(result.error.message, ExitCode.targetFailed);
  const rows = existsSync(paths.results) ? readResults(paths.results).rows : [];
  const spread = Math.max(0, result.stats.ci[1] - result.stats.ci[0]) / 2;
  const row = newRow({
    experiment: nextExperimentNumber(rows),
    status: "baseline",
    pattern: "-",
    target: oracle.target,
    // A call optimised away can measure below zero after the empty function's cost is taken off: the record says 0.
    before: durationCell(Math.max(0, result.stats.median), spread),
    after: durationCell(Math.max(0, result.stats.median), spread),
    improvement: "-",
    timestamp: new Date().toISOString(),
    commit: await shortCommit(root, await headCommit(root)),
    domain: String(options.domain ?? defaults.domain),
    description: `baseline over ${oracle.records.length} cases`,
    runtime: runtimeLabel(),
    // The baseline measures time per call whatever the session's domain.
    metric: recordedMetric("cpu"),
  });
  appendResult(paths.results, row);
  if (options.json) process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "baseline", ...runHeader(), row, stats: result.stats, nondeterministic: oracle.nondeterministic }, null, 2)}\n`);
  else process.stdout.write(`[baseline] ${oracle.target}: ${formatDuration(result.stats.median)} (95% CI ${formatDuration(result.stats.ci[0])} … ${formatDuration(result.stats.ci[1])}), oracle of ${oracle.records.length} cases at ${row.commit}\n`);
  return ExitCode.ok;
}

/** `xloop results [--json|--tsv]`: prints the record. */
export async function resultsCommand(_: unknown[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  const root = projectRoot(context.cwd);
  const paths = requireCodeflash(root);
  if (!existsSync(paths.results)) throw new UserError(`${paths.results} does not exist yet: run \`xloop baseline\` or \`xloop experiment\` first`);
  if (options.tsv) {
    process.stdout.write(readFileSync(paths.results, "utf8"));
    return ExitCode.ok;
  }
  const { columns, rows } = readResults(paths.results);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "results", columns, rows: rows.map(({ line: _line, ...r }) => r) }, null, 2)}\n`);
    return ExitCode.ok;
  }
  const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  process.stdout.write(
    `${renderTable(
      ["#", "status", "pattern", "target", "before", "after", "improvement", "commit", "reason"],
      rows.map((r) => [String(r.experiment), r.status, r.pattern, clip(r.target, 40), r.before, r.after, r.improvement, r.commit, clip(r.reason, 60)]),
    )}\n`,
  );
  return ExitCode.ok;
}

/** `xloop guard`: runs the guard from conventions.md alone; exit 0 when it passes, 8 when it fails. */
export async function guardCommand(_: unknown[], _options: Record<string, unknown>, context: CommandContext): Promise<number> {
  const root = projectRoot(context.cwd);
  const paths = requireCodeflash(root);
  const command = readGuard(root);
  if (!command) throw new UserError(`no guard configured: put one command under "## Guard" in ${paths.conventions} (or rerun \`xloop init --guard "<command>" --force\`)`);
  process.stderr.write(`xloop: guard: ${command}\n`);
  const result = await runGuard(command, root, context.signal);
  if (result.tail) process.stderr.write(`${result.tail}\n`);
  process.stderr.write(`xloop: guard ${guardOutcomeText(result)} in ${(result.wallMs / 1000).toFixed(1)} s\n`);
  return result.passed ? ExitCode.ok : ExitCode.guardFailed;
}
