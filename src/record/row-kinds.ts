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
 * The row `xloop escalate` records, laid out as the loop design logs it
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

/** Reads an escalate row, whether xloop wrote it or a person or the loop design's agent did. */
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
