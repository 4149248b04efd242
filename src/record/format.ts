/** Writing rows as `results.tsv` lines, in whatever column order the file's header has. */
import { EMPTY, RESULT_COLUMNS, type ResultColumn, type ResultRow } from "./columns.ts";
import { escapeCell } from "./escape.ts";

const KNOWN = new Set<string>(RESULT_COLUMNS);

function cellText(value: string | number | undefined): string {
  if (value === undefined) return EMPTY;
  const text = String(value);
  return text === "" ? EMPTY : escapeCell(text);
}

/**
 * One row as a line (no trailing newline), its cells in `columns` order: the file's
 * header when appending to an existing file, so a row always lands under its names.
 * Columns the row does not know are written as `-`.
 */
export function formatResultRow(row: ResultRow, columns: readonly string[] = RESULT_COLUMNS): string {
  return columns
    .map((name) => {
      if (KNOWN.has(name)) return cellText(row[name as ResultColumn]);
      return cellText(row.extra[name]);
    })
    .join("\t");
}

/**
 * The header a file must have to hold `row`: the file's own columns, then any of xloop's
 * (and the row's unknown ones) it lacks, at the end, since new columns only ever go there.
 */
export function headerFor(existing: readonly string[], row: ResultRow): string[] {
  const wanted = [...RESULT_COLUMNS, ...Object.keys(row.extra)];
  const missing = wanted.filter((name) => !existing.includes(name));
  return [...existing, ...missing];
}
