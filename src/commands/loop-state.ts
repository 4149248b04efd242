import { UserError } from "../errors.ts";
import type { CommandContext } from "./context.ts";

type Command = (args: unknown[], options: Record<string, unknown>, context: CommandContext) => Promise<number>;
const pending: Command = async () => {
  throw new UserError("this command is being built (issue 6)");
};
export const statusCommand = pending;
export const historyCommand = pending;
export const milestoneCommand = pending;
export const escalateCommand = pending;
export const handoffCommand = pending;
export const learningsCommand = pending;
export const domainCommand = pending;
