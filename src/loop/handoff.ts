/**
 * `.codeflash/HANDOFF.md`: what a resumed session (or another person) needs to pick up
 * the loop — the baseline, where the loop stands, open escalations, what is left and
 * what was tried. Rewritten whole each time: it is a snapshot, not a log.
 */
import type { Domain } from "../domains/domains.ts";
import { isEmptyCell, type ResultRow } from "../record/columns.ts";
import { percentCell } from "../record/figures.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import { describeDiscard, describeKeep, plural } from "./describe.ts";
import type { NextAction, RemainingTarget } from "./next-action.ts";
import type { LoopState } from "./state.ts";

/** What the hand-off is built from. */
export interface HandoffInput {
  date: Date | string;
  domain: Domain;
  branch?: string;
  rows: readonly ResultRow[];
  /** From summarize(rows). */
  state: LoopState;
  /** From nextAction(...), when the caller computed it. */
  next?: NextAction;
  /** The ranked remaining targets, best first. */
  remainingTargets?: readonly RemainingTarget[];
  /**
   * True when a person or agent ranked the targets (`--target`) rather than xloop from
   * the record: the section is marked so a later rewrite (an escalation) keeps that ranking.
   */
  targetsGiven?: boolean;
  /** Overrides the baseline commit found in the record. */
  baselineCommit?: string;
}

function stamp(date: Date | string): string {
  return typeof date === "string" ? date : date.toISOString().replace(/\.\d+Z$/, "Z");
}

function baselineSection(input: HandoffInput): string[] {
  const baseline = input.state.baseline;
  const commit = input.baselineCommit ?? (baseline && !isEmptyCell(baseline.commit) ? baseline.commit : undefined);
  if (!commit && !baseline) return ["- none recorded: run `xloop baseline` before the first experiment"];
  const lines = [`- commit ${commit ?? "(not recorded)"}`];
  if (baseline) {
    const figure = isEmptyCell(baseline.before) ? "" : ` at ${baseline.before}`;
    lines.push(`- experiment ${baseline.experiment}: ${isEmptyCell(baseline.target) ? "(no target)" : baseline.target}${figure}`);
  }
  return lines;
}

function stateSection(input: HandoffInput): string[] {
  const { state, next } = input;
  const lines = [
    `- ${plural(state.experiments, "experiment")}: ${state.keeps} kept, ${state.discards} discarded; ${plural(state.escalations, "escalation")}`,
    `- discard streak: ${state.discardStreak}${state.discardStreak ? ` (${state.streakPatterns.join(", ")})` : ""}`,
  ];
  const streaks = Object.entries(state.patternStreaks).filter(([, count]) => count > 0);
  if (streaks.length) lines.push(`- discards in a row per pattern: ${streaks.map(([p, c]) => `${p} ${c}`).join(", ")}`);
  for (const entry of state.cumulative) {
    const unmeasured = entry.unmeasuredKeeps.length ? `; ${plural(entry.unmeasuredKeeps.length, "keep")} without a ratio left out` : "";
    lines.push(
      `- ${entry.target}: ${percentCell(entry.improvement)} cumulative (${entry.label}, ${plural(entry.keptExperiments.length, "keep")}${unmeasured})`,
    );
  }
  const milestones = state.milestones.length ? `milestones at experiments ${state.milestones.join(", ")}` : "no milestone yet";
  lines.push(`- ${plural(state.keepsSinceMilestone, "keep")} since the last milestone (${milestones})`);
  if (next) lines.push(`- next action: ${next.action} — ${next.reason}`);
  return lines;
}

/** Marks a ranking given with `--target`, which the record cannot rebuild. */
const GIVEN_MARK = "<!-- xloop: ranked by hand -->";
const TARGETS_HEADING = "## Remaining targets (ranked)";

function targetsSection(targets: readonly RemainingTarget[] | undefined, given: boolean | undefined): string[] {
  if (!targets) return ["- not ranked this session: rebuild the list from a profile"];
  if (targets.length === 0) return ["- none left"];
  const mark = given ? [GIVEN_MARK] : [];
  return mark.concat(targets.map((candidate, index) => {
    const notes = [candidate.category, candidate.estimate && `est. ${candidate.estimate}`].filter(Boolean).join(", ");
    const flag = candidate.nonOptimizable ? ` — non-optimizable: ${candidate.why ?? "no reason given"}` : candidate.why ? ` — ${candidate.why}` : "";
    return `${index + 1}. ${candidate.target}${notes ? ` (${notes})` : ""}${flag}`;
  }));
}

/**
 * The targets of a ranking given by hand in an earlier HANDOFF.md, best first, or
 * undefined when its ranking was xloop's own (or there is none). Given targets carry no
 * notes, so each item line is exactly `N. <target>`.
 */
export function givenTargetsOf(handoffText: string): string[] | undefined {
  const lines = handoffText.split(/\r?\n/);
  const start = lines.indexOf(TARGETS_HEADING);
  if (start === -1 || lines[start + 1] !== GIVEN_MARK) return undefined;
  const targets: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (line.startsWith("#") || line.trim() === "") break;
    const match = /^\d+\. (.+)$/.exec(line);
    if (match) targets.push(match[1]!);
  }
  return targets;
}

/** The text of HANDOFF.md. */
export function buildHandoff(input: HandoffInput): string {
  const { state } = input;
  const escalations = state.openEscalations.map(
    (e) => `- experiment ${e.experiment}: ${e.signal}${e.suggests ? ` — suggests ${e.suggests}` : ""}${e.from ? ` (from ${e.from})` : ""}`,
  );
  const kept = state.outcomes.filter((row) => row.status === "keep").map((row) => `- ${describeKeep(row)}`);
  const discarded = state.outcomes.filter((row) => row.status === "discard").map((row) => `- ${describeDiscard(row)}`);
  const lines = [
    `# Hand-off — ${input.domain.name} session${input.branch ? ` on ${input.branch}` : ""}`,
    "",
    `Written ${stamp(input.date)} by xloop. The full record is .codeflash/results.tsv; lessons of past sessions are in .codeflash/learnings.md.`,
    "",
    "## Baseline",
    ...baselineSection(input),
    "",
    "## Current state",
    ...stateSection(input),
    "",
    "## Open escalations",
    ...(escalations.length ? escalations : ["- none"]),
    "",
    TARGETS_HEADING,
    ...targetsSection(input.remainingTargets, input.targetsGiven),
    "",
    "## What was tried",
    "### Kept",
    ...(kept.length ? kept : ["- nothing yet"]),
    "",
    "### Discarded",
    ...(discarded.length ? discarded : ["- nothing yet"]),
  ];
  return `${lines.join("\n")}\n`;
}

/** Replaces HANDOFF.md atomically, so a reader never sees half of it. */
export function writeHandoff(file: string, text: string): void {
  writeFileAtomic(file, text);
}
