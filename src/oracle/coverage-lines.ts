/**
 * From V8's block coverage of one script to the source lines it executed. Pure: the
 * capture worker takes the coverage (src/oracle/line-coverage.ts), this turns offsets
 * into lines, through the script's source map when it was transpiled (TypeScript).
 */

/** One range of V8's precise coverage: character offsets into the script's source and how often it ran. */
export interface CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}

/** Maps a 0-based line and column of the generated script to a 1-based line of the original file, if it has one. */
export type LineMapper = (line: number, column: number) => number | undefined;

/** The identity mapping, for a script that is the file as written (JavaScript). */
export const sameLines: LineMapper = (line) => line + 1;

/** Each character's count from its innermost (smallest) range; -1 where no range reports it. */
function characterCounts(length: number, ranges: readonly CoverageRange[]): Int32Array {
  const counts = new Int32Array(length).fill(-1);
  // Outer ranges first, so nested functions and blocks overwrite their parents' counts.
  const ordered = [...ranges].sort((a, b) => b.endOffset - b.startOffset - (a.endOffset - a.startOffset));
  for (const range of ordered) counts.fill(range.count, Math.max(0, range.startOffset), Math.min(length, range.endOffset));
  return counts;
}

/**
 * The original lines holding generated code (`mapped`) and those of them some of whose
 * code ran (`executed`, a character with a count above zero), for one script's source
 * and its coverage ranges. A line of a TypeScript file with no generated code (a type,
 * an interface) is in neither set: it cannot run.
 */
export function linesOfCoverage(source: string, ranges: readonly CoverageRange[], mapLine: LineMapper = sameLines): { mapped: Set<number>; executed: Set<number> } {
  const counts = characterCounts(source.length, ranges);
  const mapped = new Set<number>();
  const executed = new Set<number>();
  let line = 0;
  let column = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10) {
      line++;
      column = 0;
      continue;
    }
    if (c !== 32 && c !== 9 && c !== 13) {
      const original = mapLine(line, column);
      if (original !== undefined) {
        mapped.add(original);
        if (counts[i]! > 0) executed.add(original);
      }
    }
    column++;
  }
  return { mapped, executed };
}

/**
 * The lines worth checking among a change's lines: not blank, not only a comment or a
 * closing bracket (they run with whatever encloses them, or never by themselves).
 */
export function codeLines(text: string, lines: readonly number[]): number[] {
  const all = text.split("\n");
  return lines.filter((n) => {
    const line = (all[n - 1] ?? "").trim();
    return line !== "" && !/^(\/\/|\/\*|\*)/.test(line) && !/^[)\]};,]+$/.test(line);
  });
}
