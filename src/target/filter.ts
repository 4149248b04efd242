import { UserError } from "../errors.ts";

/** `--filter`: a regular expression as given (or already compiled), null when absent; a bad pattern is a usage error naming it. */
export function parseFilter(filter: RegExp | string | undefined): RegExp | null {
  if (filter === undefined || filter instanceof RegExp) return filter ?? null;
  try {
    return new RegExp(filter);
  } catch (error) {
    throw new UserError(`--filter "${filter}": not a valid regular expression (${(error as Error).message})`);
  }
}
