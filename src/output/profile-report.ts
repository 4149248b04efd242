/** The ranked bottleneck list as a terminal table and as lines of text. Pure. */
import type { RankedFunction } from "../profile/rank.ts";
import { formatBytes } from "../format/domain-units.ts";
import { renderTable } from "../format/table.ts";

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

/** The table: rank, shares, times, calls, allocations (when sampled), function, place, callers, domain, category, impact. */
export function renderRankedTable(ranked: readonly RankedFunction[]): string {
  const allocations = ranked.some((r) => r.allocatedBytes > 0);
  const header = ["rank", "self", "total", "self ms", "total ms", "calls", ...(allocations ? ["allocated"] : []), "function", "file:line", "called from", "domain", "category", "est. impact"];
  const rows = ranked.map((r) => [
    String(r.rank),
    percent(r.selfShare),
    percent(r.totalShare),
    ms(r.selfMs),
    ms(r.totalMs),
    r.calls === null ? "?" : String(r.calls),
    ...(allocations ? [formatBytes(r.allocatedBytes)] : []),
    r.name,
    `${r.file}:${r.line}`,
    r.callers.length === 0 ? "-" : r.callers.slice(0, 2).map((c) => c.name).join(", ") + (r.callers.length > 2 ? ", …" : ""),
    r.domain,
    r.category ?? "-",
    impactText(r.impact),
  ]);
  const firstText = header.indexOf("function");
  return renderTable(header, rows, header.map((_, i) => i).filter((i) => i >= firstText));
}
