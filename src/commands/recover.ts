/** `xloop recover [--json]`: puts a repository back after an experiment or comparison was killed. */
import { ExitCode } from "../exit-codes.ts";
import { recoverInterrupted } from "../experiment/journal.ts";
import { openRepo } from "../git/repo.ts";
import { jsonSchemaVersion } from "../version.ts";
import type { CommandContext } from "./context.ts";

/**
 * Rolls back an experiment whose process is gone (its journal's pid is dead) and removes
 * worktrees of killed xloops; refuses (exit 10) while the experiment still runs. Prints
 * what it did, or that there was nothing to do.
 */
export async function recoverCommand(_: unknown[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  const repo = await openRepo(context.cwd);
  const lines = recoverInterrupted(repo);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "recover", repo, recovered: lines.length > 0, lines }, null, 2)}\n`);
  } else if (lines.length === 0) {
    process.stdout.write(`Nothing to recover in ${repo}: no interrupted experiment, no worktree of a killed xloop.\n`);
  } else {
    process.stdout.write(lines.map((line) => `${line.charAt(0).toUpperCase()}${line.slice(1)}\n`).join(""));
  }
  return ExitCode.ok;
}
