import * as v from "valibot";
import { UserError } from "../errors.ts";
import { runAsyncAb } from "../async/run-async.ts";
import { parseConcurrency } from "./bench-domain.ts";
import { durationOption } from "../settings/duration.ts";
import { validateOptions } from "../settings/options.ts";
import { defaults } from "../settings/defaults.ts";
import type { DomainAbResult } from "../ab/domain-result.ts";
import { runMemoryAb } from "../memory/run-memory.ts";
import { parseCases, parseTarget } from "../target/parse.ts";
import type { CommandContext } from "./context.ts";
import type { domainAbSettings } from "./ab-domain.ts";

/** `ab --domain memory|async` on two path#export targets, with --args or --cases. */
export async function runDomainTargetAb(
  domain: "memory" | "async",
  baseText: string,
  headText: string,
  options: Record<string, unknown>,
  context: CommandContext,
  settings: ReturnType<typeof domainAbSettings>,
  progress: (done: number, label: string) => void,
): Promise<DomainAbResult> {
  const base = parseTarget(baseText, context.cwd);
  const head = parseTarget(headText, context.cwd);
  const cases = parseCases(options as { args?: string; cases?: string }, context.cwd);
  if (domain === "memory") return runMemoryAb(base, head, cases, settings, progress);
  const levels = parseConcurrency(options.concurrency, [defaults.asyncConcurrency]);
  if (levels.length !== 1) throw new UserError(`--concurrency: ab --domain async decides at one level, the representative one (got ${levels.join(",")}); e.g. --concurrency 8`);
  const { roundTime } = validateOptions(v.object({ roundTime: durationOption("s", 0.5, defaults.asyncLevelS) }), { roundTime: options.roundTime });
  return runAsyncAb(base, head, cases, { ...settings, concurrency: levels[0], levelMs: roundTime * 1000 }, progress);
}
