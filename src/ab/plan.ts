/**
 * How an A/B comparison is set up from the options a command was given: the options
 * validated once into AbSettings (threshold from --threshold, the domain or the stored
 * noise floor), the targets paired, and the comparisons run with a progress line.
 * Shared by `ab`, `experiment`, `compare` and `milestone`.
 */
import * as v from "valibot";
import { lookupNoiseFloor } from "./noise-floor.ts";
import { runAb, type AbResult, type AbSettings } from "./run-ab.ts";
import { verdicts } from "../stats/verdict.ts";
import { getDomain } from "../domains/domains.ts";
import { UserError } from "../errors.ts";
import type { CasesSpec, TargetSpec } from "../measure/protocol.ts";
import { openTerminal } from "../format/terminal.ts";
import { projectRoot, targetKey } from "../project/root.ts";
import { engineOf, runtimeLabel } from "../runtime/runtime.ts";
import { durationOption } from "../settings/duration.ts";
import { MeasureOptionsSchema, measureSettings, pickMeasureOptions, roundTimeOption, validateOptions } from "../settings/options.ts";
import { parseTarget } from "../target/parse.ts";
import { defaults } from "../settings/defaults.ts";

/** Where a comparison runs from: the folder paths are relative to, and the interrupt. */
export interface PlanContext {
  cwd: string;
  signal: AbortSignal;
}

const AbOptionsSchema = v.object({
  threshold: v.optional(
    v.union(
      [v.literal("auto"), v.pipe(v.number("must be a number"), v.gtValue(0, "must lie in (0, 1), e.g. 0.01 for 1%"), v.ltValue(1, "must lie in (0, 1), e.g. 0.01 for 1%"))],
      "must be a number in (0, 1), e.g. 0.01 for 1%, or auto (the stored noise floor)",
    ),
  ),
  maxTime: durationOption("s", 30, defaults.maxTimeS),
  minRounds: v.optional(v.pipe(v.number(), v.integer("must be a whole number"), v.minValue(3, "must be at least 3")), defaults.minRounds),
  roundTime: roundTimeOption,
  confidence: v.optional(v.pipe(v.number("must be a number"), v.gtValue(0.5, "must lie in (0.5, 1), e.g. 0.99"), v.ltValue(1, "must lie in (0.5, 1), e.g. 0.99")), defaults.confidence),
  expect: v.optional(v.picklist(verdicts, `must be one of ${verdicts.join(", ")}`)),
  domain: v.optional(v.string(), "cpu"),
});

/** Options of `ab` after validation, plus how the threshold was chosen. */
export interface AbPlan {
  settings: AbSettings;
  notes: string[];
  expect?: string;
}

/**
 * Resolves the threshold: --threshold, else the domain's noise threshold, and never
 * below this target's stored noise floor when that floor was measured here;
 * `--threshold auto` is that floor itself (an error when none was measured here).
 */
export function planAb(options: Record<string, unknown>, context: PlanContext, base: TargetSpec): AbPlan {
  const baseLabel = base.label;
  const baseKey = targetKey(projectRoot(context.cwd), base);
  const ab = validateOptions(AbOptionsSchema, {
    threshold: options.threshold,
    maxTime: options.maxTime,
    minRounds: options.minRounds,
    roundTime: options.roundTime,
    confidence: options.confidence,
    expect: options.expect,
    domain: options.domain,
  });
  const measure = measureSettings(validateOptions(MeasureOptionsSchema, { workers: defaults.abWorkers, ...pickMeasureOptions(options) }), context.signal);
  const notes: string[] = [];
  const auto = ab.threshold === "auto";
  let threshold: number = typeof ab.threshold === "number" ? ab.threshold : getDomain(ab.domain).thresholds.noise.improvement;
  const root = projectRoot(context.cwd);
  const stored = lookupNoiseFloor(root, baseKey);
  if (auto && (!stored || stored.otherMachine || stored.otherRuntime)) {
    const why = stored ? `the one stored was measured on ${stored.entry.machine.hostname} with ${stored.entry.runtime}` : "none is stored";
    throw new UserError(`--threshold auto: needs ${baseLabel}'s noise floor measured on this machine and runtime, and ${why}: run \`xloop noise ${baseLabel}\` first, or give --threshold`);
  }
  if (stored?.otherRuntime) {
    const here = runtimeLabel();
    throw new UserError(
      `${baseLabel}: its stored noise floor was measured on ${stored.entry.runtime}, and this run measures on ${here}; a floor from another engine says nothing about this one: measure it here with \`xloop noise ${baseLabel} --runtime ${engineOf(here)}\`, or run on ${engineOf(stored.entry.runtime)} with --runtime`,
    );
  }
  if (stored) {
    if (stored.otherMachine) {
      notes.push(`the stored noise floor of ${baseLabel} was measured on another machine or runtime (${stored.entry.machine.hostname}, ${stored.entry.runtime}); ignored — rerun \`xloop noise ${baseLabel}\` here`);
    } else {
      if (stored.stale) notes.push(`the stored noise floor of ${baseLabel} is from ${stored.entry.measuredAt.slice(0, 10)}; rerun \`xloop noise ${baseLabel}\` to refresh it`);
      if (auto) {
        // The smallest threshold the floor allows is the floor itself: below it, A/A runs of this target differ.
        threshold = stored.entry.floor;
        notes.push(`--threshold auto: ±${(threshold * 100).toFixed(2)}%, the stored noise floor of ${baseLabel} (measured ${stored.entry.measuredAt.slice(0, 10)})`);
      } else if (stored.entry.floor > threshold) {
        notes.push(`threshold raised from ${(threshold * 100).toFixed(2)}% to the stored noise floor ${(stored.entry.floor * 100).toFixed(2)}%`);
        threshold = stored.entry.floor;
      }
    }
  }
  return {
    settings: { ...measure, threshold, minRounds: ab.minRounds, confidence: ab.confidence, maxTimeMs: ab.maxTime * 1000, roundMs: ab.roundTime * 1000 },
    notes,
    expect: ab.expect,
  };
}

/** Pairs positional targets: base1 head1 [base2 head2 ...]. */
export function pairTargets(texts: string[], cwd: string): [TargetSpec, TargetSpec][] {
  if (texts.length < 2 || texts.length % 2 !== 0) {
    throw new UserError(`ab: give targets in pairs, base then head (got ${texts.length}), e.g. xloop ab src/v1.ts#parse src/v2.ts#parse`);
  }
  const targets = texts.map((t) => parseTarget(t, cwd));
  const pairs: [TargetSpec, TargetSpec][] = [];
  for (let i = 0; i < targets.length; i += 2) pairs.push([targets[i], targets[i + 1]]);
  return pairs;
}

/** Runs the comparisons with a progress line; shared by `ab` and `experiment`. */
export async function runComparisons(pairs: [TargetSpec, TargetSpec][], cases: CasesSpec, plan: AbPlan, label = "xloop ab"): Promise<AbResult[]> {
  const terminal = openTerminal();
  const results: AbResult[] = [];
  for (const [base, head] of pairs) {
    results.push(await runAb(base, head, cases, plan.settings, (_, text) => terminal.progress(`${label}: ${base.exportName}: ${text}`)));
    terminal.clearProgress();
  }
  return results;
}

