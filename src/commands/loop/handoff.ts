/** `xloop handoff [--target <path#export> ...]`: `.codeflash/HANDOFF.md` for the next session. */
import { relative } from "node:path";
import { ExitCode } from "../../exit-codes.ts";
import { buildHandoff, givenTargetsOf, writeHandoff } from "../../loop/handoff.ts";
import type { RemainingTarget } from "../../loop/next-action.ts";

import type { CommandContext } from "../context.ts";
import { branchLabel, firstBaselineCommit, listOption, openLoopFiles, readOptional, sessionDomain, type LoopFiles } from "./files.ts";
import { loopNextAction, loopTargets } from "./status.ts";

/**
 * Writes HANDOFF.md from the record as it is now and returns its text. The ranked
 * targets are `given` (best first) when a person ranked them; else those of the
 * previous HANDOFF.md when it holds a ranking given by hand (an escalation does not
 * change which targets are left); else the profile's ranking, or xloop's from the
 * record, with the states `xloop target` recorded.
 */
export async function writeLoopHandoff(files: LoopFiles, given: readonly string[] = []): Promise<string> {
  const carried = given.length > 0 ? [...given] : givenTargetsOf(readOptional(files.paths.handoff) ?? "");
  const remainingTargets: RemainingTarget[] = carried ? carried.map((target) => ({ target })) : loopTargets(files).targets;
  const next = await loopNextAction(files);
  const text = buildHandoff({
    date: new Date(),
    domain: sessionDomain(files),
    branch: await branchLabel(files.root),
    rows: files.rows,
    state: next.state,
    next,
    remainingTargets,
    targetsGiven: carried !== undefined,
    baselineCommit: firstBaselineCommit(files.rows),
  });
  writeHandoff(files.paths.handoff, text);
  return text;
}

/** Writes HANDOFF.md, prints it on stdout and says where it went on stderr. */
export async function handoffCommand(_: unknown[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  const given = listOption(options.target, "--target", "src/price.ts#total");
  const files = await openLoopFiles(context.cwd);
  const text = await writeLoopHandoff(files, given);
  process.stdout.write(text);
  process.stderr.write(`xloop: wrote ${relative(context.cwd, files.paths.handoff) || files.paths.handoff}\n`);
  return ExitCode.ok;
}
