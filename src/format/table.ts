/**
 * Renders rows as a plain text table with columns padded to fit; the first column and
 * the `textColumns` (indexes) are left-aligned, the others (numbers) right-aligned.
 */
export function renderTable(header: string[], rows: string[][], textColumns: readonly number[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const left = (i: number) => i === 0 || textColumns.includes(i);
  const line = (cells: string[]) =>
    cells.map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** Renders rows as a GitHub-flavoured markdown table. */
export function renderMarkdownTable(header: string[], rows: string[][]): string {
  const escape = (c: string) => c.replace(/\|/g, "\\|");
  const line = (cells: string[]) => `| ${cells.map(escape).join(" | ")} |`;
  return [line(header), `|${header.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`, ...rows.map(line)].join("\n");
}

/** Renders rows as tab-separated values; tabs and newlines inside cells become spaces. */
export function renderTsv(header: string[], rows: (string | number)[][]): string {
  const clean = (c: string | number) => String(c).replace(/[\t\r\n]+/g, " ");
  return [header, ...rows].map((r) => r.map(clean).join("\t")).join("\n");
}
