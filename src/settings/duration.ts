import * as v from "valibot";
import { nsPerUnit } from "../format/units.ts";

/** The unit a duration option's bare number is read in. */
export type DurationUnit = "us" | "ms" | "s";

const UNIT_WORD: Record<DurationUnit, string> = { us: "microseconds", ms: "milliseconds", s: "seconds" };
const WRITTEN = /^\s*(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?\s*(ns|us|µs|μs|ms|s|min|m)?\s*$/i;

/** A parsed duration, in the option's own unit, or why it was refused. */
export type ParsedDuration = { ok: true; value: number } | { ok: false; message: string };

/**
 * Reads a duration option: a bare number in `unit` (as documented for that option),
 * or a number with its own unit: 250ms, 2s, 500us, 1.5min (or 1.5m). A bare number more than
 * 100 times `typical` is refused rather than obeyed, because options here differ in
 * unit (--time is seconds, --timeout milliseconds, --slice microseconds) and
 * `--time 1000` meant as a second would otherwise silently run for 17 minutes a
 * target. Writing the unit (1000s) says it is meant.
 */
export function parseDuration(raw: unknown, unit: DurationUnit, typical: number): ParsedDuration {
  const example = `e.g. ${typical}${unit} or ${unit === "s" ? "500ms" : unit === "ms" ? "2s" : "1ms"}`;
  let number: number;
  let written: string | undefined;
  const match = typeof raw === "string" ? WRITTEN.exec(raw) : null;
  if (typeof raw === "number") number = raw;
  else if (match) {
    number = Number(`${match[1]}e${match[2] ?? 0}`);
    written = match[3]?.toLowerCase();
  } else {
    return { ok: false, message: `must be a duration: a number of ${UNIT_WORD[unit]} or a number with a unit, ${example}` };
  }
  const bare = written === undefined;
  const value = bare ? number : (number * nsPerUnit[written!]) / nsPerUnit[unit];
  if (!Number.isFinite(value) || value <= 0) {
    return { ok: false, message: `must be a positive duration: a number of ${UNIT_WORD[unit]} or a number with a unit, ${example}` };
  }
  if (bare && value > 100 * typical) {
    const smaller = unit === "s" ? "ms" : unit === "ms" ? "us" : "ns";
    return { ok: false, message: `${number} ${UNIT_WORD[unit]} is over 100 times the default (${typical}${unit}); write ${number}${unit} if that is meant, or ${number}${smaller}` };
  }
  return { ok: true, value };
}

/**
 * The valibot schema of an optional duration option (see parseDuration), giving a
 * number in `unit`, or `fallback` when the option is absent.
 */
export function durationOption<F extends number | undefined = undefined>(unit: DurationUnit, typical: number, fallback?: F) {
  const schema = v.pipe(
    v.unknown(),
    v.rawTransform<unknown, number>(({ dataset, addIssue, NEVER }) => {
      const parsed = parseDuration(dataset.value, unit, typical);
      if (!parsed.ok) {
        addIssue({ message: parsed.message });
        return NEVER;
      }
      return parsed.value;
    }),
  );
  return v.optional(schema, fallback as F);
}
