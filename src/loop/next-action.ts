/**
 * The one next action of the loop, with its reason, from the rules of docs/loop.md applied
 * to the record. Rules are checked in this order, the first that fires decides:
 *
 * 1. an open escalation: wait for the user (never switch domains silently);
 * 2. every user target reached: stop;
 * 3. stuck recovery exhausted (recoverAfter + recoveryBudget discards in a row): stop;
 * 4. stuck recovery (recoverAfter+ discards in a row): the protocol, step by step;
 * 5. diminishing returns, then cumulative stall: stop;
 * 6. plateau (plateauAfter+ discards in a row spanning more than one pattern): check the
 *    remaining targets; stop when the top three are non-optimizable;
 * 7. a milestone due (milestoneEvery.min+ keeps since the last one);
 * 8. strategy rotation (the last pattern has rotateAfter+ discards in a row): the next
 *    pattern in the domain's rotation order;
 * 9. otherwise continue.
 *
 * Recovery comes before the other stopping criteria because the design says to try it
 * "before giving up"; a run of discards all of one pattern is a rotation, not a plateau,
 * because the strategy, not the targets, is what has been failing.
 */
import { formatPercent } from "../format/units.ts";
import type { Domain } from "../domains/domains.ts";
import { rowFacts } from "../record/facts.ts";
import { percentCell } from "../record/figures.ts";
import type { Escalation } from "../record/row-kinds.ts";
import type { ResultRow } from "../record/columns.ts";
import { DEFAULT_LOOP_CONFIG, type LoopConfig } from "./config.ts";
import { plural } from "./describe.ts";
import { failedPatterns, keptTechniques, type Technique } from "./history.ts";
import { summarize, type LoopState } from "./state.ts";

/** A candidate target from the ranked bottleneck list, best first. */
export interface RemainingTarget {
  target: string;
  /** True when it meets one of the domain's non-optimizable criteria. */
  nonOptimizable?: boolean;
  /**
   * True when nobody has judged it yet (a ranked entry with no `xloop target` row): at a
   * plateau it must be checked against the criteria before the loop can stop or go on.
   */
  unchecked?: boolean;
  /** Why it is non-optimizable, or any note for the hand-off. */
  why?: string;
  category?: string;
  /** Estimated impact, as the ranking put it (e.g. "~20%"). */
  estimate?: string;
}

/** Which stopping criterion fired. */
export type StopCriterion = "target-reached" | "recovery-exhausted" | "non-optimizable" | "diminishing-returns" | "cumulative-stall";

interface Common {
  /** One sentence a person or an agent can act on. */
  reason: string;
  /** The summary the decision was made from. */
  state: LoopState;
}

/** The next action; `shouldContinue` is false only when the loop must stop or wait for the user. */
export type NextAction =
  | (Common & { action: "continue"; shouldContinue: true; pattern: string | undefined; target: string | undefined })
  | (Common & { action: "rotate"; shouldContinue: true; from: string; to: string })
  | (Common & { action: "plateau-check"; shouldContinue: true; criteria: readonly string[]; streakPatterns: string[]; toCheck?: string[] })
  | (Common & {
      action: "recover";
      shouldContinue: true;
      steps: string[];
      combine: Technique[];
      invert: string[];
      recoveryStartedAt: number;
      experimentsLeft: number;
    })
  | (Common & { action: "stop"; shouldContinue: false; criterion: StopCriterion; report: string[] })
  | (Common & { action: "milestone"; shouldContinue: true; version: number; keepsSinceMilestone: number; overdue: boolean })
  | (Common & { action: "escalated"; shouldContinue: false; escalations: Escalation[] });

/** What the next action is decided from. */
export interface NextActionInput {
  rows: readonly ResultRow[];
  domain: Domain;
  config?: LoopConfig;
  /** The ranked remaining targets, when known; without them a plateau asks for a check instead of deciding. */
  remainingTargets?: readonly RemainingTarget[];
  /** Milestone experiment numbers, overriding the record's milestone rows. */
  milestones?: readonly number[];
  /**
   * The version the next milestone branch will get, when the caller knows the branches
   * (an earlier session's milestone branches may exist without rows in this record).
   */
  milestoneVersion?: number;
}

/**
 * The pattern after `from` in the domain's rotation order, skipping patterns that have
 * themselves failed `rotateAfter` times in a row; undefined when every one has.
 */
