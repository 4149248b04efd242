/**
 * The shape of one `.codeflash/results.tsv` row: its columns, in file order, and the
 * statuses a row may carry.
 */

/** The record's first columns, in the order records written by hand already use. Never reorder. */
export const LOOP_COLUMNS = [
  "experiment",
  "status",
  "pattern",
  "target",
  "before",
  "after",
  "improvement",
  "timestamp",
  "commit",
] as const;

/**
 * xloop's columns, appended after the loop's own. New columns only ever go at the end,
 * so files written by older versions (or by hand, by an agent following docs/loop.md) stay readable.
 */
export const XLOOP_COLUMNS = [
  "domain",
  "ratio",
  "ci_low",
  "ci_high",
  "p",
  "guard",
  "files",
  "description",
  "reason",
  "e2e_before",
  "e2e_after",
  "e2e_ratio",
  "runtime",
  "metric",
] as const;

/** Every column xloop writes, in the order it writes them. */
export const RESULT_COLUMNS = [...LOOP_COLUMNS, ...XLOOP_COLUMNS] as const;

/** A column xloop knows by name. */
export type ResultColumn = (typeof RESULT_COLUMNS)[number];

/** The statuses a row may carry; the file may spell them in any case. */
export const STATUSES = ["baseline", "keep", "discard", "measurement", "escalate"] as const;

/** One row's status, always lower case once parsed. */
export type Status = (typeof STATUSES)[number];

/** The cell that means "no value". */
export const EMPTY = "-";

/**
 * How an experiment's guard went, the one spelling the code decides and counts with;
 * the record's cell, the JSON and the text are written from it at their edges.
 */
export type GuardVerdict = "pass" | "fail" | "skipped";

const GUARD_CELLS = { pass: "guard_pass", fail: "guard_fail", skipped: EMPTY } as const satisfies Record<GuardVerdict, string>;

/** A verdict's guard cell: `guard_pass`, `guard_fail`, or `-` when the guard did not run. */
export function guardCell(verdict: GuardVerdict): string {
  return GUARD_CELLS[verdict];
}

/**
 * A row's guard verdict: its cell as xloop writes it, or as a guard token written by hand
 * in the status column leaves it (`pass`, `fail`); anything else means the guard did not run.
 */
export function guardVerdictOf(row: Pick<ResultCells, "guard">): GuardVerdict {
  const cell = row.guard.trim().toLowerCase();
  if (cell === "pass" || cell === GUARD_CELLS.pass) return "pass";
  if (cell === "fail" || cell === GUARD_CELLS.fail) return "fail";
  return "skipped";
}

/**
 * The text cells of a row, every known column but `experiment` and `status`. Read-only:
 * a row's facts (record/facts.ts) are read once and kept with it, so a change makes a new row.
 */
export type ResultCells = { readonly [K in Exclude<ResultColumn, "experiment" | "status">]: string };

/**
 * One row of the record. Every text cell holds `-` when empty, never `""`, so a row
 * formats back to exactly what a reader of the file sees.
 */
export interface ResultRow extends ResultCells {
  /** The experiment number; rows of one experiment (e.g. reworks) may share it. */
  readonly experiment: number;
  readonly status: Status;
  /** Cells of columns this version of xloop does not know, by header name, so a rewrite loses nothing. */
  extra: Record<string, string>;
  /** The 1-based line the row was read from; absent for rows not read from a file. */
  line?: number;
}

/** True when `value` names a status (in any case). */
export function isStatus(value: string): value is Status {
  return (STATUSES as readonly string[]).includes(value.toLowerCase());
}

/** True when a cell holds no value (`-` or blank). */
export function isEmptyCell(cell: string | undefined): boolean {
  return cell === undefined || cell.trim() === "" || cell.trim() === EMPTY;
}

/**
 * A row with every cell not given set to `-`, so callers name only what they know.
 * Empty strings become `-` too: an empty cell in a TSV is invisible to a reader.
 */
export function newRow(
  fields: Partial<ResultCells> & { experiment: number; status: Status; extra?: Record<string, string> },
): ResultRow {
  const cells = {} as { -readonly [K in keyof ResultCells]: string };
  for (const column of RESULT_COLUMNS) {
    if (column === "experiment" || column === "status") continue;
    const value = fields[column];
    cells[column] = value === undefined || value === "" ? EMPTY : value;
  }
  // Key order is what `--json` prints: experiment, status, extra, then the cells in column order.
  return { experiment: fields.experiment, status: fields.status, extra: { ...(fields.extra ?? {}) }, ...cells };
}
