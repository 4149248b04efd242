/**
 * Milestones (every 3-5 keeps): the branch name, its version, the cumulative figure and
 * the milestone line of docs/loop.md. The figure here is the estimate from the record (the
 * product of the kept ratios); src/compare/cumulative.ts replaces it with a real
 * measurement of the baseline commit against HEAD wherever it can.
 */
import { isEmptyCell, type ResultRow } from "../record/columns.ts";
import { percentCell } from "../record/figures.ts";
import { rowFacts } from "../record/facts.ts";
import { plural } from "./describe.ts";
import type { LoopState } from "./state.ts";

/** Milestone branches are `codeflash/milestone-v1`, `-v2`, …, as docs/loop.md names them. */
export const MILESTONE_BRANCH_PREFIX = "codeflash/milestone-v";

/** The branch of milestone `version`. */
export function milestoneBranch(version: number): string {
  return `${MILESTONE_BRANCH_PREFIX}${version}`;
}

/** The version a milestone branch name carries, or undefined when it is not one. */
export function milestoneVersionOf(branch: string): number | undefined {
  const match = /^codeflash\/milestone-v(\d+)$/.exec(branch.trim());
  return match ? Number(match[1]) : undefined;
}

/**
 * The next unused milestone version: one above every version an existing branch or a
 * milestone row of the record uses (and above the count of milestone rows, for rows a
 * person wrote without a branch name). Earlier sessions' branches are never reused.
 */
export function nextMilestoneVersion(branches: readonly string[], rows: readonly ResultRow[]): number {
  const milestoneRows = rows.filter((row) => rowFacts(row).milestone);
  const versions = [
    ...branches.map(milestoneVersionOf),
    ...milestoneRows.map((row) => (isEmptyCell(row.target) ? undefined : milestoneVersionOf(row.target))),
  ].filter((v): v is number => v !== undefined);
  return Math.max(milestoneRows.length, ...versions, 0) + 1;
}

/** One target's cumulative change since its baseline. */
export interface TargetFigure {
  target: string;
  /** after/before since the baseline (below 1 = better). */
  ratio: number;
  /** 1 - ratio. */
  improvement: number;
  /** The experiments the figure covers. */
  experiments: number[];
}

/** The cumulative figure a milestone reports, and what it is. */
export interface CumulativeFigure {
  targets: TargetFigure[];
  /** What the numbers are, printed next to them: an estimate or a measurement. */
  label: string;
  /** True for a measurement of the baseline commit against HEAD; false for an estimate. */
  measured: boolean;
  /** Kept experiments left out of the figure because their rows give no ratio. */
  unmeasuredKeeps: number[];
  /** The figure in words: `+27.1% on src/price.ts#total (product of kept ratios)`. */
  text: string;
}

/** The text of a figure: each target's improvement, then its label and what it leaves out. */
export function figureText(targets: readonly TargetFigure[], label: string, unmeasuredKeeps: readonly number[]): string {
  const left = unmeasuredKeeps.length ? `; ${plural(unmeasuredKeeps.length, "keep")} without a ratio left out` : "";
  if (targets.length === 0) return `nothing measured yet (${label}: no kept ratios${left})`;
  return `${targets.map((t) => `${percentCell(t.improvement)} on ${t.target}`).join("; ")} (${label}${left})`;
}

/**
 * The estimate available from the record alone: per target, the kept after/before
 * ratios multiplied together. Labelled as such because gains measured one change at a
 * time need not add up to the gain of all of them (a real measurement may differ).
 */
export function productOfKeptRatios(state: LoopState): CumulativeFigure {
  const targets = state.cumulative
    .filter((entry) => entry.keptExperiments.length > 0)
    .map((entry) => ({ target: entry.target, ratio: entry.ratio, improvement: entry.improvement, experiments: [...entry.keptExperiments] }));
  const unmeasuredKeeps = state.cumulative.flatMap((entry) => entry.unmeasuredKeeps);
  const label = "product of kept ratios";
  return { targets, label, measured: false, unmeasuredKeeps, text: figureText(targets, label, unmeasuredKeeps) };
}

/** What the cumulative figure may be computed from. */
export interface CumulativeRequest {
  /** The repository root. */
  root: string;
  /** The commit before the first optimization (the first baseline row's), when recorded. */
  baselineCommit: string | undefined;
  /** The full hash of HEAD, where the milestone branch goes. */
  head: string;
  state: LoopState;
  /** The measuring options the user gave `xloop milestone` (--time, --rounds, --cases, …). */
  options: Readonly<Record<string, unknown>>;
  signal: AbortSignal;
  /** Status lines (stderr). */
  log: (line: string) => void;
}

/** `[milestone] v2 — 4/7 kept, cumulative +27.1% on … (product of kept ratios)`, the milestone line of docs/loop.md. */
export function milestoneLine(version: number, state: Pick<LoopState, "keeps" | "experiments">, figure: CumulativeFigure): string {
  return `[milestone] v${version} — ${state.keeps}/${state.experiments} kept, cumulative ${figure.text}`;
}

/** The after/before ratio a milestone row records: the one target's, or none when there are several. */
export function milestoneRatio(figure: CumulativeFigure): TargetFigure | undefined {
  return figure.targets.length === 1 ? figure.targets[0] : undefined;
}
