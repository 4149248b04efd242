/**
 * `.codeflash/learnings.md`: one dated section per session, in the format of docs/loop.md (session end),
 * appended so earlier sessions' notes are never rewritten.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../errors.ts";
import type { ResultRow } from "../record/columns.ts";
import { withFileLock } from "../record/lock.ts";
import { rowFacts } from "../record/facts.ts";
import { describeDiscard, describeKeep } from "./describe.ts";
import { experimentOutcomes } from "./state.ts";
import { checklistLine } from "./checklist.ts";

/** What one session's section is built from. */
export interface LearningsInput {
  /** The session's date; a Date is written as its UTC calendar day. */
  date: Date | string;
  domain: string;
  branch: string;
  /** The session's rows (see unlearnedRows for the usual choice). */
  rows: readonly ResultRow[];
  /** Codebase insights, one per line, as the user or agent wrote them (`--insight`). */
  insights?: readonly string[];
  /** The domain checklist's answers stored with experiments (`.codeflash/checklists/`), by experiment number. */
  checklists?: ReadonlyMap<number, string>;
}

const COVERED = /<!-- xloop: experiments (\d+)-(\d+) -->/g;

function day(date: Date | string): string {
  return typeof date === "string" ? date : date.toISOString().slice(0, 10);
}

function bullets(lines: readonly string[], none: string): string[] {
  return (lines.length ? lines : [none]).map((line) => `- ${line.replace(/\s*[\r\n]+\s*/g, " ")}`);
}

/**
 * The section for one session:
 * `## <date> — <domain> session on <branch>`, then What worked (kept experiments with
 * their figures), What didn't work (discards with their reasons) and Codebase insights
 * (the given lines, then any escalations). A trailing comment records which experiments
 * it covers, so the next session's section can start after them.
 */
export function buildLearningsSection(input: LearningsInput): string {
  const outcomes = experimentOutcomes(input.rows);
  const worked = outcomes.filter((row) => row.status === "keep").map(describeKeep);
  const failed = outcomes.filter((row) => row.status === "discard").map(describeDiscard);
  const escalations = input.rows.flatMap((row) => {
    const escalation = rowFacts(row).escalation;
    return escalation
      ? [`escalated at experiment ${escalation.experiment}: ${escalation.signal}${escalation.suggests ? ` — suggests ${escalation.suggests}` : ""}`]
      : [];
  });
  const insights = [...(input.insights ?? []).filter((line) => line.trim() !== ""), ...escalations];
  const numbers = input.rows.map((row) => row.experiment);
  const lines = [
    `## ${day(input.date)} — ${input.domain} session on ${input.branch}`,
    "",
    "### What worked",
    ...bullets(worked, "nothing was kept this session"),
    "",
    "### What didn't work",
    ...bullets(failed, "nothing was discarded this session"),
    "",
    "### Codebase insights",
    ...bullets(insights, "none recorded"),
  ];
  // The reasoning behind each experiment, when the checklist was answered: what was believed before measuring.
  const answered = outcomes.flatMap((row) => {
    const text = input.checklists?.get(row.experiment);
    return text ? [`experiment ${row.experiment} (${rowFacts(row).pattern}, ${row.status}): ${checklistLine(text)}`] : [];
  });
  if (answered.length > 0) lines.push("", "### Checklist answers", ...bullets(answered, ""));
  if (numbers.length > 0) lines.push("", `<!-- xloop: experiments ${Math.min(...numbers)}-${Math.max(...numbers)} -->`);
  return `${lines.join("\n")}\n`;
}

/** The rows no earlier section of `learningsText` covers: those after the highest experiment it records. */
export function unlearnedRows(rows: readonly ResultRow[], learningsText: string): ResultRow[] {
  let covered = 0;
  for (const match of learningsText.matchAll(COVERED)) covered = Math.max(covered, Number(match[2]));
  return rows.filter((row) => row.experiment > covered);
}

/**
 * Appends `section` to the learnings file, creating it when missing. Only ever appends
 * (under the same kind of lock as the record): earlier sections stay byte-identical.
 * A blank line separates sections even when the file lacks its final newline.
 */
export function appendLearnings(file: string, section: string): void {
  if (!fs.existsSync(path.dirname(file))) {
    throw new UserError(`no ${path.dirname(file)}${path.sep} directory for ${file}: run \`xloop init\` first`);
  }
  withFileLock(file, () => {
    let existing = "";
    try {
      existing = fs.readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const separator = existing === "" || existing.endsWith("\n\n") ? "" : existing.endsWith("\n") ? "\n" : "\n\n";
    fs.appendFileSync(file, `${separator}${section}`);
  });
}
