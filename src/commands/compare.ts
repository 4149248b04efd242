import { UserError } from "../errors.ts";
import type { CommandContext } from "./context.ts";

/** Placeholder until issue 7 lands. */
export async function compareCommand(_args: unknown[], _options: Record<string, unknown>, _context: CommandContext): Promise<number> {
  throw new UserError("compare is being built (issue 7)");
}
