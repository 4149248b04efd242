import { UserError } from "../errors.ts";
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
  throw new UserError("ab --domain async: not measured yet");
}
