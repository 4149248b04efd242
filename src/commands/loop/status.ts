/** `xloop status [--json] [--continue]`: where the loop stands and the one next action. */
import { ExitCode } from "../../exit-codes.ts";
import { listBranches } from "../../git/branch.ts";
import { MILESTONE_BRANCH_PREFIX, nextMilestoneVersion } from "../../loop/milestone.ts";
import { nextAction, type NextAction } from "../../loop/next-action.ts";
import { formatStatus, statusJson, type StatusReport } from "../../loop/status-report.ts";
import { jsonSchemaVersion } from "../../version.ts";
import type { CommandContext } from "../context.ts";
import { branchLabel, openLoopFiles, sessionDomain, type LoopFiles } from "./files.ts";
import { readBottlenecks } from "../../loop/bottlenecks-file.ts";
import { rankedTargets, type RankedTargets } from "../../loop/ranked-targets.ts";
import { answeredExperiments } from "../../loop/checklist.ts";
import { interruption } from "../../experiment/journal.ts";

/** The ranked list with the judged states: the profile's when it has run, else the record's own targets. */
export function loopTargets(files: LoopFiles): RankedTargets {
  return rankedTargets(readBottlenecks(files.root), files.rows, files.config);
}

/**
 * The next action for the loop's state. Milestone versions count the existing branches
 * too, so the branch status names is the one `xloop milestone` creates. The remaining
 * targets are the ranked list with the states `xloop target` recorded: a plateau stops
 * once the top three are marked non-optimizable, and asks for the check while they are
 * unjudged.
 */
export async function loopNextAction(files: LoopFiles, targets: RankedTargets = loopTargets(files)): Promise<NextAction> {
  const domain = sessionDomain(files);
  const branches = await listBranches(files.root, MILESTONE_BRANCH_PREFIX);
  return nextAction({
    rows: files.rows,
    domain,
    config: files.config,
    remainingTargets: targets.targets.length > 0 ? targets.targets : undefined,
    milestoneVersion: nextMilestoneVersion(branches, files.rows),
  });
}

/**
 * Prints the status (text, or one JSON document with --json) on stdout. With
 * --continue the exit code says whether the loop goes on (0) or should stop (7), for
 * `while xloop status --continue; do ...; done`; without it, 0.
 */
export async function statusCommand(_: unknown[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  const files = await openLoopFiles(context.cwd);
  const targets = loopTargets(files);
  const next = await loopNextAction(files, targets);
  const answered = answeredExperiments(files.root);
  const report: StatusReport = {
    domain: sessionDomain(files),
    branch: await branchLabel(files.root),
    config: files.config,
    next,
    targets,
    checklistSkipped: next.state.outcomes.map((row) => row.experiment).filter((n) => !answered.has(n)),
  };
  // An experiment running or killed comes first: it decides what the user does next.
  const stopped = interruption(files.root);
  if (options.json) {
    const { lines: _lines, ...interrupted } = stopped;
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "status", ...statusJson(report), interruption: interrupted }, null, 2)}\n`);
  } else {
    process.stdout.write(stopped.lines.map((line) => `${line}\n`).join(""));
    process.stdout.write(formatStatus(report));
  }
  if (options.continue && !next.shouldContinue) return ExitCode.stop;
  return ExitCode.ok;
}
