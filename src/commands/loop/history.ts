/** `xloop history [--json] [-n <commits>]`: what git and the record say together. */
import { UserError } from "../../errors.ts";
import { ExitCode } from "../../exit-codes.ts";
import { lastChangeStat, recentCommits } from "../../git/log.ts";
import { analyzeHistory } from "../../loop/history.ts";
import { formatHistory, type HistoryReport } from "../../loop/history-report.ts";
import { jsonSchemaVersion } from "../../version.ts";
import type { CommandContext } from "../context.ts";
import { headShort, openLoopFiles } from "./files.ts";
import { checklistLine, readChecklists } from "../../loop/checklist.ts";
import { experimentOutcomes } from "../../loop/state.ts";
import { rowFacts } from "../../record/facts.ts";
import { defaults } from "../../settings/defaults.ts";

/** The thresholds of docs/loop.md: 3+ improving commits make a hotspot, 3+ discards a failed pattern. */
const MIN_COMMITS = 3;
const MIN_FAILURES = 3;

/** -n/--commits: how many recent commits to read, checked. */
export function commitCount(value: unknown): number {
  if (value === undefined) return defaults.historyCommits;
  const n = typeof value === "number" ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--commits: give a whole number above 0, e.g. -n 20 (got ${JSON.stringify(value)})`);
  return n;
}

/** The checklist answers of the last five experiments that have them. */
function checklistsOf(root: string, rows: Parameters<typeof experimentOutcomes>[0]): HistoryReport["checklists"] {
  const answers = readChecklists(root);
  return experimentOutcomes(rows)
    .filter((row) => answers.has(row.experiment))
    .slice(-5)
    .map((row) => ({ experiment: row.experiment, pattern: rowFacts(row).pattern, status: row.status, answers: checklistLine(answers.get(row.experiment)!) }));
}

/**
 * Reads the last n commits (with their files) and the record; prints hotspots, failed
 * patterns, kept techniques and the last change's stat (text, or JSON with --json).
 */
export async function historyCommand(_: unknown[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  const n = commitCount(options.commits);
  const files = await openLoopFiles(context.cwd);
  if ((await headShort(files.root)) === undefined) {
    throw new UserError(`${files.root} has no commits yet: there is no history to read; commit your code, then run experiments`);
  }
  const commits = await recentCommits(files.root, n);
  const analysis = analyzeHistory(commits, files.rows, { minCommits: MIN_COMMITS, minFailures: MIN_FAILURES });
  const report: HistoryReport = {
    analysis,
    commitsRead: n,
    commitsFound: commits.length,
    lastChangeStat: await lastChangeStat(files.root),
    minCommits: MIN_COMMITS,
    minFailures: MIN_FAILURES,
    checklists: checklistsOf(files.root, files.rows),
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "history", ...report }, null, 2)}\n`);
  } else {
    process.stdout.write(formatHistory(report));
  }
  return ExitCode.ok;
}
