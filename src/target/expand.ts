/**
 * Turning what the user named on the command line into targets: `file#export` as
 * ever, `file#group > task` for a task of a suite file, and a file alone for every
 * benchmark it holds (a suite file's tasks, or a bench file's zero-argument exports).
 */
import { relative, resolve } from "node:path";
import { UserError } from "../errors.ts";
import { listSuiteTasks, LoadFailure } from "../measure/load-target.ts";
import type { TargetSpec } from "../measure/protocol.ts";
import { parseTarget } from "./parse.ts";
import { parseFilter } from "./filter.ts";
import { isSuiteFile } from "../suites/detect.ts";
import { pathSeparator } from "../suites/collect.ts";

/** A task found but not measured, and why. */
export interface NotMeasured {
  target: string;
  reason: string;
}

/** The targets to measure, and the suite tasks left out with their reasons. */
export interface ExpandedTargets {
  targets: TargetSpec[];
  notMeasured: NotMeasured[];
}

let listings = 0;

/**
 * The benchmarks of one file named alone: a suite file's tasks (shown as
 * `file > group > task`, addressed as `file#group > task`); any other file is a
 * usage error asking for `path#export`, as before.
 */
async function benchmarksOf(text: string, cwd: string): Promise<ExpandedTargets> {
  const file = resolve(cwd, text);
  const shown = relative(cwd, file) || text;
  if (isSuiteFile(file)) {
    let tasks;
    try {
      // A query of its own: listing evaluates the file in this process, apart from the workers' evaluations.
      tasks = await listSuiteTasks(file, shown, `?xloop-list=${++listings}`);
    } catch (error) {
      const message = error instanceof LoadFailure ? error.failure.message : `${shown}: ${(error as Error)?.message ?? error}`;
      throw new UserError(message);
    }
    if (tasks.length === 0) throw new UserError(`${shown}: registers no benchmarks (no tinybench task, mitata bench or vitest bench was added when it loaded)`);
    const targets: TargetSpec[] = [];
    const notMeasured: NotMeasured[] = [];
    for (const task of tasks) {
      const label = `${shown}${pathSeparator}${task.name}`;
      if (task.refused) notMeasured.push({ target: label, reason: task.refused });
      else targets.push({ file, exportName: task.name, label });
    }
    return { targets, notMeasured };
  }
  // Any other file still needs its export named: which functions of a module are
  // benchmarks is the user's call (compare's suite mode has its own convention).
  return { targets: [parseTarget(text, cwd)], notMeasured: [] };
}

/**
 * Every target the command line names, in order; `filter` (a regular expression)
 * keeps those whose shown name matches (`file > group > task` or `file#export`).
 */
export async function expandTargets(texts: string[], cwd: string, filter?: string): Promise<ExpandedTargets> {
  const pattern = parseFilter(filter);
  const out: ExpandedTargets = { targets: [], notMeasured: [] };
  for (const text of texts) {
    const found = text.includes("#") ? { targets: [parseTarget(text, cwd)], notMeasured: [] } : await benchmarksOf(text, cwd);
    out.targets.push(...found.targets.filter((t) => !pattern || pattern.test(t.label)));
    out.notMeasured.push(...found.notMeasured.filter((t) => !pattern || pattern.test(t.target)));
  }
  if (out.targets.length === 0 && pattern) throw new UserError(`--filter "${filter}": matched no benchmark`);
  return out;
}
