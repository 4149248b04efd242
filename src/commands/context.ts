/** What every command gets from the CLI wiring. */
export interface CommandContext {
  /** The folder paths are relative to. */
  cwd: string;
  /** Aborted on SIGINT/SIGTERM: long work stops, cleans up and returns. */
  signal: AbortSignal;
  /** --verbose: stack traces and details. */
  verbose: boolean;
}
