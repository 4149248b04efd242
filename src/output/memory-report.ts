/**
 * `bench --domain memory` output: per target, bytes allocated per call with its
 * interval, retained heap and its growth per call (a leak flagged), peak heap, peak
 * resident memory and GCs; as a table, TSV or markdown (JSON is the results themselves).
 */
import type { MemoryTargetResult } from "../memory/run-memory.ts";
import { formatBytes } from "../format/domain-units.ts";
import { renderMarkdownTable, renderTable, renderTsv } from "../format/table.ts";

const header = ["target", "allocated/call [95% CI]", "retained", "growth/call", "peak heap", "peak RSS", "GCs"];

function row(r: MemoryTargetResult): string[] {
  if (!r.ok) return [r.target, "error", "", "", "", "", ""];
  const s = r.stats;
  return [
    r.target,
    `${formatBytes(s.allocatedPerCall)} [${formatBytes(s.allocatedCi[0])}, ${formatBytes(s.allocatedCi[1])}]`,
    formatBytes(s.retained),
    s.leaking ? `${formatBytes(s.growthPerCall)} LEAK` : formatBytes(s.growthPerCall),
    formatBytes(s.peakHeap),
    s.peakRss === null ? "-" : formatBytes(s.peakRss),
    s.gcs === null ? "-" : String(s.gcs),
  ];
}

/** The terminal table, the errors, the leaks in words and how the heap was read. */
export function renderMemoryHuman(results: MemoryTargetResult[], measuredOn: string): string {
  const lines = [renderTable(header, results.map(row))];
  for (const r of results) {
    if (!r.ok) lines.push(`error: ${r.error.message}`);
    else if (r.stats.leaking) lines.push(`leak: ${r.target} keeps ${formatBytes(r.stats.growthPerCall)} more alive after every call (${formatBytes(r.stats.retained)} over the retention calls, after full GCs)`);
  }
  const measured = results.find((r) => r.ok);
  if (measured?.ok) lines.push(`measured on ${measuredOn} in ${measured.stats.processes} fresh processes per target; heap read as ${measured.stats.heapSource}`);
  return lines.join("\n");
}

/** Tab-separated, bytes. */
export function renderMemoryTsv(results: MemoryTargetResult[]): string {
  return renderTsv(
    ["target", "allocated_per_call_bytes", "ci_low", "ci_high", "retained_bytes", "growth_per_call_bytes", "leaking", "peak_heap_bytes", "peak_rss_bytes", "gcs"],
    results.map((r) =>
      r.ok
        ? [r.target, r.stats.allocatedPerCall, r.stats.allocatedCi[0], r.stats.allocatedCi[1], r.stats.retained, r.stats.growthPerCall, String(r.stats.leaking), r.stats.peakHeap, r.stats.peakRss ?? "", r.stats.gcs ?? ""]
        : [r.target, "", "", "", "", "", "", "", "", ""],
    ),
  );
}

/** A markdown table. */
export function renderMemoryMarkdown(results: MemoryTargetResult[]): string {
  return renderMarkdownTable(header, results.map(row));
}
