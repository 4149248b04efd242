/**
 * `xloop escalate --to <domain> --signal <text> [--from <domain>]`: docs/loop.md's
 * cross-domain escalation — record it, write it into HANDOFF.md, and ask the user.
 */
import { relative } from "node:path";
import { UserError } from "../../errors.ts";
import { ExitCode } from "../../exit-codes.ts";
import { escalationMessage, oneLineSignal } from "../../loop/escalation.ts";
import { escalationRow } from "../../record/row-kinds.ts";
import { appendResult, nextExperimentNumber } from "../../record/results-tsv.ts";
import type { CommandContext } from "../context.ts";
import { headShort, openLoopFiles, requiredText, sessionDomain } from "./files.ts";
import { writeLoopHandoff } from "./handoff.ts";

/**
 * Records `experiment N | ESCALATE | <signal> | suggests <domain>`, rewrites HANDOFF.md
 * so a resumed session sees it, and prints the question for the user on stderr. The
 * loop then waits (`status` names the escalation, `status --continue` exits 7) until
 * the user decides: never switch domains silently.
 */
export async function escalateCommand(_: unknown[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  const signal = oneLineSignal(requiredText(options.signal, "--signal", '"peak heap dominates runtime"'));
  requiredText(options.to, "--to", "memory");
  const files = await openLoopFiles(context.cwd);
  const to = sessionDomain(files, options.to, "--to");
  const from = sessionDomain(files, options.from, "--from");
  if (to.name === from.name) {
    throw new UserError(`--to ${to.name}: this is already a ${from.name} session; escalate to another domain (or pass --from <the session's domain>)`);
  }
  const row = escalationRow({
    experiment: nextExperimentNumber(files.rows),
    signal,
    suggests: to.name,
    from: from.name,
    timestamp: new Date().toISOString(),
    commit: await headShort(files.root),
  });
  appendResult(files.paths.results, row);
  await writeLoopHandoff({ ...files, rows: [...files.rows, row] });
  process.stderr.write(`[experiment ${row.experiment}] ESCALATE — ${signal} — suggests ${to.name}\n`);
  process.stderr.write(`xloop: recorded in ${relative(context.cwd, files.paths.results)} and written into ${relative(context.cwd, files.paths.handoff)}; tell the user:\n`);
  process.stderr.write(`${escalationMessage({ signal, to: to.name, from: from.name })}\n`);
  return ExitCode.ok;
}
