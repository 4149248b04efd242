/**
 * The next target from the ranked bottleneck list and the record: in rank order, skip
 * what the record marks done (non-optimizable) and targets where experiments keep
 * failing, and among the next three prefer one in a file or folder where wins cluster.
 * Pure.
 */
import type { ResultRow } from "../record/columns.ts";
import { rowFacts, targetStates } from "../record/facts.ts";
import type { BottleneckCandidate } from "./bottlenecks-file.ts";
import type { FailedPattern, Hotspot } from "./history.ts";
import { candidateTarget } from "./ranked-targets.ts";
import { experimentOutcomes } from "./state.ts";

/** What the record says, reduced to what the choice needs. */
export interface NextTargetContext {
  /** Targets marked non-optimizable in the record (`xloop target done`), with why. */
  done: ReadonlyMap<string, string>;
  hotspots: readonly Hotspot[];
  failedPatterns: readonly FailedPattern[];
  /** Per target (file#export): discards since its last keep. */
  trailingDiscards: ReadonlyMap<string, number>;
}

/** The choice, with why, and the candidates passed over. */
export interface NextTarget {
  candidate: BottleneckCandidate | undefined;
  reasons: string[];
  skipped: { candidate: BottleneckCandidate; why: string }[];
}

/** A target with this many discards since its last keep is passed over while others remain (docs/loop.md: a pattern or target failing 3+ times is avoided). */
const failuresToAvoid = 3;
/** How far down the open candidates a hotspot's candidate may be and still go first: wins cluster, but the ranking comes first. */
const hotspotReach = 3;

function inHotspot(candidate: BottleneckCandidate, hotspots: readonly Hotspot[]): Hotspot | undefined {
  return hotspots.find((h) => (h.kind === "file" ? candidate.file === h.path : candidate.file.startsWith(`${h.path.replace(/\/$/, "")}/`)));
}

/** Picks the next target; undefined candidate when every one is done or failing. */
export function chooseNextTarget(candidates: readonly BottleneckCandidate[], context: NextTargetContext): NextTarget {
  const skipped: NextTarget["skipped"] = [];
  const open: { candidate: BottleneckCandidate; hot: Hotspot | undefined }[] = [];
  for (const candidate of candidates) {
    const id = candidateTarget(candidate);
    if (context.done.has(id)) {
      skipped.push({ candidate, why: `marked non-optimizable: ${context.done.get(id)}` });
      continue;
    }
    const failures = context.trailingDiscards.get(id) ?? 0;
    if (failures >= failuresToAvoid) {
      skipped.push({ candidate, why: `${failures} discards since its last keep` });
      continue;
    }
    open.push({ candidate, hot: inHotspot(candidate, context.hotspots) });
  }
  open.sort((a, b) => a.candidate.rank - b.candidate.rank);
  const best = open.slice(0, hotspotReach).find((o) => o.hot) ?? open[0];
  if (!best) return { candidate: undefined, reasons: [], skipped };
  const reasons = [`rank ${best.candidate.rank} of the profile, ${(best.candidate.totalShare * 100).toFixed(1)}% of CPU time`];
  if (best.hot) reasons.push(`wins cluster in ${best.hot.path} (${best.hot.commits} improving commits)`);
  const avoid = context.failedPatterns.filter((p) => p.discards >= failuresToAvoid).map((p) => `${p.pattern} (${p.discards} discards)`);
  if (avoid.length > 0) reasons.push(`avoid patterns that keep failing: ${avoid.join(", ")}`);
  return { candidate: best.candidate, reasons, skipped };
}

/** The record's part of the context: targets marked non-optimizable, and discards since each target's last keep. */
export function recordContext(rows: readonly ResultRow[]): Pick<NextTargetContext, "done" | "trailingDiscards"> {
  const done = new Map<string, string>();
  for (const [target, state] of targetStates(rows)) if (state.nonOptimizable) done.set(target, state.why ?? "no reason given");
  const trailingDiscards = new Map<string, number>();
  for (const row of experimentOutcomes(rows)) {
    const target = rowFacts(row).target;
    if (target === undefined) continue;
    trailingDiscards.set(target, row.status === "keep" ? 0 : (trailingDiscards.get(target) ?? 0) + 1);
  }
  return { done, trailingDiscards };
}
