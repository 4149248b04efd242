/**
 * `--export-bmf`: Bencher Metric Format, which `bencher run --adapter json` ingests:
 * `{"<benchmark>": {"latency": {"value", "lower_value", "upper_value"}}}`, nanoseconds.
 * The value is the median (head's, for a comparison) and the bounds its 95% interval;
 * failed benchmarks are left out, since a zero would read as a measurement.
 */
import type { ExportEntry } from "./entries.ts";

/** One BMF metric: a value and, when known, its interval. */
export interface BmfMetric {
  value: number;
  lower_value?: number;
  upper_value?: number;
}

/** The BMF document: benchmark name to measure (`latency`) to metric. */
export type BmfDocument = Record<string, { latency: BmfMetric }>;

/** Builds the BMF document from the entries that have figures. */
export function bmfDocument(entries: ExportEntry[]): BmfDocument {
  const document: BmfDocument = {};
  for (const e of entries) {
    if (!e.latency || !Number.isFinite(e.latency.medianNs)) continue;
    const metric: BmfMetric = { value: e.latency.medianNs };
    const ci = e.latency.ciNs;
    if (ci && Number.isFinite(ci[0]) && Number.isFinite(ci[1])) {
      metric.lower_value = Math.min(ci[0], e.latency.medianNs);
      metric.upper_value = Math.max(ci[1], e.latency.medianNs);
    }
    document[e.name] = { latency: metric };
  }
  return document;
}

/** The BMF file's text. */
export function renderBmf(entries: ExportEntry[]): string {
  return `${JSON.stringify(bmfDocument(entries), null, 2)}\n`;
}
