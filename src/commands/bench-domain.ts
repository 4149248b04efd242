import * as v from "valibot";
import { runMemoryBench } from "../memory/run-memory.ts";
import { renderMemoryHuman, renderMemoryMarkdown, renderMemoryTsv } from "../output/memory-report.ts";
import { openTerminal } from "../output/terminal.ts";
import { runtimeLabel } from "../runtime/runtime.ts";
import { runHeader } from "../machine/metadata.ts";
import { parseCases, parseTarget } from "../target/parse.ts";
import { jsonSchemaVersion } from "../version.ts";
import { ExitCode } from "../exit-codes.ts";
import { UserError } from "../errors.ts";
import type { CommandContext } from "./context.ts";
import { durationOption } from "./duration.ts";
import { chosenOutputFormat, validateOptions } from "./options.ts";

const DomainBenchOptionsSchema = v.object({
  rounds: v.optional(v.pipe(v.number("must be a whole number"), v.integer("must be a whole number"), v.minValue(1, "must be at least 1"), v.maxValue(100, "must be at most 100")), 3),
  timeout: durationOption("ms", 30_000, 30_000),
});

/**
 * `bench --domain memory|async <targets>`: the domain's own figures per target, each
 * from fresh processes (--rounds of them, default 3). Exit 0, or 3 when a target failed.
 */
export async function domainBenchCommand(domain: string, texts: string[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  if (texts.length === 0) throw new UserError(`bench --domain ${domain}: name at least one target as path#export, e.g. xloop bench --domain ${domain} src/parse.ts#parse`);
  const targets = texts.map((t) => parseTarget(t, context.cwd));
  const cases = parseCases(options as { args?: string; cases?: string }, context.cwd);
  const o = validateOptions(DomainBenchOptionsSchema, { rounds: options.rounds, timeout: options.timeout });
  const format = chosenOutputFormat(options, ["json", "tsv", "md"] as const);
  const terminal = openTerminal({ color: options.color as boolean | undefined });
  const started = Date.now();
  if (domain !== "memory") throw new UserError(`bench --domain ${domain}: not measured yet`);
  const results = await runMemoryBench(targets, cases, {
    processes: o.rounds,
    timeoutMs: o.timeout,
    signal: context.signal,
    progress: (done, label) => terminal.progress(`xloop bench --domain memory: ${label}  ${Math.round(done * 100)}%`),
  });
  terminal.clearProgress();
  if (format === "json") {
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "bench", domain, ...runHeader(), wallMs: Date.now() - started, results }, null, 2)}\n`);
  } else if (format === "tsv") {
    process.stdout.write(`${renderMemoryTsv(results)}\n`);
  } else if (format === "md") {
    process.stdout.write(`${renderMemoryMarkdown(results)}\n`);
  } else {
    process.stdout.write(`${renderMemoryHuman(results, runtimeLabel())}\n`);
  }
  if (format !== "human") for (const r of results) if (!r.ok) process.stderr.write(`xloop: ${r.error.message}\n`);
  return results.every((r) => r.ok) ? ExitCode.ok : ExitCode.targetFailed;
}
