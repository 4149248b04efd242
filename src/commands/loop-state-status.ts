/** `xloop status [--json] [--continue]`: where the loop stands and the one next action. */
import { ExitCode } from "../exit-codes.ts";
import { listBranches } from "../git/branch.ts";
import { MILESTONE_BRANCH_PREFIX, nextMilestoneVersion } from "../loop/milestone.ts";
import { nextAction, type NextAction } from "../loop/next-action.ts";
import { formatStatus, statusJson, type StatusReport } from "../loop/status-report.ts";
import { jsonSchemaVersion } from "../version.ts";
import type { CommandContext } from "./context.ts";
import { branchLabel, openLoopFiles, sessionDomain, type LoopFiles } from "./loop-state-context.ts";

/**
 * The next action for the loop's state. Milestone versions count the existing branches
 * too, so the branch status names is the one `xloop milestone` creates. The remaining
 * targets are not passed: the record cannot tell which are non-optimizable, so a plateau
 * asks for that check instead of deciding it.
 */
export async function loopNextAction(files: LoopFiles): Promise<NextAction> {
  const domain = sessionDomain(files);
  const branches = await listBranches(files.root, MILESTONE_BRANCH_PREFIX);
  return nextAction({
    rows: files.rows,
    domain,
    config: files.config,
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
  const next = await loopNextAction(files);
  const report: StatusReport = { domain: sessionDomain(files), branch: await branchLabel(files.root), config: files.config, next };
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "status", ...statusJson(report) }, null, 2)}\n`);
  } else {
    process.stdout.write(formatStatus(report));
  }
  if (options.continue && !next.shouldContinue) return ExitCode.stop;
  return ExitCode.ok;
}
