import * as v from "valibot";
import { runAb } from "../ab/run-ab.ts";
import { noiseFloorFromRatios, noiseFile, storeNoiseFloor } from "../ab/noise-floor.ts";
import { ExitCode } from "../exit-codes.ts";
import { runHeader } from "../machine/metadata.ts";
import { openTerminal } from "../format/terminal.ts";
import { formatDuration } from "../format/units.ts";
import { parseCases, parseTarget } from "../target/parse.ts";
import { jsonSchemaVersion } from "../version.ts";
import { UserError } from "../errors.ts";
import { projectRoot, targetKey } from "../project/root.ts";
import type { CommandContext } from "./context.ts";
import { MeasureOptionsSchema, measureSettings, pickMeasureOptions, roundTimeOption, validateOptions } from "../settings/options.ts";
import { defaults } from "../settings/defaults.ts";

const NoiseOptionsSchema = v.object({
  pairs: v.optional(v.pipe(v.number(), v.integer("must be a whole number"), v.minValue(3, "must be at least 3")), defaults.noisePairs),
  roundTime: roundTimeOption,
});

/**
 * `xloop noise <target>`: A/A comparisons of the target against itself in fresh
 * worker pairs; stores the floor in .codeflash/noise.json for `ab` to respect.
 */
export async function noiseCommand([text]: [string?], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  if (!text) throw new UserError("noise: name the target as path#export, e.g. xloop noise src/parse.ts#parse");
  const target = parseTarget(text, context.cwd);
  const cases = parseCases(options as { args?: string; cases?: string }, context.cwd);
  const noise = validateOptions(NoiseOptionsSchema, { pairs: options.pairs, roundTime: options.roundTime });
  const measure = measureSettings(validateOptions(MeasureOptionsSchema, { workers: 2, ...pickMeasureOptions(options) }), context.signal);
  const terminal = openTerminal({ color: options.color as boolean | undefined });
  const result = await runAb(
    target,
    target,
    cases,
    { ...measure, threshold: 0.01, confidence: 0.99, minRounds: noise.pairs, maxTimeMs: Infinity, roundMs: noise.roundTime * 1000, fixedRounds: noise.pairs },
    (done, label) => terminal.progress(`xloop noise: ${label}  ${Math.round(done * 100)}%`),
  );
  terminal.clearProgress();
  if (result.error) {
    process.stderr.write(`xloop: ${result.error.message}\n`);
    return ExitCode.targetFailed;
  }
  if (context.signal.aborted) return ExitCode.interrupted;
  const floor = noiseFloorFromRatios(result.roundRatios);
  const root = projectRoot(context.cwd);
  const stored = storeNoiseFloor(root, targetKey(root, target), floor);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "noise", ...runHeader(), target: target.label, ...stored, file: noiseFile(root), round_ratios: result.roundRatios }, null, 2)}\n`);
  } else {
    const median = result.base.ok ? formatDuration(result.base.stats.median) : "-";
    process.stdout.write(
      `${target.label}  ${median}  A/A ratio ${floor.ratio.toFixed(4)} [${floor.ci[0].toFixed(4)}, ${floor.ci[1].toFixed(4)}]  noise floor ±${(floor.floor * 100).toFixed(2)}%  (${floor.rounds} fresh pairs; single pair p99 ±${((Math.exp(floor.perRoundP99) - 1) * 100).toFixed(2)}%)\n`,
    );
    terminal.status(`xloop: stored in ${noiseFile(root)}`);
  }
  return ExitCode.ok;
}
