import * as v from "valibot";
import { UserError } from "../errors.ts";
import { durationOption } from "./duration.ts";
import { measurementCpu } from "../pin/pin.ts";
import type { MeasureSettings } from "../benchmark/run-bench.ts";
import { roundsLimit } from "../benchmark/summarize.ts";
import { defaults, maxRoundsFactorFor } from "./defaults.ts";

/** Validates parsed CLI options against a schema, turning the first issue into one clear line. */
export function validateOptions<T extends v.GenericSchema>(schema: T, raw: unknown): v.InferOutput<T> {
  const result = v.safeParse(schema, raw);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const key = issue.path?.map((p) => String(p.key)).join(".") ?? "";
  const flag = key ? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : "options";
  const received = issue.input === undefined ? "" : ` (got ${JSON.stringify(issue.input)})`;
  throw new UserError(`${flag}: ${issue.message}${received}`);
}

/** The most copies of a target's module a worker may load (--copies). */
export const maxCopies = 16;

const positive = (what: string) => v.pipe(v.number(`${what} must be a number`), v.finite(`${what} must be finite`), v.gtValue(0, `${what} must be greater than 0`));

/** --timeout: a target (or process) silent this long is terminated. */
export const timeoutOption = durationOption("ms", 10_000, defaults.timeoutMs);

/** --round-time: the sampling time of one session of worker pairs. */
export const roundTimeOption = durationOption("s", 0.1, defaults.roundTimeS);

/** The options every measuring command shares. */
export const MeasureOptionsSchema = v.object({
  time: durationOption("s", 1, defaults.timeS),
  rounds: v.optional(v.pipe(v.number("must be a whole number"), v.integer("must be a whole number"), v.minValue(1, "must be at least 1"), v.maxValue(roundsLimit, `must be at most ${roundsLimit}`)), defaults.rounds),
  workers: v.optional(v.pipe(v.number("must be a whole number"), v.integer("must be a whole number"), v.minValue(1, "must be at least 1"), v.maxValue(64, "must be at most 64")), defaults.workers),
  timeout: timeoutOption,
  maxMemory: v.optional(positive("the memory limit in MiB"), defaults.maxMemoryMib),
  cloneArgs: v.optional(v.boolean("takes no value"), false),
  pin: v.optional(v.boolean(), true),
  cpu: v.optional(v.pipe(v.number("must be a CPU number"), v.integer("must be a CPU number"), v.minValue(0, "must be a CPU number"))),
  warmup: durationOption("ms", 300, defaults.warmupMs),
  slice: durationOption("us", 1000),
  copies: v.optional(v.pipe(v.number("must be a whole number"), v.integer("must be a whole number"), v.minValue(1, "must be at least 1"), v.maxValue(maxCopies, `must be at most ${maxCopies}`)), defaults.copies),
});

/** Measurement settings from validated options. */
export function measureSettings(o: v.InferOutput<typeof MeasureOptionsSchema>, signal?: AbortSignal): MeasureSettings {
  return {
    cpu: o.pin === false ? null : (o.cpu ?? measurementCpu()),
    timeMs: o.time * 1000,
    rounds: o.rounds,
    workers: o.workers,
    // A --slice given is kept as written; the default is lengthened for targets cycling through many cases.
    sliceNs: (o.slice ?? defaults.sliceUs) * 1000,
    maxSliceNs: (o.slice ?? defaults.maxSliceUs) * 1000,
    timeoutMs: o.timeout,
    maxMemoryMb: o.maxMemory,
    cloneArgs: o.cloneArgs ? "always" : "auto",
    maxWarmupNs: o.warmup * 1e6,
    copies: o.copies,
    signal,
  };
}

/**
 * bench's default --copies for a precision goal: copies average where the JIT placed the
 * code more cheaply than more workers do, so four at the default ±2% and eight for a
 * tighter goal; ab keeps 1, the setting its false-verdict rates were measured with. The
 * rounds and seconds each choice took are in docs/method.md ("Why copies, and how many").
 */
export function benchDefaultCopies(precision: number): number {
  return precision > 0 && precision < defaults.precision ? defaults.benchTightCopies : defaults.benchCopies;
}

/**
 * The most rounds a goal may take unless --max-rounds says otherwise: `maxRoundsFactorFor`
 * the goal times --rounds, within `roundsLimit`.
 */
export function defaultMaxRounds(rounds: number, precision: number): number {
  const scaled = Math.ceil(rounds * maxRoundsFactorFor(precision));
  return Math.min(roundsLimit, scaled);
}

/** bench's adaptive rounds (also baseline's, which benchmarks the same way). */
const PrecisionOptionsSchema = v.object({
  precision: v.optional(v.pipe(v.number("must be a fraction such as 0.01"), v.finite("must be a fraction such as 0.01"), v.minValue(0, "must be 0 (fixed rounds) or more"), v.maxValue(1, "must be a fraction such as 0.01, not a percentage")), defaults.precision),
  maxRounds: v.optional(v.pipe(v.number("must be a whole number"), v.integer("must be a whole number"), v.minValue(1, "must be at least 1"), v.maxValue(roundsLimit, `must be at most ${roundsLimit}`))),
});

/**
 * Adds the precision goal to measurement settings: rounds beyond --rounds, each as
 * long as the first ones, up to --max-rounds (default: `defaultMaxRounds`). A
 * --max-rounds below --rounds is a contradiction the user must resolve, not a guess.
 */
function withPrecision(settings: MeasureSettings, o: v.InferOutput<typeof PrecisionOptionsSchema>): MeasureSettings {
  if (o.maxRounds !== undefined && o.maxRounds < settings.rounds) {
    throw new UserError(`--max-rounds: must be at least --rounds (${settings.rounds}) (got ${o.maxRounds})`);
  }
  if (o.precision === 0) return settings;
  return { ...settings, precision: o.precision, maxRounds: o.maxRounds ?? defaultMaxRounds(settings.rounds, o.precision) };
}

/** The settings of a command that benchmarks like bench (bench, baseline): measuring options plus the precision goal. */
export function benchSettings(options: Record<string, unknown>, signal?: AbortSignal): MeasureSettings {
  const goal = validateOptions(PrecisionOptionsSchema, pick(options, ["precision", "maxRounds"]));
  const measure = measureSettings(validateOptions(MeasureOptionsSchema, { copies: benchDefaultCopies(goal.precision), ...pickMeasureOptions(options) }), signal);
  return withPrecision(measure, goal);
}

function pick(options: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
}

/** Picks the keys of the measuring options out of cac's parsed options. */
export function pickMeasureOptions(options: Record<string, unknown>): Record<string, unknown> {
  return pick(options, ["time", "rounds", "workers", "timeout", "maxMemory", "cloneArgs", "pin", "cpu", "warmup", "slice", "copies"]);
}

/**
 * The output format a command was asked for among `formats` (flags such as json, tsv,
 * md), or "human" when none was given. Two at once is refused before any work starts,
 * rather than one silently winning over the other in a script's pipe.
 */
export function chosenOutputFormat<F extends string>(options: Record<string, unknown>, formats: readonly F[]): F | "human" {
  const chosen = formats.filter((f) => Boolean(options[f]));
  if (chosen.length > 1) throw new UserError(`${chosen.map((f) => `--${f}`).join(" and ")}: choose one output format`);
  return chosen[0] ?? "human";
}
