/**
 * `.codeflash/config.json`: the loop's tunable rules (the user's goals per target and the
 * counts behind rotation, plateau, recovery, milestones and the stopping criteria;
 * defaults are the counts of docs/loop.md) and where the end-to-end measurements come from.
 */
import * as fs from "node:fs";
import * as v from "valibot";
import { UserError } from "../errors.ts";
import { runtimeNames } from "../runtime/choose.ts";
import type { RuntimeName } from "../runtime/runtime.ts";

/** Every number the loop's rules use; see DEFAULT_LOOP_CONFIG for the defaults and why. */
export interface LoopConfig {
  /** The user's goal per target, as an improvement fraction (0.3 = 30% faster); the loop stops once every one is reached. */
  targets: Record<string, number>;
  /** Consecutive discards of one pattern before switching strategy. */
  rotateAfter: number;
  /** Consecutive discards across strategies before checking whether the remaining targets are non-optimizable. */
  plateauAfter: number;
  /** Consecutive discards before the stuck-state recovery protocol. */
  recoverAfter: number;
  /** Experiments recovery gets without a keep before the loop stops. */
  recoveryBudget: number;
  /** A milestone is due after `min` keeps since the last one, and overdue at `max`. */
  milestoneEvery: { min: number; max: number };
  /** Stop when each of the last `keeps` keeps gained less than `minGain` (a fraction). */
  diminishingReturns: { keeps: number; minGain: number };
  /** Stop when the last `window` experiments together gained less than `minGain` (a fraction). */
  stall: { window: number; minGain: number };
  /** Where `compare` finds the bench suite (a glob relative to the repository root). */
  benchGlob: string;
  /** A whole-process end-to-end command `experiment` times after a KEEP (compare --script), if any. */
  e2e?: { script: string; runs?: number; warmup?: number; prepare?: string };
  /** The runtime measurements run on (node, bun or deno) when --runtime is not given; unset: the project's own, detected. */
  runtime?: RuntimeName;
}

/**
 * The counts of docs/loop.md (rotation and plateau at 3, recovery at 5 plus 3 more,
 * milestones every 3-5 keeps). Diminishing returns and stall are xloop's reading of
 * the stopping criteria: three keeps in a row under 2%, or ten experiments that
 * together gained under 2%, mean the remaining work costs more than it returns.
 */
export const DEFAULT_LOOP_CONFIG: LoopConfig = Object.freeze({
  targets: Object.freeze({}) as Record<string, number>,
  rotateAfter: 3,
  plateauAfter: 3,
  recoverAfter: 5,
  recoveryBudget: 3,
  milestoneEvery: Object.freeze({ min: 3, max: 5 }),
  diminishingReturns: Object.freeze({ keeps: 3, minGain: 0.02 }),
  stall: Object.freeze({ window: 10, minGain: 0.02 }),
  benchGlob: "bench/**/*.bench.{ts,js,mjs}",
});

const count = v.pipe(v.number(), v.integer(), v.minValue(1));
const gain = v.pipe(v.number(), v.minValue(0), v.maxValue(1));

/** A goal written as a fraction below 1 (0.3) or a percentage string ("30%"). */
const Goal = v.union([
  v.pipe(v.number(), v.gtValue(0), v.ltValue(1, 'write a goal as a fraction below 1 (0.3) or as "30%"')),
  v.pipe(
    v.string(),
    v.regex(/^\s*\d+(\.\d+)?\s*%\s*$/, 'write a goal as a fraction below 1 (0.3) or as "30%"'),
    v.transform((text) => Number.parseFloat(text) / 100),
    v.gtValue(0),
    v.ltValue(1, "a goal must be below 100%"),
  ),
]);

const ConfigSchema = v.strictObject({
  targets: v.optional(v.record(v.pipe(v.string(), v.nonEmpty()), Goal)),
  rotateAfter: v.optional(count),
  plateauAfter: v.optional(count),
  recoverAfter: v.optional(count),
  recoveryBudget: v.optional(count),
  milestoneEvery: v.optional(v.pipe(v.strictObject({ min: count, max: count }), v.check((m) => m.min <= m.max, "min must not exceed max"))),
  diminishingReturns: v.optional(v.strictObject({ keeps: count, minGain: gain })),
  stall: v.optional(v.strictObject({ window: count, minGain: gain })),
  benchGlob: v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty('must be a glob such as "bench/**/*.bench.{ts,js,mjs}"'))),
  e2e: v.optional(
    v.strictObject({
      script: v.pipe(v.string(), v.trim(), v.nonEmpty("must be the shell command to time, e.g. \"node scripts/build-index.js\"")),
      runs: v.optional(count),
      warmup: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
      prepare: v.optional(v.string()),
    }),
  ),
  runtime: v.optional(v.picklist(runtimeNames, `must be one of ${runtimeNames.join(", ")}`)),
});

/**
 * Validates a user's loop configuration (parsed JSON) and fills in the defaults.
 * `source` names where it came from; a mistake is a UserError naming the field.
 */
export function parseLoopConfig(value: unknown, source: string): LoopConfig {
  const result = v.safeParse(ConfigSchema, value);
  if (!result.success) {
    const issue = result.issues[0];
    const where = v.getDotPath(issue) ?? "the top level";
    throw new UserError(`${source}: ${where}: ${issue.message}`);
  }
  const given = result.output;
  return {
    ...DEFAULT_LOOP_CONFIG,
    ...given,
    targets: { ...(given.targets ?? {}) },
  } as LoopConfig;
}

/**
 * Reads a loop configuration from a JSON file (e.g. `.codeflash/loop.json`). A missing
 * file means the defaults; a file that is not JSON is a UserError naming it.
 */
export function readLoopConfig(file: string): LoopConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return parseLoopConfig({}, file);
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file} is not valid JSON (${(error as Error).message}); fix it or delete it to use the defaults`);
  }
  return parseLoopConfig(value, file);
}
