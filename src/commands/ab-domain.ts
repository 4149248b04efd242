import { dirname, resolve } from "node:path";
import { existsSync, statSync } from "node:fs";
import * as v from "valibot";
import type { DomainAbResult } from "../ab/domain-result.ts";
import { getDomain } from "../domains/domains.ts";
import { UserError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { verdicts } from "../stats/verdict.ts";
import { gitInfo, runHeader } from "../machine/metadata.ts";
import { domainAbJson } from "../ab/json.ts";
import { renderDomainAbHuman } from "../output/domain-ab-report.ts";
import { openTerminal } from "../format/terminal.ts";
import { runtimeLabel } from "../runtime/runtime.ts";
import { runImportAb, type EntrySpec } from "../structure/ab.ts";
import { jsonSchemaVersion } from "../version.ts";
import type { CommandContext } from "./context.ts";
import { durationOption } from "../settings/duration.ts";
import { timeoutOption, validateOptions } from "../settings/options.ts";
import { defaults } from "../settings/defaults.ts";

/** The domains `ab` measures with a metric of their own rather than CPU time. */
export const measuredDomains = ["memory", "async", "structure"] as const;

const DomainAbOptionsSchema = v.object({
  threshold: v.optional(v.pipe(v.number("must be a number"), v.gtValue(0, "must lie in (0, 1), e.g. 0.05 for 5%"), v.ltValue(1, "must lie in (0, 1), e.g. 0.05 for 5%"))),
  maxTime: durationOption("s", 30, defaults.maxTimeS),
  minRounds: v.optional(v.pipe(v.number(), v.integer("must be a whole number"), v.minValue(3, "must be at least 3")), 10),
  confidence: v.optional(v.pipe(v.number("must be a number"), v.gtValue(0.5, "must lie in (0.5, 1), e.g. 0.99"), v.ltValue(1, "must lie in (0.5, 1), e.g. 0.99")), 0.99),
  expect: v.optional(v.picklist(verdicts, `must be one of ${verdicts.join(", ")}`)),
  timeout: timeoutOption,
});

/** The settings of a domain comparison: the sequential decision's, with the domain's noise threshold by default. */
export function domainAbSettings(domain: string, options: Record<string, unknown>, signal?: AbortSignal) {
  const o = validateOptions(DomainAbOptionsSchema, {
    threshold: options.threshold,
    maxTime: options.maxTime,
    minRounds: options.minRounds,
    confidence: options.confidence,
    expect: options.expect,
    timeout: options.timeout,
  });
  return {
    threshold: o.threshold ?? getDomain(domain).thresholds.noise.improvement,
    minRounds: o.minRounds,
    confidence: o.confidence,
    maxTimeMs: o.maxTime * 1000,
    timeoutMs: o.timeout,
    expect: o.expect,
    signal,
  };
}

function entrySpec(text: string, cwd: string): EntrySpec {
  if (text.includes("#")) throw new UserError(`${text}: ab --domain structure compares entry modules by their import time; give module paths without #export, e.g. xloop ab --domain structure src/index.ts src/index-lazy.ts`);
  const file = resolve(cwd, text);
  if (!existsSync(file) || !statSync(file).isFile()) throw new UserError(`${text}: no such file; give the path of an entry module`);
  return { file, label: text };
}

/** Runs the comparisons of one domain, pair by pair, with a progress line. */
async function runDomainComparisons(domain: string, texts: string[], options: Record<string, unknown>, context: CommandContext, settings: ReturnType<typeof domainAbSettings>): Promise<DomainAbResult[]> {
  const terminal = openTerminal();
  const results: DomainAbResult[] = [];
  for (let i = 0; i < texts.length; i += 2) {
    const progress = (_: number, text: string) => terminal.progress(`xloop ab --domain ${domain}: ${texts[i + 1]}: ${text}`);
    if (domain === "structure") {
      results.push(await runImportAb(entrySpec(texts[i], context.cwd), entrySpec(texts[i + 1], context.cwd), settings, progress));
    } else {
      const { runDomainTargetAb } = await import("./ab-domain-targets.ts");
      results.push(await runDomainTargetAb(domain as "memory" | "async", texts[i], texts[i + 1], options, context, settings, progress));
    }
    terminal.clearProgress();
  }
  return results;
}

/** `xloop ab --domain memory|async|structure base head [...]`: exit 0; 3 when a side failed; 4 when --expect is not met. */
export async function domainAbCommand(domain: string, texts: string[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  if (texts.length < 2 || texts.length % 2 !== 0) {
    throw new UserError(`ab: give targets in pairs, base then head (got ${texts.length}), e.g. xloop ab --domain ${domain} ${domain === "structure" ? "src/index.ts src/index-lazy.ts" : "src/v1.ts#parse src/v2.ts#parse"}`);
  }
  const settings = domainAbSettings(domain, options, context.signal);
  const results = await runDomainComparisons(domain, texts, options, context, settings);
  const measuredOn = runtimeLabel();
  if (options.json) {
    const git = await gitInfo(dirname(resolve(context.cwd, texts[1].split("#")[0])));
    const body = results.length === 1 ? domainAbJson(results[0]) : { comparisons: results.map(domainAbJson), verdict: results.every((r) => r.verdict === results[0].verdict) ? results[0].verdict : "mixed" };
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "ab", ...runHeader(), git, ...body }, null, 2)}\n`);
    for (const r of results) if (r.error) process.stderr.write(`xloop: ${r.error.message}\n`);
  } else {
    process.stdout.write(`${renderDomainAbHuman(results, measuredOn)}\n`);
  }
  if (results.some((r) => r.error)) return ExitCode.targetFailed;
  if (settings.expect && results.some((r) => r.verdict !== settings.expect)) return ExitCode.unexpectedVerdict;
  return ExitCode.ok;
}
