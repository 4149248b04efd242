import * as v from "valibot";
import { ExitCode } from "../exit-codes.ts";
import { assessDoctor, gatherDoctorFacts, unfitReasons } from "../doctor/doctor.ts";
import { runHeader } from "../machine/metadata.ts";
import { renderDoctorHuman } from "../output/doctor-report.ts";
import { openTerminal } from "../format/terminal.ts";
import { jsonSchemaVersion } from "../version.ts";
import type { CommandContext } from "./context.ts";
import { validateOptions } from "../settings/options.ts";
import { defaults } from "../settings/defaults.ts";

/** doctor's options, with their defaults. */
export const DoctorOptionsSchema = v.object({
  pairs: v.optional(v.pipe(v.number("must be a whole number"), v.integer("must be a whole number"), v.minValue(8, "must be at least 8 (fewer pairs cannot reach a 99% interval)"), v.maxValue(200, "must be at most 200")), defaults.doctorPairs),
  json: v.optional(v.boolean("takes no value"), false),
  strict: v.optional(v.boolean("takes no value"), false),
});

/**
 * `xloop doctor [--json] [--strict]`: whether this machine can decide 1% questions,
 * and what to change when not. Exit 0; with --strict, 9 when it is unfit (the reason
 * on stderr).
 */
export async function doctorCommand(_: unknown[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  const o = validateOptions(DoctorOptionsSchema, { pairs: options.pairs, json: options.json, strict: options.strict });
  const terminal = openTerminal({ color: options.color as boolean | undefined });
  const started = Date.now();
  terminal.progress("xloop doctor: clocks, runtimes, busy processes and a quick A/A run ...");
  const facts = await gatherDoctorFacts({ pairs: o.pairs, signal: context.signal });
  terminal.clearProgress();
  if (context.signal.aborted) return ExitCode.interrupted;
  const checks = assessDoctor(facts);
  const reasons = unfitReasons(checks);
  const wallMs = Date.now() - started;
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "doctor", ...runHeader(), fit: reasons.length === 0, reasons, checks, facts, wallMs }, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderDoctorHuman(checks, reasons, wallMs, terminal)}\n`);
  }
  if (o.strict && reasons.length > 0) {
    terminal.status(`xloop: doctor --strict: unfit for 1% decisions: ${reasons.join("; ")}`);
    return ExitCode.unfit;
  }
  return ExitCode.ok;
}
