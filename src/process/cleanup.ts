/**
 * The undo registry: what a command did that an interrupt, or an exit before the command
 * could undo it, must take back (a worktree, the user's files). The signals that run it
 * are handled in interrupt.ts.
 */

/** Undoes something a command did (removes a worktree, restores files). Prefer synchronous work. */
export type Cleanup = () => void | Promise<void>;

/** A registered cleanup: run it yourself when done, or cancel it when there is nothing left to undo. */
export interface CleanupHandle {
  /**
   * Runs the cleanup if nobody has yet (its synchronous part before returning) and
   * unregisters it when it settles; every caller gets the same outcome.
   */
  run(): Promise<void>;
  /** Unregisters without running. */
  cancel(): void;
}

interface Entry {
  readonly cleanup: Cleanup;
  outcome?: Promise<void>;
}

// Insertion order is kept so the newest cleanup runs first: undo in reverse.
const pending = new Set<Entry>();

/** Registers a cleanup that an interrupt (or process exit) runs if the command has not. */
export function registerCleanup(cleanup: Cleanup): CleanupHandle {
  const entry: Entry = { cleanup };
  pending.add(entry);
  return {
    run: () => start(entry),
    cancel: () => {
      pending.delete(entry);
    },
  };
}

function start(entry: Entry): Promise<void> {
  if (entry.outcome === undefined) {
    let result: void | Promise<void>;
    try {
      result = entry.cleanup();
    } catch (error) {
      result = Promise.reject(error);
    }
    // Stays registered until settled, so an interrupt meanwhile waits for it instead of exiting under it.
    entry.outcome = Promise.resolve(result).finally(() => pending.delete(entry));
  }
  return entry.outcome;
}

/**
 * Runs every registered cleanup once, newest first, each to completion before the next;
 * a failing cleanup is reported on stderr and does not stop the others.
 */
export async function runCleanups(): Promise<void> {
  for (const entry of [...pending].reverse()) {
    try {
      await start(entry);
    } catch (error) {
      process.stderr.write(`xloop: cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

/**
 * Starts every cleanup nobody ran, newest first, for a process that is exiting: nothing
 * asynchronous runs after 'exit', so only the synchronous part of each happens.
 */
export function startCleanupsOnExit(): void {
  for (const entry of [...pending].reverse()) void start(entry).catch(() => {});
}