export function nextPattern(
  domain: Domain,
  from: string,
  patternStreaks: Readonly<Record<string, number>>,
  rotateAfter: number,
): string | undefined {
  const order = domain.rotation.map((strategy) => strategy.pattern);
  const start = order.indexOf(from);
  for (let step = 1; step <= order.length; step++) {
    const candidate = order[(start + step) % order.length]!;
    if (candidate !== from && (patternStreaks[candidate] ?? 0) < rotateAfter) return candidate;
  }
  return undefined;
}

/** Suggestions to "try the opposite": for failing local patterns, structural ones that have not failed, and vice versa. */
function inversions(domain: Domain, failing: readonly string[], state: LoopState, config: LoopConfig): string[] {
  const scopeOf = new Map(domain.rotation.map((strategy) => [strategy.pattern, strategy.scope]));
  // Patterns of the current streak just failed, whatever their scope: never suggest them back.
  const untried = (scope: "local" | "structural") =>
    domain.rotation
      .filter(
        (strategy) =>
          strategy.scope === scope &&
          !state.streakPatterns.includes(strategy.pattern) &&
          (state.patternStreaks[strategy.pattern] ?? 0) < config.rotateAfter,
      )
      .map((strategy) => strategy.pattern);
  const lines: string[] = [];
  const local = failing.filter((pattern) => scopeOf.get(pattern) === "local");
  const structural = failing.filter((pattern) => scopeOf.get(pattern) === "structural");
  const unknown = failing.filter((pattern) => !scopeOf.has(pattern));
  if (local.length > 0) {
    const options = untried("structural");
    lines.push(`local changes keep failing (${local.join(", ")}): try a coarser, cross-function change${options.length ? ` — ${options.join(", ")}` : ""}`);
  }
  if (structural.length > 0) {
    const options = untried("local");
    lines.push(`structural changes keep failing (${structural.join(", ")}): try a precise local change on the hottest path${options.length ? ` — ${options.join(", ")}` : ""}`);
  }
  if (unknown.length > 0) {
    lines.push(`${unknown.join(", ")} keep${unknown.length === 1 ? "s" : ""} failing: try the opposite — coarser if it was fine-grained, cross-function if it was local`);
  }
  return lines;
}

function recoveryAction(input: NextActionInput, state: LoopState, config: LoopConfig): NextAction {
  const { domain, rows } = input;
  const startIndex = state.outcomes.length - state.discardStreak + config.recoverAfter - 1;
  const recoveryStartedAt = state.outcomes[startIndex]!.experiment;
  const experimentsLeft = config.recoverAfter + config.recoveryBudget - state.discardStreak;
  const techniques = keptTechniques(rows);
  const combine = techniques.slice(0, 3);
  const repeated = failedPatterns(rows, config.rotateAfter).map((f) => f.pattern);
  const failing = [...new Set([...state.streakPatterns, ...repeated])];
  const invert = inversions(domain, failing, state, config);
  const winningTargets = [...new Set(techniques.map((t) => t.target))];
  const goals = Object.entries(config.targets).map(([target, goal]) => `${formatPercent(goal)} on ${target}`);
  const steps = [
    "Re-read every in-scope file from scratch: your model of the code may have drifted from the code.",
    `Re-read the full record (.codeflash/results.tsv): ${
      winningTargets.length ? `wins came on ${winningTargets.join(", ")}` : "nothing has been kept yet"
    }; discarded since the last keep: ${triedSummary(state.streakPatterns)}; ${
      repeated.length ? `failed ${config.rotateAfter}+ times overall: ${repeated.join(", ")} — avoid` : `no pattern has failed ${config.rotateAfter}+ times overall`
    }.`,
    `Re-read the original goal${goals.length ? ` (${goals.join("; ")})` : ""}: has the focus drifted from what the user asked for?`,
    combine.length >= 2
      ? `Try combining 2-3 successful changes that might compound in one hot path: ${combine.map((t) => `${t.technique} (experiment ${t.experiment})`).join(", ")}.`
      : combine.length === 1
        ? `Only one change was kept (${combine[0]!.technique}, experiment ${combine[0]!.experiment}): try variants of it on other targets.`
        : "Nothing kept to combine yet: look for the single largest hotspot in a fresh profile.",
    `Try the opposite of what has not worked: ${invert.length ? invert.join("; ") : "a coarser architectural change if fine-grained ones failed, a cross-function refactor if local ones did"}.`,
    "Check git history for hints (xloop history, or git log --oneline -20 --stat): do successful commits cluster in some files?",
    `If ${plural(experimentsLeft, "more experiment")} ${experimentsLeft === 1 ? "brings" : "bring"} no keep, stop and report: the code appears to be at its optimization floor for ${domain.name}.`,
  ];
  return {
    action: "recover",
    shouldContinue: true,
    reason: `stuck: ${state.discardStreak} discards in a row (recovery from experiment ${recoveryStartedAt}); follow the recovery protocol — ${plural(experimentsLeft, "experiment")} left before stopping`,
    state,
    steps,
    combine,
    invert,
    recoveryStartedAt,
    experimentsLeft,
  };
}

