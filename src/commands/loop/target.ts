/**
 * `xloop target done <target> --reason "<why>"` and `xloop target open <target>`: the
 * record's way to hold a target's state, which the plateau stop reads (the top three
 * ranked targets non-optimizable → stop and report).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { UserError } from "../../errors.ts";
import { ExitCode } from "../../exit-codes.ts";
import { targetKey } from "../../project/root.ts";
import { appendResult, nextExperimentNumber } from "../../record/results-tsv.ts";
import { targetStateRow } from "../../record/row-kinds.ts";
import { parseTarget } from "../../target/parse.ts";
import type { CommandContext } from "../context.ts";
import { headShort, openLoopFiles, requiredText, sessionDomain, type LoopFiles } from "./files.ts";

/** The target as the record names it: a path#export of a file that exists becomes repo-relative; anything else as given. */
function recordName(files: LoopFiles, text: string, cwd: string): string {
  const file = text.split("#")[0]!;
  if (!text.includes("#") || !existsSync(resolve(cwd, file))) return text.trim();
  return targetKey(files.root, parseTarget(text, cwd));
}

/** Records the target's state and says what the loop will make of it. */
export async function targetCommand([action, text]: [string?, string?], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  if (action !== "done" && action !== "open") {
    throw new UserError(`target: unknown action "${action ?? ""}"; use \`xloop target done <path#export> --reason "<why>"\` (non-optimizable) or \`xloop target open <path#export>\` (optimizable again)`);
  }
  if (!text?.trim()) throw new UserError(`target ${action}: name the target, e.g. xloop target ${action} src/price.ts#total`);
  const why = action === "done" ? requiredText(options.reason, "--reason", '"already O(n), dominated by I/O"') : undefined;
  const files = await openLoopFiles(context.cwd);
  const target = recordName(files, text, context.cwd);
  const row = targetStateRow({
    experiment: nextExperimentNumber(files.rows),
    target,
    nonOptimizable: action === "done",
    why: why?.replace(/\s*[\r\n]+\s*/g, " "),
    timestamp: new Date().toISOString(),
    commit: await headShort(files.root),
    domain: sessionDomain(files).name,
  });
  appendResult(files.paths.results, row);
  process.stderr.write(
    action === "done"
      ? `xloop: recorded ${target} as non-optimizable (${why}); at a plateau, status stops once the top three ranked targets are\n`
      : `xloop: recorded ${target} as optimizable: the loop may choose it again\n`,
  );
  return ExitCode.ok;
}
