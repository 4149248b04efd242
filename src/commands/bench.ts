import { dirname } from "node:path";
import { runBench } from "../benchmark/run-bench.ts";
import { ExitCode } from "../exit-codes.ts";
import { failureExitCode } from "../measure/failure-exit.ts";
import { gitInfo, runHeader } from "../machine/metadata.ts";
import { renderBenchHuman, renderBenchMarkdown, renderBenchTsv } from "../output/bench-report.ts";
import { openTerminal } from "../format/terminal.ts";
import { parseCases } from "../target/parse.ts";
import { expandTargets } from "../target/expand.ts";
import { jsonSchemaVersion } from "../version.ts";
import { benchSettings, chosenOutputFormat } from "../settings/options.ts";
import { UserError } from "../errors.ts";
import { runtimeLabel } from "../runtime/runtime.ts";
import type { CommandContext } from "./context.ts";
import { benchEntries } from "../export/entries.ts";
import { anyExport, exportPaths, writeExports } from "../export/files.ts";
import { renderBenchPlot } from "../output/plot.ts";

/**
 * `xloop bench <targets...>`: measures each target (`path#export`, a suite task
 * `path#group > task`, or a suite file alone for all its tasks); exit 0, or 3 when a
 * target failed. Suite tasks xloop cannot run as their library would are named with
 * the reason and left out.
 */
export async function benchCommand([targetTexts = []]: [string[]?], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  // Memory and async have figures of their own, measured in fresh processes.
  if (options.domain === "memory" || options.domain === "async") {
    return (await import("./bench-domain.ts")).domainBenchCommand(options.domain, targetTexts, options, context);
  }
  if (options.domain !== undefined && options.domain !== "cpu") throw new UserError(`--domain: bench measures cpu, memory or async (got ${JSON.stringify(options.domain)}); structure is measured by xloop imports <entry>`);
  if (targetTexts.length === 0) throw new UserError("bench: name at least one target as path#export, e.g. xloop bench src/parse.ts#parse, or a tinybench, mitata or vitest suite file for all its tasks");
  const filter = options.filter === undefined ? undefined : String(options.filter);
  const { targets, notMeasured } = await expandTargets(targetTexts, context.cwd, filter);
  const cases = parseCases(options as { args?: string; cases?: string }, context.cwd);
  for (const n of notMeasured) process.stderr.write(`xloop: not measured: ${n.target}: ${n.reason}\n`);
  if (targets.length === 0) throw new UserError(`bench: nothing left to measure (${notMeasured.length} benchmark${notMeasured.length === 1 ? "" : "s"} not measured, see above)`);
  const settings = benchSettings(options, context.signal);
  const format = chosenOutputFormat(options, ["json", "tsv", "md"] as const);
  const exports = exportPaths(options, context.cwd);
  const terminal = openTerminal({ color: options.color as boolean | undefined });
  const started = Date.now();
  const results = await runBench(targets, cases, settings, (done, label) => {
    const elapsed = (Date.now() - started) / 1000;
    const eta = done > 0 ? (elapsed / done) * (1 - done) : NaN;
    // With a precision goal the run may end early, so its ETA is an upper bound.
    const etaText = Number.isFinite(eta) ? `  ETA ${settings.precision ? "≤ " : ""}${eta.toFixed(1)} s` : "";
    terminal.progress(`xloop bench: ${label}  ${Math.round(done * 100)}%${etaText}`);
  });
  terminal.clearProgress();
  const wallMs = Date.now() - started;
  const git = format === "json" || exports.json ? await gitInfo(dirname(targets[0].file)) : null;
  const document = () => {
    const measured = results.find((r) => r.ok);
    return {
      version: jsonSchemaVersion,
      command: "bench",
      ...runHeader(),
      git,
      timer: measured?.ok ? { name: measured.facts.clock, costNs: measured.facts.clockCostNs } : null,
      wallMs,
      results,
      notMeasured,
    };
  };
  if (format === "json") {
    process.stdout.write(`${JSON.stringify(document(), null, 2)}\n`);
  } else if (format === "tsv") {
    process.stdout.write(`${renderBenchTsv(results)}\n`);
  } else if (format === "md") {
    process.stdout.write(`${renderBenchMarkdown(results)}\n`);
  } else {
    process.stdout.write(`${renderBenchHuman(results, terminal, runtimeLabel())}\n`);
  }
  if (options.plot) {
    const plot = renderBenchPlot(results, terminal);
    if (plot) (format === "human" ? process.stdout : process.stderr).write(`${plot}\n`);
  }
  if (anyExport(exports)) {
    const entries = benchEntries(results);
    const measuredOn = runtimeLabel();
    writeExports(
      exports,
      {
        json: document,
        markdown: () => renderBenchMarkdown(results),
        entries,
        html: () => ({ title: "xloop bench", context: [`measured on ${measuredOn}; ${new Date().toISOString()}`], entries, speedups: false }),
      },
      context.cwd,
      (line) => terminal.status(line),
    );
  }
  // Failures go to stderr in every format: stdout holds the data a pipeline reads.
  for (const r of results) if (!r.ok) process.stderr.write(`xloop: ${r.error.message}\n`);
  if (options.verbose) for (const r of results) if (!r.ok && r.error.stack) process.stderr.write(`${r.error.stack}\n`);
  const failures = results.flatMap((r) => (r.ok ? [] : [r.error.kind]));
  return failures.length === 0 ? ExitCode.ok : failureExitCode(failures);
}