function stop(state: LoopState, criterion: StopCriterion, reason: string, report: string[]): NextAction {
  return { action: "stop", shouldContinue: false, criterion, reason, state, report };
}

function triedSummary(patterns: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const pattern of patterns) counts.set(pattern, (counts.get(pattern) ?? 0) + 1);
  return [...counts].map(([pattern, count]) => `${pattern} ×${count}`).join(", ");
}

function targetReached(state: LoopState, config: LoopConfig): NextAction | undefined {
  const goals = Object.entries(config.targets);
  if (goals.length === 0) return undefined;
  const progress = goals.map(([target, goal]) => ({
    target,
    goal,
    improvement: state.cumulative.find((entry) => entry.target === target)?.improvement ?? 0,
  }));
  if (!progress.every((entry) => entry.improvement >= entry.goal)) return undefined;
  const figures = progress.map((entry) => `${entry.target} ${percentCell(entry.improvement)} ≥ ${formatPercent(entry.goal)}`);
  return stop(state, "target-reached", `user target reached: ${figures.join("; ")} (product of kept ratios)`, [
    ...figures,
    "confirm with a measurement of the baseline commit against HEAD before reporting",
  ]);
}

function diminishingReturns(state: LoopState, config: LoopConfig): NextAction | undefined {
  const { keeps, minGain } = config.diminishingReturns;
  const recent = state.outcomes.filter((row) => row.status === "keep").slice(-keeps);
  if (recent.length < keeps) return undefined;
  const gains = recent.map((row) => rowFacts(row).gain);
  if (gains.some((gain) => gain === undefined || gain >= minGain)) return undefined;
  const figures = gains.map((gain) => percentCell(gain!));
  return stop(
    state,
    "diminishing-returns",
    `diminishing returns: the last ${plural(keeps, "keep")} gained ${figures.join(", ")}, each under ${formatPercent(minGain)}`,
    recent.map((row, index) => `experiment ${row.experiment} (${rowFacts(row).pattern}) gained ${figures[index]}`),
  );
}

function cumulativeStall(state: LoopState, config: LoopConfig): NextAction | undefined {
  const { window, minGain } = config.stall;
  if (state.outcomes.length < window) return undefined;
  const recent = state.outcomes.slice(-window);
  let ratio = 1;
  for (const row of recent) {
    if (row.status !== "keep") continue;
    const gain = rowFacts(row).gain;
    if (gain === undefined) return undefined;
    ratio *= 1 - gain;
  }
  const gained = 1 - ratio;
  if (gained >= minGain) return undefined;
  return stop(
    state,
    "cumulative-stall",
    `cumulative stall: the last ${window} experiments together gained ${percentCell(gained)}, under ${formatPercent(minGain)}`,
    [`tried: ${triedSummary(recent.map((row) => rowFacts(row).pattern))}`],
  );
}

function firstOptimizable(targets: readonly RemainingTarget[] | undefined): string | undefined {
  return targets?.find((candidate) => !candidate.nonOptimizable)?.target;
}

