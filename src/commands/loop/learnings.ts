/**
 * `xloop learnings [--insight <text> ...] [--domain <name>]`: appends this session's
 * section to `.codeflash/learnings.md`, drafted from the record's experiments that no
 * earlier section covers. Earlier sections are never rewritten.
 */
import { relative } from "node:path";
import { UserError } from "../../errors.ts";
import { ExitCode } from "../../exit-codes.ts";
import { appendLearnings, buildLearningsSection, unlearnedRows } from "../../loop/learnings.ts";
import { readChecklists } from "../../loop/checklist.ts";
import type { CommandContext } from "../context.ts";
import { branchLabel, listOption, openLoopFiles, readOptional, sessionDomain } from "./files.ts";

/**
 * Appends `## <date> — <domain> session on <branch>` with What worked, What didn't work
 * and Codebase insights, prints the section on stdout. Refuses to append an empty
 * section: nothing new in the record and no --insight.
 */
export async function learningsCommand(_: unknown[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  const insights = listOption(options.insight, "--insight", '"the ORM layer dominates runtime"');
  const files = await openLoopFiles(context.cwd);
  const existing = readOptional(files.paths.learnings) ?? "";
  const rows = unlearnedRows(files.rows, existing);
  if (rows.length === 0 && insights.length === 0) {
    const covered = files.rows.length ? `experiments up to ${Math.max(...files.rows.map((r) => r.experiment))} are already in` : "the record is empty, so there is nothing to add to";
    throw new UserError(`nothing new to learn: ${covered} ${relative(context.cwd, files.paths.learnings)}; record experiments first, or add --insight "<observation>"`);
  }
  const domain = sessionDomain({ ...files, rows: rows.length ? rows : files.rows }, options.domain);
  const section = buildLearningsSection({ date: new Date(), domain: domain.name, branch: await branchLabel(files.root), rows, insights, checklists: readChecklists(files.root) });
  appendLearnings(files.paths.learnings, section);
  process.stdout.write(section);
  const numbers = rows.map((r) => r.experiment);
  const span = numbers.length ? `experiments ${Math.min(...numbers)}-${Math.max(...numbers)}` : "insights only";
  process.stderr.write(`xloop: appended this session (${span}) to ${relative(context.cwd, files.paths.learnings)}\n`);
  return ExitCode.ok;
}
