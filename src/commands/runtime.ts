import { readLoopConfig } from "../loop/config.ts";
import { projectRoot } from "../project/root.ts";
import { hostOnChosenRuntime } from "../runtime/host.ts";
import type { CommandContext } from "./context.ts";
import { codeflashPaths } from "../project/codeflash-paths.ts";

/**
 * Before a measuring command runs: hands it to the runtime it must measure on (see
 * runtime/host.ts). Null: run it here; a number: the hosted child's exit code.
 */
export function hostMeasuringCommand(options: Record<string, unknown>, context: CommandContext, argv: string[], beforeSpawn: () => void): Promise<number | null> {
  const configured = () => readLoopConfig(codeflashPaths(projectRoot(context.cwd)).config).runtime;
  return hostOnChosenRuntime(options, context.cwd, configured, argv, (line) => process.stderr.write(`xloop: note: ${line}\n`), beforeSpawn);
}
