/** `xloop domain <name> [--json]`: a domain's definition, for people or as the Domain object. */
import { UserError } from "../../errors.ts";
import { ExitCode } from "../../exit-codes.ts";
import { domainNames, formatDomain, getDomain } from "../../domains/domains.ts";
import type { CommandContext } from "../context.ts";

/** Prints the domain (text, or the Domain object itself with --json). Needs no repository. */
export async function domainCommand([name]: unknown[], options: Record<string, unknown>, _context: CommandContext): Promise<number> {
  if (name === undefined || String(name).trim() === "") throw new UserError(`domain: name one of ${domainNames.join(", ")}`);
  const domain = getDomain(String(name));
  process.stdout.write(options.json ? `${JSON.stringify(domain, null, 2)}\n` : formatDomain(domain));
  return ExitCode.ok;
}
