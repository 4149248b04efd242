/**
 * Cell escaping for the tab-separated record: a tab or line break inside a description
 * would otherwise split one row into several, or one cell into two.
 */

const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
const UNESCAPES: Record<string, string> = { "\\": "\\", t: "\t", n: "\n", r: "\r" };

/** Escapes backslash, tab, newline and carriage return so the cell stays on one line, in one column. */
export function escapeCell(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (char) => ESCAPES[char]!);
}

/**
 * Reverses {@link escapeCell}. A backslash before any other character is kept as it is:
 * a hand-edited file may hold a Windows path, and its meaning is clear.
 */
export function unescapeCell(cell: string): string {
  return cell.replace(/\\(.?)/gs, (whole, next: string) => UNESCAPES[next] ?? whole);
}
