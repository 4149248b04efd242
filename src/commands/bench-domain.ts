import * as v from "valibot";
import { runMemoryBench } from "../memory/run-memory.ts";
import { runAsyncBench } from "../async/run-async.ts";
import { renderMemoryHuman, renderMemoryMarkdown, renderMemoryTsv } from "../output/memory-report.ts";
import { renderAsyncHuman, renderAsyncMarkdown, renderAsyncTsv } from "../output/async-report.ts";
import { openTerminal } from "../format/terminal.ts";
import { runtimeLabel } from "../runtime/runtime.ts";
import { runHeader } from "../machine/metadata.ts";
import { parseCases, parseTarget } from "../target/parse.ts";
import { jsonSchemaVersion } from "../version.ts";
import { ExitCode } from "../exit-codes.ts";
import { UserError } from "../errors.ts";
import type { CommandContext } from "./context.ts";
import { durationOption } from "../settings/duration.ts";
import { chosenOutputFormat, validateOptions } from "../settings/options.ts";
import { defaults } from "../settings/defaults.ts";

/** bench --domain memory|async: the processes, their timeout and each async level's time, with their defaults. */
export const DomainBenchOptionsSchema = v.object({
  rounds: v.optional(v.pipe(v.number("must be a whole number"), v.integer("must be a whole number"), v.minValue(1, "must be at least 1"), v.maxValue(100, "must be at most 100")), defaults.domainRounds),
  timeout: durationOption("ms", defaults.domainTimeoutMs, defaults.domainTimeoutMs),
  time: durationOption("s", 0.5, defaults.asyncLevelS),
});

/**
 * Parses --concurrency: one level or a comma-separated list of them (whole numbers
 * from 1 to 10,000), e.g. "1,8,64".
 */
export function parseConcurrency(value: unknown, fallback: readonly number[]): number[] {
  if (value === undefined) return [...fallback];
  const levels = String(value).split(",").map((part) => Number(part.trim()));
  if (levels.length === 0 || levels.some((n) => !Number.isInteger(n) || n < 1 || n > 10_000)) {
    throw new UserError(`--concurrency: give whole numbers from 1 to 10000, comma-separated, e.g. 1,8,64 (got ${JSON.stringify(value)})`);
  }
  return levels;
}

const memoryRenderers = { human: renderMemoryHuman, tsv: renderMemoryTsv, markdown: renderMemoryMarkdown };
const asyncRenderers = { human: renderAsyncHuman, tsv: renderAsyncTsv, markdown: renderAsyncMarkdown };

/**
 * `bench --domain memory|async <targets>`: the domain's own figures per target, each
 * from fresh processes (--rounds of them, default `defaults.domainRounds`); async at
 * each --concurrency level (default `defaults.asyncLevels`) for --time (default
 * `defaults.asyncLevelS`) each. Exit 0, or 3 when a target failed.
 */
export async function domainBenchCommand(domain: string, texts: string[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  if (texts.length === 0) throw new UserError(`bench --domain ${domain}: name at least one target as path#export, e.g. xloop bench --domain ${domain} src/parse.ts#parse`);
  const targets = texts.map((t) => parseTarget(t, context.cwd));
  const cases = parseCases(options as { args?: string; cases?: string }, context.cwd);
  const o = validateOptions(DomainBenchOptionsSchema, { rounds: options.rounds, timeout: options.timeout, time: options.time });
  const format = chosenOutputFormat(options, ["json", "tsv", "md"] as const);
  const terminal = openTerminal({ color: options.color as boolean | undefined });
  const started = Date.now();
  const progress = (done: number, label: string) => terminal.progress(`xloop bench --domain ${domain}: ${label}  ${Math.round(done * 100)}%`);
  const measure = { processes: o.rounds, timeoutMs: o.timeout, signal: context.signal, progress };
  const results =
    domain === "memory"
      ? await runMemoryBench(targets, cases, measure)
      : await runAsyncBench(targets, cases, { ...measure, concurrency: parseConcurrency(options.concurrency, defaults.asyncLevels), levelMs: o.time * 1000 });
  terminal.clearProgress();
  const render = domain === "memory" ? memoryRenderers : asyncRenderers;
  if (format === "json") {
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "bench", domain, ...runHeader(), wallMs: Date.now() - started, results }, null, 2)}\n`);
  } else if (format === "tsv") {
    process.stdout.write(`${render.tsv(results as never)}\n`);
  } else if (format === "md") {
    process.stdout.write(`${render.markdown(results as never)}\n`);
  } else {
    process.stdout.write(`${render.human(results as never, runtimeLabel())}\n`);
  }
  if (format !== "human") for (const r of results) if (!r.ok) process.stderr.write(`xloop: ${r.error.message}\n`);
  return results.every((r) => r.ok) ? ExitCode.ok : ExitCode.targetFailed;
}
