import { resolve } from "node:path";
import { UserError } from "../errors.ts";
import type { CasesSpec, TargetSpec } from "../measure/protocol.ts";

/**
 * Parses `path#export` (path relative to `cwd`). The last `#` separates the export
 * so that folders with `#` in their names still work.
 */
export function parseTarget(text: string, cwd: string, what = "target"): TargetSpec {
  const at = text.lastIndexOf("#");
  if (at <= 0 || at === text.length - 1) {
    throw new UserError(`${what} "${text}": write it as path#export, e.g. src/parse.ts#parse`);
  }
  return { file: resolve(cwd, text.slice(0, at)), exportName: text.slice(at + 1), label: text };
}

/** Builds the inputs from `--args` (a JSON array: one argument list) or `--cases file#export`. */
export function parseCases(options: { args?: string; cases?: string }, cwd: string): CasesSpec {
  if (options.args !== undefined && options.cases !== undefined) {
    throw new UserError("--args and --cases: give one of them, not both");
  }
  if (options.cases !== undefined) {
    const spec = parseTarget(String(options.cases), cwd, "--cases");
    return { kind: "module", file: spec.file, exportName: spec.exportName, label: spec.label };
  }
  if (options.args !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(options.args));
    } catch (error) {
      throw new UserError(`--args '${options.args}': not valid JSON (${(error as Error).message}); give a JSON array of arguments, e.g. --args '["Hello World"]'`);
    }
    if (!Array.isArray(parsed)) {
      throw new UserError(`--args '${options.args}': must be a JSON array of arguments, e.g. --args '[1000]'`);
    }
    return { kind: "args", json: JSON.stringify(parsed) };
  }
  return { kind: "none" };
}
