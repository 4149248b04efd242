/**
 * `xloop status` for people and for agents: where the loop stands and the one next
 * action, with its reason and the command that carries it out. Pure: the command reads
 * the record and git, this module only words it.
 */
import { formatPercent } from "../format/units.ts";
import type { Domain } from "../domains/domains.ts";
import { isEmptyCell } from "../record/columns.ts";
import { percentCell } from "../record/figures.ts";
import type { LoopConfig } from "./config.ts";
import { plural } from "./describe.ts";
import type { NextAction } from "./next-action.ts";
import type { LoopState } from "./state.ts";
import type { RankedTargets } from "./ranked-targets.ts";

/** What a status report is made of. */
export interface StatusReport {
  domain: Domain;
  /** The current branch, or a note that HEAD is detached; undefined outside git. */
  branch: string | undefined;
  config: LoopConfig;
  next: NextAction;
  /** The ranked list the plateau stop read, with the judged states. */
  targets?: RankedTargets;
  /** Experiments recorded without the domain checklist's answers. */
  checklistSkipped?: number[];
}

function targetsLine(targets: RankedTargets | undefined): string[] {
  if (!targets || targets.targets.length === 0) return ["none ranked yet"];
  const from = targets.source === "profile" ? "the profile (.codeflash/bottlenecks.json)" : "the record";
  const top = targets.targets.slice(0, 3).map((t) => `${t.target}${t.nonOptimizable ? ` (non-optimizable: ${t.why})` : t.unchecked ? " (unchecked)" : " (optimizable)"}`);
  return [`ranked by ${from}; top: ${top[0]}`, ...top.slice(1)];
}

function checklistLine(skipped: readonly number[] | undefined, state: LoopState): string {
  if (!skipped || state.experiments === 0) return "";
  if (skipped.length === 0) return "answered for every experiment";
  const which = skipped.length > 5 ? `${skipped.length} experiments (the last: ${skipped.slice(-5).join(", ")})` : `${skipped.length === 1 ? "experiment" : "experiments"} ${skipped.join(", ")}`;
  return `skipped for ${which} (answer the domain's checklist with experiment --checklist <file>)`;
}

function counts(state: LoopState): string {
  const escalations = state.escalations ? `; ${plural(state.escalations, "escalation")} recorded` : "";
  return `${state.experiments}: ${state.keeps} kept, ${state.discards} discarded${escalations}`;
}

function tally(patterns: readonly string[]): string {
  const counted = new Map<string, number>();
  for (const pattern of patterns) counted.set(pattern, (counted.get(pattern) ?? 0) + 1);
  return [...counted].map(([pattern, n]) => `${pattern} ×${n}`).join(", ");
}

function cumulativeLines(state: LoopState, config: LoopConfig): string[] {
  const targets = new Set([...state.cumulative.map((c) => c.target), ...Object.keys(config.targets)]);
  if (targets.size === 0) return ["nothing measured yet"];
  return [...targets].map((target) => {
    const entry = state.cumulative.find((c) => c.target === target);
    const improvement = entry?.improvement ?? 0;
    const keeps = entry ? plural(entry.keptExperiments.length, "keep") : "0 keeps";
    const unmeasured = entry?.unmeasuredKeeps.length ? `, ${entry.unmeasuredKeeps.length} without a ratio left out` : "";
    const goal = config.targets[target];
    const goalNote =
      goal === undefined
        ? ""
        : improvement >= goal
          ? `; goal ${formatPercent(goal)} reached`
          : `; goal ${formatPercent(goal)}: ${formatPercent(goal - improvement)} to go`;
    return `${target}  ${percentCell(improvement)} over ${keeps} (product of kept ratios${unmeasured})${goalNote}`;
  });
}

function milestoneLine(state: LoopState, config: LoopConfig): string {
  const { min, max } = config.milestoneEvery;
  const last = state.milestones.length ? `${plural(state.milestones.length, "milestone")}, the last at experiment ${state.milestones.at(-1)}` : "none yet";
  return `${last}; ${plural(state.keepsSinceMilestone, "keep")} since (due every ${min}-${max})`;
}

function escalationLines(state: LoopState): string[] {
  if (state.openEscalations.length === 0) return ["none open"];
  return state.openEscalations.map(
    (e) => `OPEN: experiment ${e.experiment}: "${e.signal}"${e.suggests ? ` suggests ${e.suggests}` : ""}${e.from ? ` (from ${e.from})` : ""}`,
  );
}

