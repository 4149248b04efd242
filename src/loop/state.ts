/**
 * Where the loop stands, computed from the record alone: counts, discard streaks,
 * cumulative improvement per target, milestones and open escalations.
 *
 * Conventions this relies on (see record/row-kinds.ts):
 * - An experiment's outcome is its last keep or discard row: a rework re-records the
 *   same number, and an end-to-end check may rewrite a keep into a discard.
 * - Only keeps break a discard streak; baseline, measurement and escalate rows are not
 *   experiments and neither break nor extend one.
 * - A milestone is a `measurement` row with pattern `milestone`; callers may instead
 *   pass the milestone experiment numbers. Keeps count towards the next milestone when
 *   their experiment number is above the last milestone's.
 * - An escalation stays open until a later keep, discard or baseline row shows the
 *   user decided to carry on (in this domain or, after a new baseline, another).
 */
import type { ResultRow } from "../record/columns.ts";
import { rowFacts } from "../record/facts.ts";
import type { Escalation } from "../record/row-kinds.ts";

/** Each experiment's final keep or discard row, in the order the outcomes were recorded. */
export function experimentOutcomes(rows: readonly ResultRow[]): ResultRow[] {
  const last = new Map<number, { row: ResultRow; index: number }>();
  rows.forEach((row, index) => {
    if (row.status === "keep" || row.status === "discard") last.set(row.experiment, { row, index });
  });
  return [...last.values()].sort((a, b) => a.index - b.index).map((entry) => entry.row);
}

/** Progress on one target: the kept ratios multiplied together since its latest baseline. */
export interface TargetProgress {
  target: string;
  /** Kept experiments counted, in order. */
  keptExperiments: number[];
  /** Product of the kept after/before ratios (1 = no change). */
  ratio: number;
  /** 1 - ratio: the estimated improvement since the baseline. */
  improvement: number;
  /** Says what the figure is: an estimate from multiplying ratios, not a measurement of baseline against HEAD. */
  label: "product of kept ratios";
  /** Kept experiments whose rows give no ratio, left out of the product. */
  unmeasuredKeeps: number[];
}

/** Everything `xloop status` reports about the record. */
export interface LoopState {
  /** The domain of the latest row that names one. */
  domain: string | undefined;
  /** The latest baseline row: the start of the current session's measurements. */
  baseline: ResultRow | undefined;
  /** Experiments with an outcome (keep or discard), each counted once. */
  experiments: number;
  keeps: number;
  discards: number;
  /** Escalate rows, open or not. */
  escalations: number;
  /** Final keep/discard row of each experiment, in order. */
  outcomes: ResultRow[];
  /** Consecutive discards at the end of the record. */
  discardStreak: number;
  /** The patterns of the discards in that streak, oldest first. */
  streakPatterns: string[];
  /** Per pattern: its consecutive discards since its own last keep (other patterns' experiments in between do not break it). */
  patternStreaks: Record<string, number>;
  /** Cumulative improvement per target, in order of first appearance. */
  cumulative: TargetProgress[];
  /** Experiment numbers of the milestones, in order. */
  milestones: number[];
  keepsSinceMilestone: number;
  openEscalations: Escalation[];
}

function cumulativeByTarget(rows: readonly ResultRow[], outcomes: readonly ResultRow[]): TargetProgress[] {
  const latestBaseline = new Map<string, number>();
  rows.forEach((row, index) => {
    const target = rowFacts(row).target;
    if (row.status === "baseline" && target !== undefined) latestBaseline.set(target, index);
  });
  const position = new Map(rows.map((row, index) => [row, index]));
  const progress = new Map<string, TargetProgress>();
  const touch = (target: string): TargetProgress => {
    let entry = progress.get(target);
    if (!entry) {
      entry = { target, keptExperiments: [], ratio: 1, improvement: 0, label: "product of kept ratios", unmeasuredKeeps: [] };
      progress.set(target, entry);
    }
    return entry;
  };
  for (const row of rows) {
    const target = rowFacts(row).target;
    if (row.status === "baseline" && target !== undefined) touch(target);
  }
  for (const row of outcomes) {
    const { target, ratio } = rowFacts(row);
    if (row.status !== "keep" || target === undefined) continue;
    const since = latestBaseline.get(target);
    if (since !== undefined && position.get(row)! < since) continue;
    const entry = touch(target);
    if (ratio === undefined) entry.unmeasuredKeeps.push(row.experiment);
    else {
      entry.keptExperiments.push(row.experiment);
      entry.ratio *= ratio;
      entry.improvement = 1 - entry.ratio;
    }
  }
  return [...progress.values()];
}

function openEscalations(rows: readonly ResultRow[]): Escalation[] {
  const open: Escalation[] = [];
  for (const row of rows) {
    const escalation = rowFacts(row).escalation;
    if (escalation) open.push(escalation);
    else if (row.status === "keep" || row.status === "discard" || row.status === "baseline") open.length = 0;
  }
  return open;
}

/**
 * Summarises the record. `milestones`, when given, lists the milestone experiment
 * numbers and replaces the milestone rows of the record.
 */
export function summarize(rows: readonly ResultRow[], options: { milestones?: readonly number[] } = {}): LoopState {
  const outcomes = experimentOutcomes(rows);
  const keeps = outcomes.filter((row) => row.status === "keep");

  let discardStreak = 0;
  while (discardStreak < outcomes.length && outcomes[outcomes.length - 1 - discardStreak]!.status === "discard") discardStreak++;
  const streakPatterns = outcomes.slice(outcomes.length - discardStreak).map((row) => rowFacts(row).pattern);

  const patternStreaks: Record<string, number> = {};
  for (const row of outcomes) {
    const pattern = rowFacts(row).pattern;
    patternStreaks[pattern] = row.status === "keep" ? 0 : (patternStreaks[pattern] ?? 0) + 1;
  }

  const milestones = [...(options.milestones ?? rows.filter((row) => rowFacts(row).milestone).map((row) => row.experiment))].sort((a, b) => a - b);
  const lastMilestone = milestones.at(-1) ?? -Infinity;

  return {
    domain: rows.map((row) => rowFacts(row).domain).findLast((domain) => domain !== undefined),
    baseline: rows.findLast((row) => row.status === "baseline"),
    experiments: outcomes.length,
    keeps: keeps.length,
    discards: outcomes.length - keeps.length,
    escalations: rows.filter((row) => row.status === "escalate").length,
    outcomes,
    discardStreak,
    streakPatterns,
    patternStreaks,
    cumulative: cumulativeByTarget(rows, outcomes),
    milestones,
    keepsSinceMilestone: keeps.filter((row) => row.experiment > lastMilestone).length,
    openEscalations: openEscalations(rows),
  };
}
