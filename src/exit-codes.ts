/**
 * The process exit codes xloop promises to scripts. They are part of the public
 * interface (documented in the README): never renumber one.
 */
export const ExitCode = {
  /** The command ran and, where it decides something, the decision is the positive one (KEEP, match, continue). */
  ok: 0,
  /** A bug in xloop itself: an unexpected exception. */
  internal: 1,
  /** The user's input is wrong: options, files, targets that cannot be loaded, a bad record. */
  usage: 2,
  /** A target failed while running: it threw, hung past --timeout, exited, or exhausted memory. */
  targetFailed: 3,
  /** `ab --expect X`: the verdict was not X. */
  unexpectedVerdict: 4,
  /** `oracle verify`: the outputs differ from the captured oracle. */
  mismatch: 5,
  /** `experiment`: the change was discarded (the tree was restored). */
  discarded: 6,
  /** `status --continue`: the loop should stop (plateau, target reached, stalled). */
  stop: 7,
  /** `guard`: the guard command failed. */
  guardFailed: 8,
  /** `doctor --strict`: the machine is unfit for 1% decisions. */
  unfit: 9,
  /** `experiment`: another experiment is running in this repository (its journal's pid lives); run again after it. */
  busy: 10,
  /** Interrupted by SIGINT/SIGTERM after cleaning up. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
