/**
 * The remaining targets ranked from the record alone, for a hand-off nobody ranked by
 * hand (`xloop handoff` without `--target`). The record cannot know which targets are
 * non-optimizable, so none is flagged; what it does know is how far each target is from
 * the user's goal and whether it is still yielding.
 */
import { formatPercent } from "../format/units.ts";
import { percentCell } from "../record/figures.ts";
import type { ResultRow } from "../record/columns.ts";
import type { LoopConfig } from "./config.ts";
import type { RemainingTarget } from "./next-action.ts";
import { rowFacts } from "../record/facts.ts";
import { experimentOutcomes, summarize } from "./state.ts";

interface Candidate {
  target: string;
  order: number;
  goal: number | undefined;
  improvement: number;
  lastKeep: { experiment: number; gain: number | undefined } | undefined;
  /** Discards on this target since its last keep. */
  trailingDiscards: number;
  tried: number;
}

function candidates(rows: readonly ResultRow[], config: LoopConfig): Candidate[] {
  const state = summarize(rows);
  const byTarget = new Map<string, Candidate>();
  const touch = (target: string): Candidate => {
    let entry = byTarget.get(target);
    if (!entry) {
      const progress = state.cumulative.find((p) => p.target === target);
      entry = {
        target,
        order: byTarget.size,
        goal: config.targets[target],
        improvement: progress?.improvement ?? 0,
        lastKeep: undefined,
        trailingDiscards: 0,
        tried: 0,
      };
      byTarget.set(target, entry);
    }
    return entry;
  };
  // Goals name targets the user cares about even before any experiment touched them.
  for (const target of Object.keys(config.targets)) touch(target);
  for (const row of rows) {
    const target = rowFacts(row).target;
    if (row.status === "baseline" && target !== undefined) touch(target);
  }
  for (const row of experimentOutcomes(rows)) {
    const { target, gain } = rowFacts(row);
    if (target === undefined) continue;
    const entry = touch(target);
    entry.tried++;
    if (row.status === "keep") {
      entry.lastKeep = { experiment: row.experiment, gain };
      entry.trailingDiscards = 0;
    } else entry.trailingDiscards++;
  }
  return [...byTarget.values()];
}

function describe(candidate: Candidate): Pick<RemainingTarget, "estimate" | "why"> {
  const soFar = `${percentCell(candidate.improvement)} so far (product of kept ratios)`;
  const discards = candidate.trailingDiscards ? `; ${candidate.trailingDiscards} discarded since` : "";
  if (candidate.goal !== undefined) {
    return {
      estimate: `${formatPercent(candidate.goal - candidate.improvement)} more to reach the ${formatPercent(candidate.goal)} goal`,
      why: `${soFar}${discards}`,
    };
  }
  if (candidate.tried === 0) return { why: "no goal set; not tried yet" };
  if (!candidate.lastKeep) return { why: `no goal set; nothing kept yet (${candidate.trailingDiscards} discarded)` };
  const gain = candidate.lastKeep.gain === undefined ? "an unmeasured gain" : percentCell(candidate.lastKeep.gain);
  return { why: `no goal set; ${soFar}, the last keep gave ${gain} (experiment ${candidate.lastKeep.experiment})${discards}` };
}

/**
 * The targets the record names that have not reached the user's goal, best first:
 * targets with a goal come first, by the share still missing (the goal is what the
 * user asked for); then targets without one, by the gain of their latest keep (a target
 * still yielding is likelier to yield again), untried ones before ones that only failed,
 * and fewer discards since the last keep first. Ties keep the record's order.
 */
export function rankRemainingTargets(rows: readonly ResultRow[], config: LoopConfig): RemainingTarget[] {
  const open = candidates(rows, config).filter((c) => c.goal === undefined || c.improvement < c.goal);
  const potential = (c: Candidate): number => {
    if (c.lastKeep) return c.lastKeep.gain ?? 0;
    return c.tried === 0 ? -1 : -2;
  };
  open.sort((a, b) => {
    const goals = Number(b.goal !== undefined) - Number(a.goal !== undefined);
    if (goals !== 0) return goals;
    if (a.goal !== undefined && b.goal !== undefined) {
      const gap = b.goal - b.improvement - (a.goal - a.improvement);
      if (gap !== 0) return gap;
    } else {
      const yieldDiff = potential(b) - potential(a);
      if (yieldDiff !== 0) return yieldDiff;
    }
    return a.trailingDiscards - b.trailingDiscards || a.order - b.order;
  });
  return open.map((c) => ({ target: c.target, ...describe(c) }));
}
