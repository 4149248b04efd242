/**
 * Reading `results.tsv` text into rows: lenient where the meaning is clear (a file edited
 * by hand or written by an agent following docs/loop.md), a one-line error naming the line
 * where it is not. Parsing never changes the file.
 */
import { UserError } from "../errors.ts";
import {
  EMPTY,
  LOOP_COLUMNS,
  RESULT_COLUMNS,
  STATUSES,
  guardCell,
  isStatus,
  type GuardVerdict,
  type ResultCells,
  type ResultRow,
  type Status,
} from "./columns.ts";
import { unescapeCell } from "./escape.ts";

/** A parsed record: the header as the file spells it (lower-cased) and its rows in file order. */
export interface ParsedResults {
  /** Column names in the file's order; empty when the file has no header yet. */
  columns: string[];
  rows: ResultRow[];
}

/** The header xloop writes; a file without one gets it on the first append. */
export const HEADER_LINE = RESULT_COLUMNS.join("\t");

const KNOWN = new Set<string>(RESULT_COLUMNS);
// A guard token in the status column is the guard cell's own spelling (guard_pass, guard_fail).
const GUARD_TOKENS: Record<string, GuardVerdict> = Object.fromEntries((["pass", "fail"] as const).map((verdict) => [guardCell(verdict), verdict]));

function fail(file: string, line: number, problem: string): never {
  throw new UserError(`${file} line ${line}: ${problem}`);
}

function parseHeader(text: string, file: string, line: number): string[] {
  const columns = text.split("\t").map((name) => name.trim().toLowerCase());
  if (!columns.includes("experiment") || !columns.includes("status")) {
    fail(
      file,
      line,
      `expected the header row (\`${LOOP_COLUMNS.join(" ")}\` …, tab-separated) but it has no experiment and status columns; add the header as the first line`,
    );
  }
  const seen = new Set<string>();
  for (const name of columns) {
    if (name === "") fail(file, line, "the header has an empty column name; name it or remove the stray tab");
    if (seen.has(name)) fail(file, line, `the header names column "${name}" twice; remove one`);
    seen.add(name);
  }
  return columns;
}

/**
 * Reads the status cell. An agent following docs/loop.md by hand also records the guard in the status column
 * (`keep guard_pass`), so a guard token next to the status is accepted and returned apart.
 */
function parseStatus(cell: string, file: string, line: number): { status: Status; guard?: GuardVerdict } {
  const tokens = cell.trim().toLowerCase().split(/[\s,;+/()]+/).filter(Boolean);
  const statuses = tokens.filter(isStatus);
  const guards = tokens.filter((token) => token in GUARD_TOKENS);
  const unknown = tokens.filter((token) => !isStatus(token) && !(token in GUARD_TOKENS));
  if (statuses.length !== 1 || unknown.length > 0 || guards.length > 1) {
    fail(file, line, `unknown status "${cell.trim()}"; use one of ${STATUSES.join(", ")}`);
  }
  return { status: statuses[0] as Status, guard: guards[0] === undefined ? undefined : GUARD_TOKENS[guards[0]] };
}

function parseExperiment(cell: string, file: string, line: number): number {
  const text = cell.trim();
  if (!/^\d+$/.test(text)) {
    fail(file, line, `experiment "${text}" is not a whole number; the experiment column numbers the experiments 1, 2, 3, …`);
  }
  return Number(text);
}

/**
 * How many cells a row must have: the loop's own nine (as positioned by this header),
 * except an escalation written by hand as docs/loop.md describes (`N ESCALATE <signal> suggests <domain>`),
 * whose four cells say all it means.
 */
function requiredCells(columns: string[], status: Status): number {
  const loopPositions = LOOP_COLUMNS.map((name) => columns.indexOf(name)).filter((index) => index >= 0);
  const needed = Math.max(...loopPositions) + 1;
  return status === "escalate" ? Math.min(needed, 4) : needed;
}

function parseRow(text: string, columns: string[], file: string, line: number): ResultRow {
  let cells = text.split("\t");
  if (cells.length > columns.length) {
    // Trailing empty cells (stray tabs at the end of a hand-edited line) carry nothing.
    const extra = cells.slice(columns.length);
    if (extra.every((cell) => cell.trim() === "")) cells = cells.slice(0, columns.length);
    else {
      fail(
        file,
        line,
        `${cells.length} cells but the header has ${columns.length} columns; a tab inside a cell must be written as \\t, or add the column to the header`,
      );
    }
  }
  const experimentCell = cells[columns.indexOf("experiment")];
  const statusCell = cells[columns.indexOf("status")];
  if (experimentCell === undefined || statusCell === undefined) {
    fail(file, line, `${cells.length} cells is too few to hold the experiment and status; fill missing cells with ${EMPTY}`);
  }
  const experiment = parseExperiment(experimentCell, file, line);
  const { status, guard } = parseStatus(statusCell, file, line);
  const needed = requiredCells(columns, status);
  if (cells.length < needed) {
    fail(
      file,
      line,
      `${cells.length} cells but a row needs at least the loop's ${needed} (${columns.slice(0, needed).join(" ")}); fill missing cells with ${EMPTY}`,
    );
  }
  const known = {} as { -readonly [K in keyof ResultCells]: string };
  for (const column of RESULT_COLUMNS) {
    if (column !== "experiment" && column !== "status") known[column] = EMPTY;
  }
  const extra: Record<string, string> = {};
  columns.forEach((name, index) => {
    if (name === "experiment" || name === "status") return;
    const raw = cells[index];
    const value = raw === undefined || raw.trim() === "" ? EMPTY : unescapeCell(raw);
    if (KNOWN.has(name)) known[name as keyof ResultCells] = value;
    else extra[name] = value;
  });
  if (guard && known.guard === EMPTY) known.guard = guard;
  // Key order is what `--json` prints: experiment, status, extra, line, then the cells in column order.
  return { experiment, status, extra, line, ...known };
}

/**
 * The header of a results file: its columns and 1-based line, or undefined when the
 * file has no non-blank line yet. Reads nothing past the header, so appending a row
 * never fails over a broken row elsewhere.
 */
export function readHeader(text: string, file: string): { columns: string[]; line: number } | undefined {
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const content = lines[index]!.replace(/\r$/, "");
    if (content.trim() !== "") return { columns: parseHeader(content, file, index + 1), line: index + 1 };
  }
  return undefined;
}

/**
 * Parses the text of a results file. `file` names it in errors. Blank lines are skipped,
 * columns are matched by the header's names (any order, any case), missing trailing cells
 * read as `-`, unknown columns are kept in `extra`; anything whose meaning is not clear
 * throws a UserError naming the file and line.
 */
export function parseResults(text: string, file: string): ParsedResults {
  const lines = text.split("\n");
  let columns: string[] = [];
  const rows: ResultRow[] = [];
  lines.forEach((raw, index) => {
    const content = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (content.trim() === "") return;
    if (columns.length === 0) columns = parseHeader(content, file, index + 1);
    else {
      // The last line without its line end and short of cells is a row whose write was cut off.
      const cells = content.split("\t").length;
      if (index === lines.length - 1 && cells < columns.length) {
        fail(file, index + 1, `the row is cut short (${cells} of ${columns.length} columns and no line end): a write was interrupted; complete the row or delete the line`);
      }
      rows.push(parseRow(content, columns, file, index + 1));
    }
  });
  return { columns, rows };
}
