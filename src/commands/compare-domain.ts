import { compareInDomain } from "../compare/domain.ts";
import { UserError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { findRepoRoot } from "../git/repo.ts";
import { runHeader } from "../machine/metadata.ts";
import { domainAbJson } from "../ab/json.ts";
import { renderDomainAbHuman } from "../output/domain-ab-report.ts";
import { openTerminal } from "../format/terminal.ts";
import { runtimeLabel } from "../runtime/runtime.ts";
import { jsonSchemaVersion } from "../version.ts";
import { domainAbSettings } from "./ab-domain.ts";
import { parseConcurrency } from "./bench-domain.ts";
import { defaults } from "../settings/defaults.ts";
import type { CommandContext } from "./context.ts";

/**
 * `xloop compare [base] [head] --domain memory|async|structure --target <...>`: the
 * target of both revisions, in temporary worktrees, on the domain's metric. Exit 0; 3
 * when a side failed.
 */
export async function compareDomainCommand(domain: "memory" | "async" | "structure", [base, head]: [string?, string?], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  if (options.target === undefined) {
    throw new UserError(`compare --domain ${domain}: name what to compare with --target, e.g. --target ${domain === "structure" ? "src/index.ts" : "src/parse.ts#parse"}`);
  }
  for (const option of ["script", "filter", "runs", "warmup", "prepare"]) {
    if (options[option] !== undefined) throw new UserError(`--${option}: not used with --domain ${domain}, which compares --target on the domain's metric`);
  }
  const settings = domainAbSettings(domain, options, context.signal);
  const levels = parseConcurrency(options.concurrency, [defaults.asyncConcurrency]);
  if (levels.length !== 1) throw new UserError(`--concurrency: compare --domain async decides at one level (got ${levels.join(",")}); e.g. --concurrency 8`);
  const repo = await findRepoRoot(context.cwd);
  const terminal = openTerminal();
  const { pair, result } = await compareInDomain(repo, base === undefined ? undefined : String(base), head === undefined ? undefined : String(head), {
    domain,
    target: String(options.target),
    cwd: context.cwd,
    cases: { args: options.args as string | undefined, cases: options.cases as string | undefined },
    settings: { ...settings, concurrency: levels[0], levelMs: defaults.asyncLevelS * 1000 },
    install: Boolean(options.install),
    progress: (_, text) => terminal.progress(`xloop compare --domain ${domain}: ${text}`),
  });
  terminal.clearProgress();
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "compare", ...runHeader(), revisions: { base: pair.base, head: pair.head }, ...domainAbJson(result) }, null, 2)}\n`);
    if (result.error) process.stderr.write(`xloop: ${result.error.message}\n`);
  } else {
    process.stdout.write(`${renderDomainAbHuman([result], runtimeLabel())}\n`);
  }
  return result.error ? ExitCode.targetFailed : ExitCode.ok;
}
