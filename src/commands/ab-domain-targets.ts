import type { DomainAbResult } from "../ab/domain-result.ts";
import { UserError } from "../errors.ts";
import type { CommandContext } from "./context.ts";
import type { domainAbSettings } from "./ab-domain.ts";

/** `ab --domain memory|async` on two path#export targets. */
export async function runDomainTargetAb(
  domain: "memory" | "async",
  _base: string,
  _head: string,
  _options: Record<string, unknown>,
  _context: CommandContext,
  _settings: ReturnType<typeof domainAbSettings>,
  _progress: (done: number, label: string) => void,
): Promise<DomainAbResult> {
  throw new UserError(`ab --domain ${domain}: not measured yet`);
}
