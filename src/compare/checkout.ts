/**
 * Both revisions checked out side by side in temporary worktrees, never in the user's
 * working tree, and removed afterwards whatever happens.
 */
import { createWorktree, removeWorktree, type Worktree } from "../git/worktree.ts";
import { faultPoint } from "../fault/fault-point.ts";
import { installDependencies } from "./install.ts";
import { sideName, type RevisionPair } from "./refs.ts";

/** How the worktrees are prepared. */
export interface CheckoutOptions {
  /** Fresh `npm ci`/`npm install` per worktree instead of linking the user's node_modules. */
  install?: boolean;
  signal?: AbortSignal;
  /** Receives one line per step worth telling (installs). */
  log?: (line: string) => void;
}

/** The two checkouts handed to the work. */
export interface Checkouts {
  base: Worktree;
  head: Worktree;
}

/**
 * Runs `fn` with worktrees of base and head. Both are removed when `fn` returns or
 * throws; on an interrupt the cleanup registry (which createWorktree registers with)
 * removes them before xloop exits.
 */
export async function withCheckouts<T>(repo: string, pair: RevisionPair, options: CheckoutOptions, fn: (checkouts: Checkouts) => Promise<T>): Promise<T> {
  const created: Worktree[] = [];
  try {
    const base = await createWorktree(repo, pair.base.commit);
    created.push(base);
    await faultPoint("worktree");
    const head = await createWorktree(repo, pair.head.commit);
    created.push(head);
    if (options.install) {
      for (const [side, worktree] of [["base", base], ["head", head]] as const) {
        if (options.signal?.aborted) break;
        const name = sideName(side, pair[side]);
        const command = await installDependencies(worktree, name, options.signal);
        options.log?.(command === null ? `--install: ${name} has no package.json; nothing to install` : `--install: ran \`${command}\` in ${name}`);
      }
    }
    await faultPoint("run");
    return await fn({ base, head });
  } finally {
    // One at a time (git locks its worktree records); every removal is attempted, and
    // an error of `fn` is not hidden by one of a removal.
    for (const worktree of created.reverse()) {
      await removeWorktree(worktree).catch((error: unknown) => process.stderr.write(`xloop: could not remove the worktree ${worktree.path}: ${(error as Error)?.message ?? error}\n`));
    }
  }
}
