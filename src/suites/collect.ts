/**
 * Collecting a suite file's benchmarks: the file is evaluated once with xloop's shims
 * standing in for tinybench, mitata and vitest, and what it registered comes back as
 * named tasks, each readied on demand. The peer's own loop never runs.
 */
import { interceptPeerImports } from "./intercept.ts";
import { closeCollection, openCollection, type CollectedTask } from "./registry.ts";

/** A suite's benchmark with the name it is addressed by (`group > task`, as `file#group > task`). */
export interface SuiteTask extends CollectedTask {
  name: string;
}

/** How collectSuite evaluates the file: load-target's importer, which reports failures as one line. */
export type SuiteImporter = (file: string, label: string, query: string) => Promise<unknown>;

/** The separator of a task's groups and name, as shown (`file > group > task`) and addressed. */
export const pathSeparator = " > ";

// The peer's own reporting (console.table(bench.table()), mitata's output) runs after
// the intercepted run() and would print empty tables into xloop's output.
const quiet = ["log", "info", "table", "dir", "debug"] as const;

/**
 * Evaluates `file` (with `query`, so each evaluation is a module of its own) and
 * returns its tasks in registration order, tinybench's first, then mitata's, then
 * vitest's. Names repeated within the file get " (2)", " (3)"... so each stays addressable.
 */
export async function collectSuite(file: string, label: string, query: string, importer: SuiteImporter): Promise<SuiteTask[]> {
  interceptPeerImports();
  const saved = quiet.map((k) => console[k]);
  for (const k of quiet) console[k] = () => {};
  const collection = openCollection();
  try {
    try {
      await importer(file, label, query);
    } catch (error) {
      // Code after the peer's run() reads its results (`result.benchmarks[0].stats`),
      // which xloop does not produce; the benchmarks were registered by then.
      if (!collection.ran) throw error;
    }
    // Work the file queued on its run()'s promise (printing the peer's table) runs now, muted.
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    closeCollection();
    quiet.forEach((k, i) => (console[k] = saved[i] as never));
  }
  for (const finish of collection.finishers) finish();
  const seen = new Map<string, number>();
  const tasks: SuiteTask[] = [];
  for (const peer of ["tinybench", "mitata", "vitest"]) {
    for (const task of collection.tasks.get(peer) ?? []) {
      const base = task.path.join(pathSeparator);
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      tasks.push({ ...task, name: n === 1 ? base : `${base} (${n})` });
    }
  }
  return tasks;
}
