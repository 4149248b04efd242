/**
 * The two rows that are not experiments but loop events: an escalation to another domain
 * and a milestone. Their shapes are fixed here so writers and readers agree.
 */
import { isEmptyCell, newRow, type ResultRow } from "./columns.ts";

/** A cross-domain escalation found in the record. */
export interface Escalation {
  experiment: number;
  /** What was observed, e.g. "peak heap dominates runtime". */
  signal: string;
  /** The domain it suggests, or undefined when the row does not say. */
  suggests: string | undefined;
  /** The domain the session was optimizing when it escalated, when recorded. */
  from: string | undefined;
}

/**
 * The row `xloop escalate` records, laid out as docs/loop.md logs an escalation
 * (`experiment N | ESCALATE | <signal> | suggests <domain>`): the signal in the pattern
 * column, `suggests <domain>` in the target column; xloop's own columns repeat both.
 */
export function escalationRow(fields: {
  experiment: number;
  signal: string;
  suggests: string;
  from?: string;
  timestamp?: string;
  commit?: string;
}): ResultRow {
  return newRow({
    experiment: fields.experiment,
    status: "escalate",
    pattern: fields.signal,
    target: `suggests ${fields.suggests}`,
    timestamp: fields.timestamp,
    commit: fields.commit,
    domain: fields.from,
    description: fields.signal,
    reason: `suggests ${fields.suggests}`,
  });
}

/** Reads an escalate row, whether xloop wrote it or a person or an agent following docs/loop.md did. */
export function escalationOf(row: ResultRow): Escalation | undefined {
  if (row.status !== "escalate") return undefined;
  const signal = !isEmptyCell(row.description) ? row.description : row.pattern;
  const suggestion = /suggests\s+([\w-]+)/i.exec(`${row.target} ${row.reason}`);
  return {
    experiment: row.experiment,
    signal: isEmptyCell(signal) ? "(no signal recorded)" : signal,
    suggests: suggestion?.[1]?.toLowerCase(),
    from: isEmptyCell(row.domain) ? undefined : row.domain,
  };
}

/** The pattern that marks a milestone row (status `measurement`). */
export const MILESTONE_PATTERN = "milestone";

/**
 * The row `xloop milestone` records: status `measurement`, pattern `milestone`, the branch
 * in the target column and the cumulative figure in `improvement` (and `ratio`).
 */
export function milestoneRow(fields: {
  experiment: number;
  branch: string;
  commit: string;
  timestamp?: string;
  domain?: string;
  improvement?: string;
  ratio?: string;
  description?: string;
  /** The runtime that measured the cumulative figure; absent for an estimate. */
  runtime?: string;
}): ResultRow {
  return newRow({
    experiment: fields.experiment,
    status: "measurement",
    pattern: MILESTONE_PATTERN,
    target: fields.branch,
    commit: fields.commit,
    timestamp: fields.timestamp,
    domain: fields.domain,
    improvement: fields.improvement,
    ratio: fields.ratio,
    description: fields.description,
    runtime: fields.runtime,
  });
}

/** True for a milestone row (status `measurement`, pattern `milestone`, any case). */
export function isMilestone(row: ResultRow): boolean {
  return row.status === "measurement" && row.pattern.trim().toLowerCase() === MILESTONE_PATTERN;
}

/** The patterns of a target-state row: judged non-optimizable, or (re)judged optimizable. */
export const TARGET_STATE_PATTERNS = ["non-optimizable", "optimizable"] as const;

/** A target's state as a person or agent judged it (`xloop target done|open`). */
export interface TargetState {
  experiment: number;
  target: string;
  nonOptimizable: boolean;
  /** Why: the domain's criterion it meets, or a note. */
  why: string | undefined;
}

/**
 * The row `xloop target` records: status `measurement` (not an experiment, so streaks and
 * counts ignore it), pattern `non-optimizable` or `optimizable`, the target in the target
 * column and the reason in `description`.
 */
export function targetStateRow(fields: { experiment: number; target: string; nonOptimizable: boolean; why?: string; timestamp?: string; commit?: string; domain?: string }): ResultRow {
  return newRow({
    experiment: fields.experiment,
    status: "measurement",
    pattern: fields.nonOptimizable ? "non-optimizable" : "optimizable",
    target: fields.target,
    timestamp: fields.timestamp,
    commit: fields.commit,
    domain: fields.domain,
    description: fields.why,
    reason: fields.nonOptimizable ? `non-optimizable${fields.why ? `: ${fields.why}` : ""}` : "judged optimizable",
  });
}

/** Reads a target-state row; undefined for any other row. */
export function targetStateOf(row: ResultRow): TargetState | undefined {
  if (row.status !== "measurement" || isEmptyCell(row.target)) return undefined;
  const pattern = row.pattern.trim().toLowerCase();
  if (!(TARGET_STATE_PATTERNS as readonly string[]).includes(pattern)) return undefined;
  return { experiment: row.experiment, target: row.target.trim(), nonOptimizable: pattern === "non-optimizable", why: isEmptyCell(row.description) ? undefined : row.description };
}
