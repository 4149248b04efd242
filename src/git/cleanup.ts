import { ExitCode } from "../exit-codes.ts";

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

/** How installInterruptHandlers ends the process; tests replace it. */
export interface InterruptOptions {
  /** Called with 130 once the cleanups are done. Default: process.exit. */
  readonly exit?: (code: number) => void;
}

/**
 * Makes SIGINT and SIGTERM run the registered cleanups, then exit with code 130
 * (ExitCode.interrupted). A second signal while cleaning up exits at once. On an
 * ordinary exit, cleanups nobody ran get their synchronous part run. Returns a function
 * that removes the handlers.
 */
export function installInterruptHandlers(options: InterruptOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return exit(ExitCode.interrupted);
    interrupted = true;
    void runCleanups().finally(() => exit(ExitCode.interrupted));
  };
  const onExit = () => {
    // Nothing asynchronous runs after 'exit': only the synchronous part of each cleanup happens.
    for (const entry of [...pending].reverse()) void start(entry).catch(() => {});
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
  const installed: NodeJS.Signals[] = [];
  for (const signal of signals) {
    try {
      process.on(signal, onSignal);
      installed.push(signal);
    } catch {
      // Some runtimes cannot listen for SIGTERM on Windows; SIGINT is the one that matters there.
    }
  }
  process.on("exit", onExit);
  return () => {
    for (const signal of installed) process.off(signal, onSignal);
    process.off("exit", onExit);
  };
}
