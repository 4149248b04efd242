/**
 * `--export-gab`: github-action-benchmark's `customSmallerIsBetter` input, an array of
 * `{name, unit, value, range, extra}`: value is the median in ns (head's, for a
 * comparison), range its 95% interval's half-width as "± x", extra what the action
 * shows beside it (the interval, replicates and, for a comparison, ratio and verdict).
 * Failed benchmarks are left out.
 */
import { formatDuration, formatRatio } from "../format/units.ts";
import type { ExportEntry } from "./entries.ts";

/** One benchmark as the action reads it. */
export interface GabEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

function significant(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** The action's array, from the entries that have figures. */
export function gabEntries(entries: ExportEntry[]): GabEntry[] {
  const out: GabEntry[] = [];
  for (const e of entries) {
    const l = e.latency;
    if (!l || !Number.isFinite(l.medianNs)) continue;
    const item: GabEntry = { name: e.name, unit: "ns", value: l.medianNs };
    const extra: string[] = [];
    if (l.ciNs && Number.isFinite(l.ciNs[0]) && Number.isFinite(l.ciNs[1])) {
      item.range = `± ${significant((l.ciNs[1] - l.ciNs[0]) / 2)}`;
      extra.push(`median ${formatDuration(l.medianNs)}, 95% CI [${formatDuration(l.ciNs[0])}, ${formatDuration(l.ciNs[1])}]`);
    } else {
      item.range = `± ${significant(l.stdevNs)}`;
      extra.push(`median ${formatDuration(l.medianNs)}, ± one standard deviation`);
    }
    extra.push(`${l.replicates} fresh ${e.comparison && l.ciNs === null ? "runs" : "workers"}`);
    const c = e.comparison;
    if (c) extra.push(`vs ${c.base}: ${formatRatio(c.ratio)} [${c.ci[0].toFixed(3)}, ${c.ci[1].toFixed(3)}] ${c.verdict}`);
    item.extra = extra.join("; ");
    out.push(item);
  }
  return out;
}

/** The file's text. */
export function renderGab(entries: ExportEntry[]): string {
  return `${JSON.stringify(gabEntries(entries), null, 2)}\n`;
}
