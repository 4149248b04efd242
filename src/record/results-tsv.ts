/**
 * The `.codeflash/results.tsv` record on disk: read it, append a row, rewrite one row.
 * Every write happens under the record's lock file, so concurrent xloop processes never
 * interleave or tear a row; reading never writes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../errors.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import type { ResultRow } from "./columns.ts";
import { formatResultRow, headerFor } from "./format.ts";
import { withFileLock, type LockOptions } from "./lock.ts";
import { parseResults, readHeader, type ParsedResults } from "./parse.ts";

function requireDirectory(file: string): void {
  const directory = path.dirname(file);
  if (!fs.existsSync(directory)) {
    throw new UserError(`no ${directory}${path.sep} directory for ${file}: run \`xloop init\` first`);
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Reads and parses the record. A missing file is an empty record (nothing measured yet);
 * a missing directory is a UserError saying to run `xloop init`.
 */
export function readResults(file: string): ParsedResults {
  requireDirectory(file);
  const text = readText(file);
  return text === undefined ? { columns: [], rows: [] } : parseResults(text, file);
}

/** Replaces the header line (1-based `line`) of `text`, leaving every other byte as it was. */
function replaceLine(text: string, line: number, content: string): string {
  const lines = text.split("\n");
  const old = lines[line - 1]!;
  lines[line - 1] = old.endsWith("\r") ? `${content}\r` : content;
  return lines.join("\n");
}

/**
 * Appends `row` to the record as one whole line, under the lock. A missing or empty file
 * is created with the header. When the file's header lacks some of xloop's columns (a
 * record from an older version or written by hand), they are added to
 * the end of the header first, atomically; earlier rows then read `-` there.
 */
export function appendResult(file: string, row: ResultRow, options: LockOptions = {}): void {
  requireDirectory(file);
  withFileLock(
    file,
    () => {
      const text = readText(file) ?? "";
      const header = readHeader(text, file);
      if (!header) {
        const columns = headerFor([], row);
        fs.appendFileSync(file, `${columns.join("\t")}\n${formatResultRow(row, columns)}\n`);
        return;
      }
      const columns = headerFor(header.columns, row);
      let current = text;
      if (columns.length !== header.columns.length) {
        current = replaceLine(text, header.line, columns.join("\t"));
        writeFileAtomic(file, current);
      }
      // A hand-edited file may lack its final newline; the row must not join that line.
      const separator = current.endsWith("\n") ? "" : "\n";
      fs.appendFileSync(file, `${separator}${formatResultRow(row, columns)}\n`);
    },
    options,
  );
}

/**
 * Rewrites the last row of experiment `experiment` with `update(row)`, under the lock,
 * atomically (temporary file, then rename). Every other line stays byte-identical.
 * Needed when an end-to-end check turns a keep into a discard. Returns the new row.
 */
export function rewriteResult(
  file: string,
  experiment: number,
  update: (row: ResultRow) => ResultRow,
  options: LockOptions = {},
): ResultRow {
  requireDirectory(file);
  return withFileLock(
    file,
    () => {
      const text = readText(file);
      if (text === undefined) throw new UserError(`${file} does not exist, so experiment ${experiment} cannot be rewritten`);
      const parsed = parseResults(text, file);
      const old = parsed.rows.findLast((row) => row.experiment === experiment);
      if (!old) throw new UserError(`${file} has no row for experiment ${experiment}; \`xloop results\` lists the experiments`);
      const updated = update({ ...old, extra: { ...old.extra } });
      const header = readHeader(text, file)!;
      const columns = headerFor(header.columns, updated);
      let next = replaceLine(text, old.line!, formatResultRow(updated, columns));
      if (columns.length !== header.columns.length) next = replaceLine(next, header.line, columns.join("\t"));
      writeFileAtomic(file, next);
      const { line: _line, ...rest } = updated;
      return { ...rest, line: old.line };
    },
    options,
  );
}

/** The number for the next experiment: one more than the highest recorded, 1 for an empty record. */
export function nextExperimentNumber(rows: readonly Pick<ResultRow, "experiment">[]): number {
  return rows.reduce((highest, row) => Math.max(highest, row.experiment), 0) + 1;
}
