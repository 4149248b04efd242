/** One-line descriptions of experiments, shared by learnings.md and HANDOFF.md so both tell the same story. */
import { isEmptyCell, type ResultRow } from "../record/columns.ts";
import { rowFacts } from "../record/facts.ts";
import { percentCell } from "../record/figures.ts";

/** What was done: the description with its pattern, or the pattern alone. */
export function techniqueOf(row: ResultRow): string {
  const pattern = rowFacts(row).pattern;
  return isEmptyCell(row.description) ? pattern : `${row.description} (${pattern})`;
}

/** `1 keep`, `2 keeps`: counts read as English in every message. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Markdown list items must stay on one line, whatever a description holds. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").replace(/\t/g, " ");
}

function targetOf(row: ResultRow): string {
  return isEmptyCell(row.target) ? "(no target recorded)" : row.target;
}

/** The improvement as recorded, else from the ratio, else undefined. */
function improvementOf(row: ResultRow): string | undefined {
  if (!isEmptyCell(row.improvement)) return row.improvement;
  const gain = rowFacts(row).gain;
  return gain === undefined ? undefined : percentCell(gain);
}

/** The figures behind a result: before → after, the ratio's interval, the end-to-end ratio. */
function figuresOf(row: ResultRow): string[] {
  const figures: string[] = [];
  if (!isEmptyCell(row.before) && !isEmptyCell(row.after)) figures.push(`${row.before} → ${row.after}`);
  const ci = rowFacts(row).ci;
  if (!isEmptyCell(row.ratio)) figures.push(ci ? `${row.ratio}x [${ci[0]}, ${ci[1]}]` : `${row.ratio}x`);
  if (!isEmptyCell(row.e2e_ratio)) figures.push(`e2e ${row.e2e_ratio}x`);
  figures.push(`experiment ${row.experiment}`);
  return figures;
}

/** `<technique> on <target> gave <improvement> (<figures>)`, the "What worked" line of docs/loop.md. */
export function describeKeep(row: ResultRow): string {
  const improvement = improvementOf(row) ?? "an unmeasured gain";
  return oneLine(`${techniqueOf(row)} on ${targetOf(row)} gave ${improvement} (${figuresOf(row).join("; ")})`);
}

/** `<technique> on <target> — <why>`, the "What didn't work" line of docs/loop.md, with the figures. */
export function describeDiscard(row: ResultRow): string {
  const why = isEmptyCell(row.reason) ? "no reason recorded" : row.reason;
  const improvement = improvementOf(row);
  const figures = [...(improvement ? [improvement] : []), ...figuresOf(row)];
  return oneLine(`${techniqueOf(row)} on ${targetOf(row)} — ${why} (${figures.join("; ")})`);
}
