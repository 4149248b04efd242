import { dirname } from "node:path";
import { runBench } from "../bench/run-bench.ts";
import { ExitCode } from "../exit-codes.ts";
import { gitInfo, runHeader } from "../machine/metadata.ts";
import { renderBenchHuman, renderBenchMarkdown, renderBenchTsv } from "../output/bench-report.ts";
import { openTerminal } from "../output/terminal.ts";
import { parseCases, parseTarget } from "../target/parse.ts";
import { jsonSchemaVersion } from "../version.ts";
import { benchSettings, chosenOutputFormat } from "./options.ts";
import { UserError } from "../errors.ts";
import { runtimeLabel } from "../runtime/runtime.ts";
import type { CommandContext } from "./context.ts";

/** `xloop bench <targets...>`: measures each target; exit 0, or 3 when a target failed. */
export async function benchCommand([targetTexts = []]: [string[]?], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  if (targetTexts.length === 0) throw new UserError("bench: name at least one target as path#export, e.g. xloop bench src/parse.ts#parse");
  const targets = targetTexts.map((t) => parseTarget(t, context.cwd));
  const cases = parseCases(options as { args?: string; cases?: string }, context.cwd);
  const settings = benchSettings(options, context.signal);
  const format = chosenOutputFormat(options, ["json", "tsv", "md"] as const);
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
  if (format === "json") {
    const document = {
      version: jsonSchemaVersion,
      command: "bench",
      ...runHeader(),
      git: await gitInfo(dirname(targets[0].file)),
      timer: results.find((r) => r.ok && r.facts)?.ok ? { name: (results.find((r) => r.ok) as any).facts.clock, costNs: (results.find((r) => r.ok) as any).facts.clockCostNs } : null,
      wallMs: Date.now() - started,
      results,
    };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else if (format === "tsv") {
    process.stdout.write(`${renderBenchTsv(results)}\n`);
  } else if (format === "md") {
    process.stdout.write(`${renderBenchMarkdown(results)}\n`);
  } else {
    process.stdout.write(`${renderBenchHuman(results, terminal, runtimeLabel())}\n`);
  }
  if (format !== "human") {
    for (const r of results) if (!r.ok) process.stderr.write(`xloop: ${r.error.message}\n`);
    if (options.verbose) for (const r of results) if (!r.ok && r.error.stack) process.stderr.write(`${r.error.stack}\n`);
  }
  return results.every((r) => r.ok) ? ExitCode.ok : ExitCode.targetFailed;
}
