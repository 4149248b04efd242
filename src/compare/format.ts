/** Cell formatting shared by the compare reports. */
import type { Revision } from "./refs.ts";
import { formatRatio } from "../format/units.ts";
import { formatBytes } from "../format/domain-units.ts";

/** "1a2b3c4 (HEAD~1)", or just the short hash when the ref was a hash. */
export function revisionTitle(revision: Revision): string {
  const ref = revision.ref;
  return ref === revision.short || revision.commit.startsWith(ref) ? revision.short : `${revision.short} (${ref})`;
}

/** A speedup (base/head) like 2.013x; "-" when unknown. */
export function formatSpeedup(speedup: number): string {
  return formatRatio(speedup);
}

/** A speedup interval like [1.990, 2.031]; "-" when unknown. */
export function formatInterval(ci: readonly [number, number]): string {
  return Number.isFinite(ci[0]) && Number.isFinite(ci[1]) ? `[${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}]` : "[-]";
}

/** base/head of two positive figures as a speedup cell. */
export function ratioCell(base: number | null | undefined, head: number | null | undefined): string {
  if (base == null || head == null || !(base > 0) || !(head > 0)) return "-";
  return formatSpeedup(base / head);
}

/** Bytes as the domain units print them; "-" when unknown. */
export function bytesOrDash(bytes: number | null): string {
  return bytes === null ? "-" : formatBytes(bytes);
}
