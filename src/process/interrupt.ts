/**
 * The process's one answer to SIGINT and SIGTERM. Ctrl-C must stop the measurement and
 * still leave the user's repository as it was: the first signal says so, aborts the
 * command (workers are terminated), runs the registered cleanups and exits 130; a second
 * quits at once for a user who will not wait. A command hosted in a child of another
 * runtime is that child's to clean up: this process then only passes signals on.
 */
import { ExitCode } from "../exit-codes.ts";
import { runCleanups, startCleanupsOnExit } from "./cleanup.ts";

/** What the handlers act through; tests replace them. */
export interface InterruptOptions {
  /** Ends the process with 130 once the cleanups are done. Default: process.exit. */
  readonly exit?: (code: number) => void;
  /** Passes a signal on to a hosted child; true when there was one to take it. Default: none. */
  readonly forward?: (signal: NodeJS.Signals) => boolean;
}

/** The installed handlers, as the command line wires them. */
export interface Interrupts {
  /** Aborted by the first signal: what a command watches to stop measuring. */
  readonly signal: AbortSignal;
  /**
   * From now on a hosted child runs the command and cleans up after it: this process
   * no longer cleans up or exits on a signal (it waits for the child's exit code).
   */
  handOver(): void;
  /** Removes the handlers (tests). */
  uninstall(): void;
}

/**
 * Installs the SIGINT and SIGTERM handlers, and an exit handler that starts the
 * synchronous part of every cleanup an ordinary exit left behind.
 */
export function installInterruptHandlers(options: InterruptOptions = {}): Interrupts {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const forward = options.forward ?? (() => false);
  const controller = new AbortController();
  let handedOver = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // A hosted child does the cleaning up; this process waits for its exit code.
    if (forward(signal)) return;
    const first = !controller.signal.aborted;
    if (first) process.stderr.write(`\nxloop: ${signal}: cleaning up (again to quit at once)\n`);
    controller.abort();
    if (handedOver) return;
    if (!first) return exit(ExitCode.interrupted);
    void runCleanups().finally(() => exit(ExitCode.interrupted));
  };
  const onExit = () => {
    if (!handedOver) startCleanupsOnExit();
  };
  const installed: [NodeJS.Signals, () => void][] = [];
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const listener = () => onSignal(signal);
    try {
      process.on(signal, listener);
      installed.push([signal, listener]);
    } catch {
      // Some runtimes cannot listen for SIGTERM on Windows; SIGINT is the one that matters there.
    }
  }
  process.on("exit", onExit);
  return {
    signal: controller.signal,
    handOver: () => {
      handedOver = true;
    },
    uninstall: () => {
      for (const [signal, listener] of installed) process.off(signal, listener);
      process.off("exit", onExit);
    },
  };
}
