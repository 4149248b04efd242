/**
 * `xloop milestone`: branch `codeflash/milestone-vN` at HEAD (N the next unused version;
 * an existing branch is never moved), a milestone row in the record, and the loop
 * design's line `[milestone] vN — <kept>/<total> kept, cumulative <metric>`.
 */
import { UserError } from "../../errors.ts";
import { ExitCode } from "../../exit-codes.ts";
import { branchExists, createBranchAt, listBranches } from "../../git/branch.ts";
import { assertOnBranch, headCommit, openRepo, shortCommit } from "../../git/repo.ts";
import { git } from "../../git/run.ts";
import { percentCell } from "../../record/figures.ts";
import { milestoneRow } from "../../record/row-kinds.ts";
import { appendResult, nextExperimentNumber } from "../../record/results-tsv.ts";
import { plural } from "../../loop/describe.ts";
import {
  MILESTONE_BRANCH_PREFIX,
  milestoneBranch,
  productOfKeptRatios,
  milestoneLine,
  milestoneRatio,
  milestoneVersionOf,
  nextMilestoneVersion,
} from "../../loop/milestone.ts";
import { summarize } from "../../loop/state.ts";
import { jsonSchemaVersion } from "../../version.ts";
import { runHeader } from "../../machine/metadata.ts";
import { runtimeLabel } from "../../runtime/runtime.ts";
import type { CommandContext } from "../context.ts";
import { firstBaselineCommit, openLoopFiles, sessionDomain } from "./files.ts";
import { measureCumulative } from "../../compare/cumulative.ts";

/** Milestone branches already at `commit`: a second milestone there would mark nothing new. */
async function milestonesAt(root: string, commit: string): Promise<string[]> {
  const output = await git(root, ["for-each-ref", "--points-at", commit, "--format=%(refname:short)", `refs/heads/${MILESTONE_BRANCH_PREFIX}*`]);
  return output.split("\n").filter((name) => milestoneVersionOf(name) !== undefined);
}

/**
 * Creates the milestone. Refuses (one clear line each): not a git repository, no
 * commits, a detached HEAD (a milestone marks a branch's progress), a milestone branch
 * already at HEAD, a broken record. Warns when the milestone is early (fewer keeps than
 * the configured minimum since the last one) but creates it: the user decides.
 */
export async function milestoneCommand(_: unknown[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  const root = await openRepo(context.cwd);
  const files = await openLoopFiles(root);
  await assertOnBranch(root);
  const head = await headCommit(root);
  const short = await shortCommit(root, head);
  const already = await milestonesAt(root, head);
  if (already.length > 0) {
    throw new UserError(`HEAD (${short}) is already milestone ${already.join(", ")}: keep more experiments before the next milestone; xloop never moves a milestone branch`);
  }

  const state = summarize(files.rows);
  const { min, max } = files.config.milestoneEvery;
  if (state.keepsSinceMilestone < min) {
    process.stderr.write(`xloop: note: ${plural(state.keepsSinceMilestone, "keep")} since the last milestone; milestones are due every ${min}-${max} keeps\n`);
  }

  const version = nextMilestoneVersion(await listBranches(root, MILESTONE_BRANCH_PREFIX), files.rows);
  const branch = milestoneBranch(version);
  // nextMilestoneVersion skips every existing branch; this only fires if one appeared since.
  if (await branchExists(root, branch)) throw new UserError(`branch ${branch} already exists: xloop never moves a branch; run xloop milestone again`);
  // The design's cumulative figure is a real measurement of the baseline commit against
  // HEAD; --estimate settles for the product of the kept ratios (no measuring).
  const figure = options.estimate
    ? productOfKeptRatios(state)
    : await measureCumulative({
        root,
        baselineCommit: firstBaselineCommit(files.rows),
        head,
        state,
        options,
        signal: context.signal,
        log: (line) => process.stderr.write(`${line}\n`),
      });
  if (context.signal.aborted) throw new UserError("interrupted: no milestone was made", ExitCode.interrupted);
  await createBranchAt(root, branch, head);

  const single = milestoneRatio(figure);
  const row = milestoneRow({
    experiment: nextExperimentNumber(files.rows),
    branch,
    commit: short,
    timestamp: new Date().toISOString(),
    domain: sessionDomain(files).name,
    improvement: single ? percentCell(single.improvement) : undefined,
    ratio: single ? single.ratio.toFixed(4) : undefined,
    description: `${state.keeps}/${state.experiments} kept, cumulative ${figure.text}`,
    runtime: options.estimate ? undefined : runtimeLabel(),
  });
  appendResult(files.paths.results, row);

  const line = milestoneLine(version, state, figure);
  if (options.json) {
    const { line: _line, ...recorded } = row;
    process.stdout.write(
      `${JSON.stringify({ version: jsonSchemaVersion, command: "milestone", ...runHeader(), milestone: version, branch, commit: head, kept: state.keeps, experiments: state.experiments, cumulative: figure, line, row: recorded }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(`${line}\n`);
  }
  process.stderr.write(`xloop: created branch ${branch} at ${short} and recorded it as experiment ${row.experiment}\n`);
  return ExitCode.ok;
}
