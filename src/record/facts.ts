/**
 * What the code decides with, read out of a row's text cells once. The row itself stays
 * the text the file holds (and what `--json` prints); these are its typed facts, so no
 * layer above re-parses a figure, a guard spelling or an escalation's wording.
 */
import { guardVerdictOf, isEmptyCell, type GuardVerdict, type ResultRow } from "./columns.ts";
import { parseNumberCell, rowRatio } from "./figures.ts";
import { escalationOf, isMilestone, targetStateOf, type Escalation, type TargetState } from "./row-kinds.ts";

/** One row's facts, each read from its cells the way the record's own readers read them. */
export interface RowFacts {
  /** The pattern a row is counted under in streaks and rotation: trimmed, lower case, `(none)` when empty. */
  pattern: string;
  /** The target, trimmed; undefined when the cell is empty. */
  target: string | undefined;
  /** The domain, trimmed and lower case; undefined when the cell is empty. */
  domain: string | undefined;
  /** after/before (below 1 = better) from the best evidence the row holds (see rowRatio). */
  ratio: number | undefined;
  /** 1 - ratio: the improvement, positive = better. */
  gain: number | undefined;
  /** The ratio's confidence interval; undefined unless both bounds are numbers. */
  ci: readonly [low: number, high: number] | undefined;
  guard: GuardVerdict;
  /** Set for an escalate row. */
  escalation: Escalation | undefined;
  /** True for a milestone row. */
  milestone: boolean;
  /** Set for a target-state row (`xloop target done|open`). */
  targetState: TargetState | undefined;
}

// Rows are never changed once made (a rewrite makes a new row), so a row's facts can be
// kept with it: the loop's reports ask for the same row's figures many times over.
const known = new WeakMap<ResultRow, RowFacts>();

function read(row: ResultRow): RowFacts {
  const ratio = rowRatio(row);
  const low = parseNumberCell(row.ci_low);
  const high = parseNumberCell(row.ci_high);
  return {
    pattern: isEmptyCell(row.pattern) ? "(none)" : row.pattern.trim().toLowerCase(),
    target: isEmptyCell(row.target) ? undefined : row.target.trim(),
    domain: isEmptyCell(row.domain) ? undefined : row.domain.trim().toLowerCase(),
    ratio,
    gain: ratio === undefined ? undefined : 1 - ratio,
    ci: low !== undefined && high !== undefined ? [low, high] : undefined,
    guard: guardVerdictOf(row),
    escalation: escalationOf(row),
    milestone: isMilestone(row),
    targetState: targetStateOf(row),
  };
}

/** A row's facts, read from its cells the first time they are asked for. */
export function rowFacts(row: ResultRow): RowFacts {
  let facts = known.get(row);
  if (!facts) {
    facts = read(row);
    known.set(row, facts);
  }
  return facts;
}

/** Each target's latest judged state, by target. */
export function targetStates(rows: readonly ResultRow[]): Map<string, TargetState> {
  const states = new Map<string, TargetState>();
  for (const row of rows) {
    const state = rowFacts(row).targetState;
    if (state) states.set(state.target, state);
  }
  return states;
}