/** Decides the next action from the record; see the module comment for the order of the rules. */
export function nextAction(input: NextActionInput): NextAction {
  const config = input.config ?? DEFAULT_LOOP_CONFIG;
  const { domain, remainingTargets } = input;
  const state = summarize(input.rows, { milestones: input.milestones });

  if (state.openEscalations.length > 0) {
    const named = state.openEscalations.map(
      (e) => `experiment ${e.experiment}: "${e.signal}"${e.suggests ? ` suggests ${e.suggests}` : ""}`,
    );
    return {
      action: "escalated",
      shouldContinue: false,
      reason: `open escalation — ${named.join("; ")}; ask the user whether to switch domains (never switch silently)`,
      state,
      escalations: state.openEscalations,
    };
  }

  const reached = targetReached(state, config);
  if (reached) return reached;

  const streak = state.discardStreak;
  if (streak >= config.recoverAfter + config.recoveryBudget) {
    return stop(
      state,
      "recovery-exhausted",
      `stuck: ${streak} discards in a row, ${plural(config.recoveryBudget, "experiment")} of recovery brought no keep; stop and report`,
      [
        `tried since the last keep: ${triedSummary(state.streakPatterns)}`,
        ...keptTechniques(input.rows).slice(0, 3).map((t) => `worked earlier: ${t.technique} on ${t.target}`),
        `the code appears to be at its optimization floor for ${domain.name}`,
      ],
    );
  }
  if (streak >= config.recoverAfter) return recoveryAction(input, state, config);

  const stopped = diminishingReturns(state, config) ?? cumulativeStall(state, config);
  if (stopped) return stopped;

  let plateauNote = "";
  if (streak >= config.plateauAfter && new Set(state.streakPatterns).size > 1) {
    const across = `${streak} discards in a row across ${triedSummary(state.streakPatterns)}`;
    if (!remainingTargets) {
      return {
        action: "plateau-check",
        shouldContinue: true,
        reason: `plateau: ${across}; check whether the top remaining targets are non-optimizable (stop if the top three are)`,
        state,
        criteria: domain.nonOptimizable,
        streakPatterns: state.streakPatterns,
      };
    }
    const top = remainingTargets.slice(0, 3);
    if (top.every((candidate) => candidate.nonOptimizable)) {
      const left = top.map((candidate) => `${candidate.target}: ${candidate.why ?? "non-optimizable"}`);
      return stop(
        state,
        "non-optimizable",
        top.length === 0
          ? `plateau: ${across}, and no targets remain`
          : `plateau: ${across}, and the top ${plural(top.length, "remaining target")} ${top.length === 1 ? "is" : "are"} non-optimizable`,
        left,
      );
    }
    const first = top.find((candidate) => !candidate.nonOptimizable)!;
    if (first.unchecked) {
      const toCheck = top.filter((candidate) => !candidate.nonOptimizable && candidate.unchecked).map((candidate) => candidate.target);
      return {
        action: "plateau-check",
        shouldContinue: true,
        reason: `plateau: ${across}; check ${toCheck.join(", ")} against the non-optimizable criteria and mark each that meets one (stop once the top three are)`,
        state,
        criteria: domain.nonOptimizable,
        streakPatterns: state.streakPatterns,
        toCheck,
      };
    }
    plateauNote = `plateau checked (${across}): ${first.target} is still optimizable; `;
  }

  if (state.keepsSinceMilestone >= config.milestoneEvery.min) {
    const version = input.milestoneVersion ?? state.milestones.length + 1;
    const overdue = state.keepsSinceMilestone >= config.milestoneEvery.max;
    return {
      action: "milestone",
      shouldContinue: true,
      reason: `${plateauNote}milestone ${overdue ? "overdue" : "due"}: ${plural(state.keepsSinceMilestone, "keep")} since the last one (every ${config.milestoneEvery.min}-${config.milestoneEvery.max}); run the full benchmark of the baseline against HEAD and create codeflash/milestone-v${version}`,
      state,
      version,
      keepsSinceMilestone: state.keepsSinceMilestone,
      overdue,
    };
  }

  const last = state.outcomes.at(-1);
  const lastPattern = last && rowFacts(last).pattern;
  if (lastPattern && last.status === "discard" && (state.patternStreaks[lastPattern] ?? 0) >= config.rotateAfter) {
    const to = nextPattern(domain, lastPattern, state.patternStreaks, config.rotateAfter);
    if (to) {
      return {
        action: "rotate",
        shouldContinue: true,
        reason: `${plateauNote}${lastPattern} was discarded ${state.patternStreaks[lastPattern]} times in a row: switch to ${to}, next in the ${domain.name} rotation`,
        state,
        from: lastPattern,
        to,
      };
    }
    return {
      action: "plateau-check",
      shouldContinue: true,
      reason: `every strategy in the ${domain.name} rotation has failed ${config.rotateAfter} times in a row; check whether the remaining targets are non-optimizable`,
      state,
      criteria: domain.nonOptimizable,
      streakPatterns: state.streakPatterns,
    };
  }

  const target = firstOptimizable(remainingTargets);
  const pattern = lastPattern ?? domain.rotation[0]!.pattern;
  const onTarget = target ? ` on ${target}` : "";
  let reason: string;
  if (!last) {
    reason = state.baseline
      ? `no experiments yet: start with ${pattern}${onTarget}`
      : `no baseline recorded: record one (xloop baseline) before the first experiment`;
  } else if (last.status === "keep") {
    reason = `${plateauNote}experiment ${last.experiment} was kept: look for more ${pattern} opportunities${onTarget}`;
  } else {
    reason = `${plateauNote}${plural(streak, "discard")} in a row (${pattern}: ${state.patternStreaks[pattern]} of ${config.rotateAfter} before rotating); continue${onTarget}`;
  }
  return { action: "continue", shouldContinue: true, reason, state, pattern, target };
}
