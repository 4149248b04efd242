/**
 * `--install`: a fresh dependency install per revision, for comparisons where the
 * revisions' dependencies differ and the user's installed node_modules would hide it.
 */
import { existsSync, lstatSync, unlinkSync } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import type { Worktree } from "../git/worktree.ts";
import { describeExit, runShell } from "./shell.ts";

/** The npm command that installs what `folder`'s lockfile pins (or package.json asks for). */
export function installCommand(folder: string): string | null {
  if (!existsSync(path.join(folder, "package.json"))) return null;
  const locked = ["package-lock.json", "npm-shrinkwrap.json"].some((f) => existsSync(path.join(folder, f)));
  // No audit or funding requests: they only add network round trips and output.
  return `${locked ? "npm ci" : "npm install"} --no-audit --no-fund`;
}

/**
 * Replaces the links to the user's node_modules in `worktree` by a fresh install.
 * The links go first, so the install can never write into the user's own folder.
 * Returns the command run, or null when the revision has no package.json.
 */
export async function installDependencies(worktree: Worktree, name: string, signal?: AbortSignal): Promise<string | null> {
  for (const relative of worktree.linkedDependencies) {
    const link = path.join(worktree.path, relative);
    if (lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(link);
  }
  const command = installCommand(worktree.path);
  if (command === null) return null;
  const outcome = await runShell(command, worktree.path, signal);
  if (outcome.exitCode !== 0 && !signal?.aborted) {
    throw new UserError(`--install: \`${command}\` ${describeExit(outcome)} in ${name}:\n${outcome.tail}`, ExitCode.targetFailed);
  }
  return command;
}
