/** The ranked bottleneck list as a terminal table and as lines of text. Pure. */
import type { RankedFunction } from "../profile/rank.ts";
import { renderTable } from "./table.ts";

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** The estimated impact as the list prints it: the Amdahl ceiling of the workload's CPU time. */
export function impactText(impact: number): string {
  return `up to ${percent(impact)} of CPU time`;
}

/** The table: rank, shares, times, calls, function, place, domain, category, impact. */
export function renderRankedTable(ranked: readonly RankedFunction[]): string {
  const rows = ranked.map((r) => [
    String(r.rank),
    percent(r.selfShare),
    percent(r.totalShare),
    ms(r.selfMs),
    ms(r.totalMs),
    r.calls === null ? "?" : String(r.calls),
    r.name,
    `${r.file}:${r.line}`,
    r.domain,
    r.category ?? "-",
    impactText(r.impact),
  ]);
  return renderTable(["rank", "self", "total", "self ms", "total ms", "calls", "function", "file:line", "domain", "category", "est. impact"], rows, [6, 7, 8, 9, 10]);
}
