import { existsSync } from "node:fs";
import { relative } from "node:path";
import * as v from "valibot";
import { UserError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { openRepo } from "../git/repo.ts";
import { runHeader } from "../machine/metadata.ts";
import { targetCodeState } from "../project/target-state.ts";
import { DEFAULT_MAX_BYTES } from "../oracle/encode.ts";
import { captureAtRevision, captureChecked } from "../oracle/capture-target.ts";
import { casesSpecOf, olderFormatNote, oracleFormatVersion, oraclePath, readOracle, writeOracle, type OracleFile } from "../oracle/oracle-file.ts";
import { runCapture, type CaptureOptions } from "../oracle/run-capture.ts";
import { compareRecords, type VerifyReport } from "../oracle/verify.ts";
import { projectRoot, targetKey } from "../project/root.ts";
import { engineOf, runtimeLabel } from "../runtime/runtime.ts";
import { parseCases, parseTarget } from "../target/parse.ts";
import { jsonSchemaVersion } from "../version.ts";
import type { CasesSpec, TargetSpec } from "../measure/protocol.ts";
import type { CommandContext } from "./context.ts";
import { timeoutOption, validateOptions } from "../settings/options.ts";
import { defaults } from "../settings/defaults.ts";

/** oracle's options, with their defaults. */
export const OracleOptionsSchema = v.object({
  maxBytes: v.optional(v.pipe(v.number("must be a number of bytes"), v.integer("must be a whole number of bytes"), v.gtValue(0, "must be positive")), DEFAULT_MAX_BYTES),
  timeout: timeoutOption,
  maxMemory: v.optional(v.pipe(v.number("must be MiB"), v.gtValue(0, "must be positive")), defaults.maxMemoryMib),
  rtol: v.optional(v.pipe(v.number("must be a number"), v.minValue(0, "must be 0 or more")), defaults.rtol),
  atol: v.optional(v.pipe(v.number("must be a number"), v.minValue(0, "must be 0 or more")), defaults.atol),
  limit: v.optional(v.pipe(v.number(), v.integer("must be a whole number"), v.minValue(1, "must be at least 1")), defaults.oracleLimit),
});

function listOption(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function captureOptions(o: v.InferOutput<typeof OracleOptionsSchema>, options: Record<string, unknown>, signal: AbortSignal): CaptureOptions {
  return { maxBytes: o.maxBytes, captureStdout: Boolean(options.stdout), timeoutMs: o.timeout, maxMemoryMb: o.maxMemory, signal };
}

function casesSpecForFile(cases: CasesSpec, root: string): OracleFile["cases"] {
  if (cases.kind === "module") return { kind: "module", spec: `${relative(root, cases.file)}#${cases.exportName}` };
  return cases;
}

/**
 * The cases of a verification: --args/--cases when given, else the ones the stored
 * oracle was captured with; without either there is nothing to verify on.
 */
function resolveCases(options: Record<string, unknown>, cwd: string, root: string, target: TargetSpec, stored?: OracleFile): CasesSpec {
  if (options.args !== undefined || options.cases !== undefined) return parseCases(options as { args?: string; cases?: string }, cwd);
  const oracle = stored ?? (existsSync(oraclePath(root, targetKey(root, target))) ? readOracle(root, targetKey(root, target)) : undefined);
  if (!oracle) throw new UserError(`${target.label}: no cases to verify on; give --cases file#export (or --args), or capture an oracle first`);
  return casesSpecOf(oracle.cases, root);
}

/** Captures the target's original outputs and stores them as its oracle. */
export async function captureOracle(target: TargetSpec, cases: CasesSpec, root: string, options: CaptureOptions, ignore: string[]) {
  const capture = await captureChecked(target, cases, options, ignore);
  const git = await targetCodeState(root, target.file);
  const oracle: OracleFile = {
    version: oracleFormatVersion,
    target: targetKey(root, target),
    cases: casesSpecForFile(cases, root),
    casesFingerprint: capture.casesFingerprint,
    runtime: runtimeLabel(),
    commit: git.commit,
    dirty: git.dirty,
    capturedAt: new Date().toISOString(),
    ignore,
    nondeterministic: capture.nondeterministic,
    records: capture.records,
  };
  return { oracle, path: writeOracle(root, oracle) };
}

/** Runs the target now on the oracle's cases and compares with the oracle. */
export async function verifyAgainst(oracle: OracleFile, target: TargetSpec, cases: CasesSpec, options: CaptureOptions, compare: Parameters<typeof compareRecords>[2]): Promise<VerifyReport> {
  // What was printed is compared whenever the oracle recorded it.
  const now = await runCapture(target, cases, { ...options, captureStdout: options.captureStdout || recordsStdout(oracle.records) });
  if (now.failure) throw new UserError(now.failure.message, ExitCode.targetFailed);
  if (now.casesFingerprint !== oracle.casesFingerprint) {
    // An older format fingerprinted cases holding built-ins (a URL argument) by another encoding: say so, not only that they changed.
    const older = oracle.version < oracleFormatVersion ? `, or the older xloop that captured it (format ${oracle.version}) encoded them differently` : "";
    throw new UserError(`${oracle.target}: the cases changed since the oracle was captured (fingerprint ${oracle.casesFingerprint.slice(0, 12)} then, ${now.casesFingerprint.slice(0, 12)} now)${older}; re-capture with \`xloop oracle capture\``);
  }
  return compareRecords(oracle.records, now.records, compare);
}

function recordsStdout(records: OracleFile["records"]): boolean {
  return records.some((r) => r.stdout !== undefined);
}

/** Renders a verify report for people. */
export function renderVerify(report: VerifyReport, target: string): string {
  const lines: string[] = [];
  if (report.equal) {
    lines.push(`${target}: identical (${report.cases} cases)${report.maxRelativeDifference > 0 ? `, largest relative difference ${report.maxRelativeDifference.toExponential(2)} (within tolerance)` : ""}`);
  } else {
    lines.push(`${target}: DIFFERENT in ${report.casesDiffering} of ${report.cases} cases`);
    for (const d of report.differences) lines.push(`  case ${d.case} ${d.path}: ${d.expected} (original) vs ${d.actual} (now)${d.reason ? `  — ${d.reason}` : ""}`);
    if (report.totalDifferences > report.differences.length) lines.push(`  … and ${report.totalDifferences - report.differences.length} more differences`);
    if (Number.isFinite(report.maxRelativeDifference) && report.maxRelativeDifference > 0) lines.push(`  largest relative difference between numbers: ${report.maxRelativeDifference.toExponential(2)}`);
  }
  return lines.join("\n");
}

/** `xloop oracle capture <target>`. */
export async function oracleCaptureCommand([text]: [string?], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  if (!text) throw new UserError("oracle capture: name the target as path#export, e.g. xloop oracle capture src/price.ts#total --cases bench/price.cases.ts#cases");
  const o = validateOptions(OracleOptionsSchema, { maxBytes: options.maxBytes, timeout: options.timeout, maxMemory: options.maxMemory });
  const root = projectRoot(context.cwd);
  const target = parseTarget(text, context.cwd);
  const cases = parseCases(options as { args?: string; cases?: string }, context.cwd);
  const ignore = listOption(options.ignore);
  const { oracle, path } = await captureOracle(target, cases, root, captureOptions(o, options, context.signal), ignore);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "oracle capture", ...runHeader(), target: oracle.target, file: path, cases: oracle.records.length, commit: oracle.commit, nondeterministic: oracle.nondeterministic }, null, 2)}\n`);
  } else {
    process.stdout.write(`${oracle.target}: captured ${oracle.records.length} cases into ${relative(context.cwd, path)}\n`);
  }
  if (oracle.nondeterministic.length > 0) {
    const paths = [...new Set(oracle.nondeterministic.map((n) => n.path))];
    process.stderr.write(`xloop: warning: ${paths.length} path(s) differed between two runs of the same cases (nondeterministic): ${paths.slice(0, 5).join(", ")}${paths.length > 5 ? ", …" : ""}; capture again with --ignore '<pattern>' for each (e.g. --ignore '${paths[0].replace(/\[\d+\]/g, "[*]")}') or verify will report them\n`);
  }
  return ExitCode.ok;
}

/**
 * Why outputs may differ besides the change: the oracle came from another engine, and
 * engines differ in what some built-ins return (a Blob's type, a Response's headers).
 */
function otherRuntimeNote(oracle: OracleFile): string | undefined {
  const here = runtimeLabel();
  if (!oracle.runtime || engineOf(oracle.runtime) === engineOf(here)) return undefined;
  return `the oracle was captured on ${oracle.runtime} and this verification ran on ${here}; engines differ in some outputs, so capture and verify on one runtime (--runtime ${engineOf(oracle.runtime)})`;
}

/** `xloop oracle verify <target>`: exit 0 identical, 5 different. */
export async function oracleVerifyCommand([text]: [string?], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  if (!text) throw new UserError("oracle verify: name the target as path#export, e.g. xloop oracle verify src/price.ts#total");
  const o = validateOptions(OracleOptionsSchema, { maxBytes: options.maxBytes, timeout: options.timeout, maxMemory: options.maxMemory, rtol: options.rtol, atol: options.atol, limit: options.limit });
  const root = projectRoot(context.cwd);
  const target = parseTarget(text, context.cwd);
  const capture = captureOptions(o, options, context.signal);
  const cliIgnore = listOption(options.ignore);
  let oracle: OracleFile;
  let cases: CasesSpec;
  if (options.base !== undefined) {
    const repo = await openRepo(context.cwd);
    cases = resolveCases(options, context.cwd, root, target);
    const { capture: base, commit } = await captureAtRevision(repo, String(options.base), target, cases, capture, cliIgnore);
    oracle = {
      version: oracleFormatVersion,
      target: targetKey(root, target),
      cases: casesSpecForFile(cases, root),
      casesFingerprint: base.casesFingerprint,
      runtime: runtimeLabel(),
      commit,
      dirty: false,
      capturedAt: new Date().toISOString(),
      ignore: cliIgnore,
      nondeterministic: base.nondeterministic,
      records: base.records,
    };
  } else {
    oracle = readOracle(root, targetKey(root, target));
    cases = resolveCases(options, context.cwd, root, target, oracle);
  }
  const report = await verifyAgainst(oracle, target, cases, capture, {
    rtol: o.rtol,
    atol: o.atol,
    keyOrder: Boolean(options.keyOrder),
    ignore: [...oracle.ignore, ...cliIgnore],
    limit: o.limit,
  });
  const notes = report.equal ? [] : [olderFormatNote(oracle), otherRuntimeNote(oracle)].filter((n) => n !== undefined);
  for (const note of notes) process.stderr.write(`xloop: note: ${note}\n`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "oracle verify", ...runHeader(), target: oracle.target, capturedOn: oracle.runtime || null, oracle: options.base !== undefined ? `captured at ${options.base} (${oracle.commit})` : oraclePath(root, oracle.target), commit: oracle.commit, ...report }, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderVerify(report, oracle.target)}\n`);
  }
  return report.equal ? ExitCode.ok : ExitCode.mismatch;
}
