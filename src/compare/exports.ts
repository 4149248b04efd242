/**
 * What a bench file offers: its zero-argument functions, as named exports or as a
 * default object of name -> function.
 */
import { importModule, listSuiteTasks, LoadFailure } from "../measure/load-target.ts";
import { isSuiteFile } from "../suites/detect.ts";

/** The benchmark names of one bench file (and a suite's tasks that cannot be measured, with why), or why it could not be loaded. */
export type BenchList = { ok: true; names: string[]; refused: { name: string; reason: string }[] } | { ok: false; message: string };

let listings = 0;

function isBenchFunction(value: unknown): value is () => unknown {
  // Functions that take parameters are helpers (fixtures, builders), and classes
  // cannot be called without `new`: neither is a benchmark.
  return typeof value === "function" && value.length === 0 && !/^class[\s{]/.test(Function.prototype.toString.call(value));
}

/** The benchmark names of a loaded module (named exports, which a module namespace lists sorted, then default-object keys); a named export wins over a default-object key of the same name. */
export function benchmarkNames(mod: Record<string, unknown>): string[] {
  const names = Object.keys(mod).filter((k) => k !== "default" && isBenchFunction(mod[k]));
  const fallback = mod.default;
  if (fallback !== null && typeof fallback === "object") {
    for (const [k, value] of Object.entries(fallback)) if (!names.includes(k) && isBenchFunction(value)) names.push(k);
  } else if (isBenchFunction(fallback)) {
    names.push("default");
  }
  return names;
}

/**
 * Imports `file` once in this process to list its benchmarks (the measurements
 * themselves run in fresh workers): a suite file's tasks by their `group > task`
 * names, else its zero-argument exports. A module that fails to import, or whose
 * top-level code does not finish within `timeoutMs`, comes back as a one-line reason.
 */
export async function listBenchmarks(file: string, label: string, timeoutMs: number): Promise<BenchList> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: its module did not finish loading within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    if (isSuiteFile(file)) {
      // A query of its own, so listing both revisions' copies, or one twice, evaluates each afresh.
      const tasks = await Promise.race([listSuiteTasks(file, label, `?xloop-list=${++listings}`), timeout]);
      return { ok: true, names: tasks.filter((t) => !t.refused).map((t) => t.name), refused: tasks.flatMap((t) => (t.refused ? [{ name: t.name, reason: t.refused }] : [])) };
    }
    const mod = await Promise.race([importModule(file, label), timeout]);
    return { ok: true, names: benchmarkNames(mod), refused: [] };
  } catch (error) {
    if (error instanceof LoadFailure) return { ok: false, message: error.failure.message };
    return { ok: false, message: (error as Error)?.message ?? String(error) };
  } finally {
    clearTimeout(timer);
  }
}
