import { dirname } from "node:path";
import { pairTargets, planAb, runComparisons } from "../ab/plan.ts";
import { ExitCode } from "../exit-codes.ts";
import { failureExitCode } from "../measure/failure-exit.ts";
import { gitInfo, runHeader } from "../machine/metadata.ts";
import { renderAbHuman, renderAbMarkdown } from "../output/ab-report.ts";
import { renderAbPlot } from "../output/plot.ts";
import { abEntries } from "../export/entries.ts";
import { anyExport, exportPaths, writeExports } from "../export/files.ts";
import { abJson } from "../ab/json.ts";
import { openTerminal } from "../format/terminal.ts";
import { parseCases } from "../target/parse.ts";
import { runtimeLabel } from "../runtime/runtime.ts";
import { jsonSchemaVersion } from "../version.ts";
import type { CommandContext } from "./context.ts";

/** `xloop ab base head [base head ...]`. Exit 0; 3 when a target failed; 4 when --expect is not met. */
export async function abCommand([texts = []]: [string[]?], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  // Memory, async and structure decide on their own metric, measured their own way.
  if (options.domain === "memory" || options.domain === "async" || options.domain === "structure") {
    return (await import("./ab-domain.ts")).domainAbCommand(options.domain, texts, options, context);
  }
  const pairs = pairTargets(texts, context.cwd);
  const cases = parseCases(options as { args?: string; cases?: string }, context.cwd);
  const plan = planAb(options, context, pairs[0][0]);
  const exports = exportPaths(options, context.cwd);
  const terminal = openTerminal({ color: options.color as boolean | undefined });
  for (const note of plan.notes) terminal.status(`xloop: note: ${note}`);
  const results = await runComparisons(pairs, cases, plan);
  const git = options.json || exports.json ? await gitInfo(dirname(pairs[0][1].file)) : null;
  const document = () => {
    const header = { version: jsonSchemaVersion, command: "ab", ...runHeader(), git, notes: plan.notes };
    const body =
      results.length === 1
        ? abJson(results[0])
        : { comparisons: results.map(abJson), verdict: results.every((r) => r.verdict === results[0].verdict) ? results[0].verdict : "mixed" };
    return { ...header, ...body };
  };
  const measuredOn = runtimeLabel();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(document(), null, 2)}\n`);
  } else {
    process.stdout.write(`${renderAbHuman(results, terminal, measuredOn)}\n`);
  }
  // Failures go to stderr in every format: stdout holds the data a pipeline reads.
  for (const r of results) if (r.error) process.stderr.write(`xloop: ${r.error.message}\n`);
  if (options.plot) (options.json ? process.stderr : process.stdout).write(`${renderAbPlot(results, terminal)}\n`);
  if (anyExport(exports)) {
    const entries = abEntries(results);
    writeExports(
      exports,
      {
        json: document,
        markdown: () => renderAbMarkdown(results, measuredOn),
        entries,
        html: () => ({ title: "xloop ab", context: [`measured on ${measuredOn}; ${new Date().toISOString()}`, ...plan.notes.map((n) => `note: ${n}`)], entries, speedups: false }),
      },
      context.cwd,
      (line) => terminal.status(line),
    );
  }
  const failures = results.flatMap((r) => (r.error ? [r.error.kind] : []));
  if (failures.length > 0) return failureExitCode(failures);
  if (plan.expect && results.some((r) => r.verdict !== plan.expect)) return ExitCode.unexpectedVerdict;
  return ExitCode.ok;
}
