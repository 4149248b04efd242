import { ExitCode, type ExitCodeValue } from "./exit-codes.ts";

/**
 * A mistake the user can fix: printed as one line (no stack trace unless --verbose)
 * and mapped to its exit code. Its message names the input and says what to do.
 */
export class UserError extends Error {
  readonly exitCode: ExitCodeValue;
  constructor(message: string, exitCode: ExitCodeValue = ExitCode.usage) {
    super(message);
    this.name = "UserError";
    this.exitCode = exitCode;
  }
}

/** True for errors whose message is meant for the user as it is. */
export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
