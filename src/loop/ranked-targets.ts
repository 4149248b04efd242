/**
 * The ranked list the plateau stop reads: the profile's `.codeflash/bottlenecks.json`
 * when there is one, else the record's own targets (src/loop/remaining.ts), each with
 * the state a person or agent gave it (`xloop target done|open`). Pure: the caller reads
 * the file and the record.
 */
import type { ResultRow } from "../record/columns.ts";
import { targetStates } from "../record/facts.ts";
import type { Bottlenecks } from "./bottlenecks-file.ts";
import type { LoopConfig } from "./config.ts";
import type { RemainingTarget } from "./next-action.ts";
import { rankRemainingTargets } from "./remaining.ts";

/** The ranked targets and where their ranking came from. */
export interface RankedTargets {
  source: "profile" | "record";
  targets: RemainingTarget[];
}

/** The name a candidate goes by in the record: its target spec, else `file#function`. */
export function candidateTarget(candidate: Bottlenecks["candidates"][number]): string {
  return candidate.target ?? `${candidate.file}#${candidate.name}`;
}

/**
 * The remaining targets, best first, with their judged states: marked non-optimizable
 * (with why), judged optimizable, or unchecked. Targets only a state row names (marked
 * before any experiment touched them) follow the record's ranking.
 */
export function rankedTargets(bottlenecks: Bottlenecks | undefined, rows: readonly ResultRow[], config: LoopConfig): RankedTargets {
  const states = targetStates(rows);
  const ranked: RemainingTarget[] = bottlenecks
    ? bottlenecks.candidates.map((c) => ({ target: candidateTarget(c), category: c.category ?? undefined, estimate: `${(c.impact * 100).toFixed(0)}% of the time` }))
    : rankRemainingTargets(rows, config);
  if (!bottlenecks) {
    const named = new Set(ranked.map((t) => t.target));
    for (const target of states.keys()) if (!named.has(target)) ranked.push({ target });
  }
  const targets = ranked.map((entry) => {
    const state = states.get(entry.target);
    if (!state) return { ...entry, unchecked: true };
    return state.nonOptimizable ? { ...entry, nonOptimizable: true, why: state.why ?? "non-optimizable" } : { ...entry, nonOptimizable: false };
  });
  return { source: bottlenecks ? "profile" : "record", targets };
}
