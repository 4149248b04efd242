/**
 * What a bench file offers: its zero-argument functions, as named exports or as a
 * default object of name -> function.
 */
import { importModule, LoadFailure } from "../measure/load-target.ts";

/** The benchmark names of one bench file, or why it could not be loaded. */
export type BenchList = { ok: true; names: string[] } | { ok: false; message: string };

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
 * themselves run in fresh workers). A module that fails to import, or whose
 * top-level code does not finish within `timeoutMs`, comes back as a one-line reason.
 */
export async function listBenchmarks(file: string, label: string, timeoutMs: number): Promise<BenchList> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: its module did not finish loading within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const mod = await Promise.race([importModule(file, label), timeout]);
    return { ok: true, names: benchmarkNames(mod) };
  } catch (error) {
    if (error instanceof LoadFailure) return { ok: false, message: error.failure.message };
    return { ok: false, message: (error as Error)?.message ?? String(error) };
  } finally {
    clearTimeout(timer);
  }
}