/** The command (or decision) that carries the next action out, one line each. */
export function nextSteps(next: NextAction, domain: Domain): string[] {
  // Without a ranked list, the target worked on last is the likeliest next one.
  const baseline = next.state.baseline;
  const fallback =
    next.state.outcomes.findLast((row) => !isEmptyCell(row.target))?.target ?? (baseline && !isEmptyCell(baseline.target) ? baseline.target : undefined);
  const experiment = (pattern: string | undefined, target: string | undefined) =>
    `xloop experiment ${target ?? fallback ?? "<path#export>"} --pattern ${pattern ?? "<pattern>"} -m "<what the change does>"`;
  switch (next.action) {
    case "continue":
      return next.state.baseline || next.state.experiments > 0
        ? [experiment(next.pattern, next.target)]
        : ["xloop baseline <path#export> --cases <file#export>"];
    case "rotate":
      return [experiment(next.to, undefined)];
    case "milestone":
      return ["xloop milestone"];
    case "plateau-check":
      return [
        `check ${next.toCheck?.length ? next.toCheck.join(", ") : "the top three remaining targets"} against the ${domain.name} non-optimizable criteria:`,
        ...next.criteria.map((criterion) => `  - ${criterion}`),
        'mark each that meets one: xloop target done <path#export> --reason "<criterion>" (status stops once the top three are); mark one that does not with xloop target open <path#export>, and continue on it',
      ];
    case "recover":
      return next.steps.map((step, index) => `${index + 1}. ${step}`);
    case "stop":
      return [...next.report.map((line) => `- ${line}`), 'report to the user, then: xloop learnings --insight "<what you learned>" && xloop handoff'];
    case "escalated": {
      const to = [...new Set(next.escalations.map((e) => e.suggests).filter(Boolean))].join(" or ") || "the suggested domain";
      return [
        `ask the user: switch to ${to} (xloop handoff, then a ${to} session), or carry on with ${domain.name} (the next experiment closes the escalation)`,
      ];
    }
  }
}

/** The report as text, for a person reading a terminal. */
export function formatStatus(report: StatusReport): string {
  const { next, config, domain } = report;
  const state = next.state;
  const perPattern = Object.entries(state.patternStreaks).filter(([, n]) => n > 0);
  const baseline = state.baseline;
  const rows: [string, string[]][] = [
    ["experiments", [counts(state)]],
    ["discard streak", [state.discardStreak ? `${state.discardStreak} in a row (${tally(state.streakPatterns)})` : "0 (the last experiment was kept)"]],
    ["per pattern", [perPattern.length ? `${perPattern.map(([p, n]) => `${p} ${n}`).join(", ")} (discards in a row since that pattern's last keep; rotate at ${config.rotateAfter})` : "no pattern is failing"]],
    ["cumulative", cumulativeLines(state, config)],
    ["milestones", [milestoneLine(state, config)]],
    ["escalations", escalationLines(state)],
    ["targets", targetsLine(report.targets)],
    ...(checklistLine(report.checklistSkipped, state) ? [["checklist", [checklistLine(report.checklistSkipped, state)]] as [string, string[]]] : []),
    [
      "baseline",
      [baseline ? `experiment ${baseline.experiment}${isEmptyCell(baseline.commit) ? "" : ` at ${baseline.commit}`}${isEmptyCell(baseline.target) ? "" : ` (${baseline.target})`}` : "none recorded"],
    ],
  ];
  if (state.experiments === 0) rows.splice(1, 2);
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [`Loop status — ${domain.name}${report.branch ? ` on ${report.branch}` : ""}`, ""];
  for (const [label, values] of rows) {
    values.forEach((value, index) => lines.push(`  ${(index === 0 ? label : "").padEnd(width)}  ${value}`));
  }
  lines.push("", `Next: ${next.action} — ${next.reason}`);
  for (const step of nextSteps(next, domain)) lines.push(`  ${step}`);
  lines.push("", next.shouldContinue ? "The loop goes on (status --continue exits 0)." : "The loop should stop here (status --continue exits 7).");
  return `${lines.join("\n")}\n`;
}

/** The next action without the state it was computed from (the report carries that once). */
function nextForJson(next: NextAction): Record<string, unknown> {
  const { state: _state, ...rest } = next;
  return rest;
}

/** The report as one JSON-ready object (`status --json`). */
export function statusJson(report: StatusReport): Record<string, unknown> {
  const { next, config, domain } = report;
  const state = next.state;
  const baseline = state.baseline;
  return {
    domain: domain.name,
    branch: report.branch ?? null,
    experiments: state.experiments,
    keeps: state.keeps,
    discards: state.discards,
    escalations: state.escalations,
    discardStreak: state.discardStreak,
    streakPatterns: state.streakPatterns,
    patternStreaks: state.patternStreaks,
    cumulative: state.cumulative,
    goals: config.targets,
    milestones: state.milestones,
    keepsSinceMilestone: state.keepsSinceMilestone,
    openEscalations: state.openEscalations,
    targets: report.targets ? { source: report.targets.source, ranked: report.targets.targets } : null,
    checklistSkipped: report.checklistSkipped ?? [],
    baseline: baseline ? { experiment: baseline.experiment, target: baseline.target, commit: baseline.commit, before: baseline.before } : null,
    next: nextForJson(next),
    continue: next.shouldContinue,
    steps: nextSteps(next, domain),
  };
}
