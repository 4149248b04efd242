import * as v from "valibot";
import { measureImportTimes } from "../structure/import-time.ts";
import { importHints } from "../structure/hints.ts";
import { renderImportsHuman, renderImportsMarkdown, renderImportsTsv } from "../output/imports-report.ts";
import { openTerminal } from "../format/terminal.ts";
import { runtimeLabel } from "../runtime/runtime.ts";
import { runHeader } from "../machine/metadata.ts";
import { jsonSchemaVersion } from "../version.ts";
import { ExitCode } from "../exit-codes.ts";
import type { CommandContext } from "./context.ts";
import { chosenOutputFormat, timeoutOption, validateOptions } from "../settings/options.ts";
import { defaults } from "../settings/defaults.ts";

const ImportsOptionsSchema = v.object({
  runs: v.optional(v.pipe(v.number("must be a whole number"), v.integer("must be a whole number"), v.minValue(3, "must be at least 3"), v.maxValue(1000, "must be at most 1000")), defaults.importRuns),
  timeout: timeoutOption,
});

/**
 * `xloop imports <entry>`: the entry's module graph with each module's own and
 * cumulative import time, measured cold in fresh processes of the project's runtime;
 * cycles, fan-in, barrel files and top-level work reported. Exit 0, 3 when a module
 * cannot be imported.
 */
export async function importsCommand([entry]: [string], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  const o = validateOptions(ImportsOptionsSchema, { runs: options.runs, timeout: options.timeout });
  const format = chosenOutputFormat(options, ["json", "tsv", "md"] as const);
  const terminal = openTerminal({ color: options.color as boolean | undefined });
  const times = await measureImportTimes(String(entry), {
    cwd: context.cwd,
    runs: o.runs,
    timeoutMs: o.timeout,
    signal: context.signal,
    progress: (done, label) => terminal.progress(`xloop imports: ${label}  ${Math.round(done * 100)}%`),
  });
  terminal.clearProgress();
  const hints = importHints(times);
  const runtime = runtimeLabel();
  if (format === "json") {
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "imports", ...runHeader(), ...times, hints }, null, 2)}\n`);
  } else if (format === "tsv") {
    process.stdout.write(`${renderImportsTsv(times)}\n`);
  } else if (format === "md") {
    process.stdout.write(`${renderImportsMarkdown(times, hints)}\n`);
  } else {
    process.stdout.write(`${renderImportsHuman(times, hints, runtime)}\n`);
  }
  return ExitCode.ok;
}
