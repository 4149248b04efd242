import { existsSync } from "node:fs";
import { createRequire, register } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { kitCacheRoot } from "../runtime/kit.ts";
import * as v from "valibot";
import { runtimeName } from "../runtime/runtime.ts";
import type { CasesSpec, Failure, TargetSpec } from "./protocol.ts";
import { isSuiteFile } from "../suites/detect.ts";
import { collectSuite, type SuiteTask } from "../suites/collect.ts";
import { SuitesUnsupported } from "../suites/intercept.ts";
import type { PreparedTask } from "../suites/registry.ts";

/** A failure to load, carried as a value so a worker can report it and go on. */
export class LoadFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/** Set by scripts/build.ts: "compiled" in the single binary, "node" in dist/cli.js and its workers. */
declare const XLOOP_BUILD: string | undefined;

let hooksRegistered = false;

/**
 * Registers workers/typescript-hooks on this worker's hooks thread, once: ESM
 * TypeScript then imports as cached JavaScript. Loader hooks registered on the main
 * thread do not reach worker threads in Node 20, so each worker registers its own.
 * Only the Node bundle ships the hooks file (dist/typescript-hooks.js).
 */
function registerTypeScriptHooks(): boolean {
  if (hooksRegistered) return true;
  if (typeof XLOOP_BUILD === "undefined" || XLOOP_BUILD !== "node") return false;
  const hooks = new URL("./typescript-hooks.js", import.meta.url);
  if (!existsSync(fileURLToPath(hooks))) return false;
  register(hooks.href, { data: { cacheDir: join(kitCacheRoot(), "typescript") } });
  hooksRegistered = true;
  return true;
}

/**
 * Node 20 cannot import TypeScript by itself. It goes through xloop's own hooks
 * (transpiled once per file version, cached on disk: a fresh worker's import measured
 * 3-4x faster than through tsx); .cts files, and what those hooks cannot resolve
 * (tsconfig `paths`) or transpile to ESM (`export =`), through tsx's tsImport, which
 * loads the file inside this worker with a scoped loader. Registering tsx globally
 * instead trips Node's require(esm) cycle check on .ts files outside a "type": "module"
 * package. Bun and Deno import TypeScript natively.
 */
async function importTypeScriptOnNode(file: string, query = ""): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  if (!file.endsWith(".cts") && registerTypeScriptHooks()) {
    try {
      return (await import(url + query)) as Record<string, unknown>;
    } catch (error) {
      const code = (error as { code?: string })?.code;
      if (code !== "ERR_MODULE_NOT_FOUND" && code !== "XLOOP_TYPESCRIPT_TRANSPILE") throw error;
    }
  }
  const tsx = (await import("tsx/esm/api" as string)) as { tsImport: (specifier: string, parent: string) => Promise<Record<string, unknown>> };
  return tsx.tsImport(url + query, url);
}

function needsTypeScriptLoader(file: string): boolean {
  return runtimeName() === "node" && /\.(c|m)?tsx?$/.test(file);
}

/**
 * Imports a module by absolute path; a `query` (such as `?xloop-copy=2`) makes the
 * runtime evaluate it afresh as a module of its own. Bun keys modules by a path with
 * its query and ignores a file URL's; Node, Deno and tsx key them by the URL.
 */
async function importWithQuery(file: string, query = ""): Promise<Record<string, unknown>> {
  if (needsTypeScriptLoader(file)) return importTypeScriptOnNode(file, query);
  if (query && runtimeName() === "bun") return (await import(file + query)) as Record<string, unknown>;
  return (await import(pathToFileURL(file).href + query)) as Record<string, unknown>;
}

/** Imports a module by absolute path (with `query`, evaluated afresh), turning every failure into a one-line LoadFailure. */
export async function importModule(file: string, label: string, query = ""): Promise<Record<string, unknown>> {
  if (!existsSync(file)) {
    throw new LoadFailure({ kind: "load", message: `${label}: file not found (paths are relative to the current folder)` });
  }
  try {
    return await importWithQuery(file, query);
  } catch (error) {
    const e = error as Error;
    const firstLine = String(e?.message ?? e).split("\n")[0];
    const kind = e?.name === "SyntaxError" ? "syntax error" : "failed to import";
    throw new LoadFailure({ kind: "load", message: `${label}: ${kind}: ${firstLine}`, stack: e?.stack });
  }
}

/** Looks up an export; CommonJS modules expose theirs on `default` too. */
export function pickExport(mod: Record<string, unknown>, name: string): unknown {
  if (name in mod) return mod[name];
  const fallback = mod.default as Record<string, unknown> | undefined;
  if (fallback && (typeof fallback === "object" || typeof fallback === "function") && name in fallback) return fallback[name];
  return undefined;
}

function exportNames(mod: Record<string, unknown>): string[] {
  const names = new Set(Object.keys(mod));
  const fallback = mod.default as Record<string, unknown> | undefined;
  if (fallback && typeof fallback === "object") for (const k of Object.keys(fallback)) names.add(k);
  return [...names];
}

/** A target function as loaded. */
export type TargetFunction = (...args: unknown[]) => unknown;

/**
 * Loads the target function. A suite task's calls around each call (beforeEach,
 * afterEach) run inside the function here, which suits capturing its outputs; the
 * measuring worker times them apart through loadTargetCopies.
 */
export async function loadTarget(spec: TargetSpec): Promise<TargetFunction> {
  if (isSuiteFile(spec.file)) {
    const task = await loadSuiteTask(spec, "");
    const { fn, beforeEach, afterEach } = task;
    if (!beforeEach && !afterEach) return fn;
    return () => {
      beforeEach?.();
      try {
        return fn();
      } finally {
        afterEach?.();
      }
    };
  }
  return targetExport(spec, await importModule(spec.file, spec.label));
}

/** Lists a suite file's tasks (an evaluation of its own, under `query`), turning an unsupported runtime into a LoadFailure. */
export async function listSuiteTasks(file: string, label: string, query: string): Promise<SuiteTask[]> {
  try {
    return await collectSuite(file, label, query, importModule);
  } catch (error) {
    if (error instanceof SuitesUnsupported) throw new LoadFailure({ kind: "load", message: `${label}: ${error.message}` });
    throw error;
  }
}

/**
 * Loads one task of a suite file (tinybench, mitata or vitest; the export name is the
 * task's `group > name`) from an evaluation of its own, readied to be timed. A task
 * xloop cannot run as the peer would is refused with the reason.
 */
export async function loadSuiteTask(spec: TargetSpec, query: string): Promise<PreparedTask> {
  const tasks = await listSuiteTasks(spec.file, spec.label, query);
  const task = tasks.find((t) => t.name === spec.exportName);
  if (!task) {
    throw new LoadFailure({
      kind: "load",
      message: `${spec.label}: no benchmark named "${spec.exportName}" in this suite (benchmarks: ${tasks.length ? tasks.map((t) => t.name).join(", ") : "none"})`,
    });
  }
  if (task.refused) throw new LoadFailure({ kind: "load", message: `${spec.label}: not measured: ${task.refused}` });
  return task.prepare();
}

function targetExport(spec: TargetSpec, mod: Record<string, unknown>): TargetFunction {
  const value = pickExport(mod, spec.exportName);
  if (value === undefined) {
    const available = exportNames(mod);
    throw new LoadFailure({
      kind: "load",
      message: `${spec.label}: no export named "${spec.exportName}" (exports: ${available.length ? available.join(", ") : "none"})`,
    });
  }
  if (typeof value !== "function") {
    throw new LoadFailure({
      kind: "not-function",
      message: `${spec.label}: export "${spec.exportName}" is a ${value === null ? "null" : typeof value}, not a function`,
    });
  }
  return value as TargetFunction;
}

/** The target's copies a worker got, and why fewer than asked when so. */
export interface TargetCopies {
  fns: TargetFunction[];
  /** A suite task's calls around each timed call, per copy (absent when no copy has any). */
  hooks?: Pick<PreparedTask, "beforeEach" | "afterEach">[];
  /** Why fewer copies were made than asked (absent when every one was). */
  fewerReason?: string;
}

/**
 * Evaluates the target's module once more under a distinct specifier, so that the
 * runtime compiles its functions again: a new module instance with its own code,
 * feedback and placement in memory. CommonJS modules are cached by file name whatever
 * the specifier, so they are required again after leaving the require cache.
 */
async function importCopy(spec: TargetSpec, copy: number, made: readonly TargetFunction[]): Promise<TargetFunction> {
  const fn = targetExport(spec, await importWithQuery(spec.file, `?xloop-copy=${copy}`));
  // A CommonJS module imported under a new specifier hands back whatever the require
  // cache holds, which after the first re-require is an earlier copy, not a new one.
  if (!made.includes(fn)) return fn;
  const require = createRequire(spec.file);
  const resolved = require.resolve(spec.file);
  if (!(resolved in require.cache)) return fn;
  delete require.cache[resolved];
  return targetExport(spec, require(resolved) as Record<string, unknown>);
}

function ordinal(n: number): string {
  return n === 2 ? "second" : n === 3 ? "third" : `${n}th`;
}

/**
 * Loads `copies` copies of the target function, each from its own evaluation of the
 * target's module. Speed can hang on where the JIT happens to place a function's
 * code (measured: sieve200us runs at ~160, ~165, ~170 or ~190 µs depending on the
 * copy, each copy steady to 1% for its lifetime), so a worker that averages over
 * several copies draws that luck several times, as several fresh workers would, for
 * one worker's start-up. The module's top-level code runs once per copy. A function
 * defined in another module (re-exported) is the same function in every copy, and
 * top-level code may refuse to run twice; then the copies made so far are used and
 * the reason is given.
 */
export async function loadTargetCopies(spec: TargetSpec, copies: number): Promise<TargetCopies> {
  const suite = isSuiteFile(spec.file);
  const prepared: PreparedTask[] = [];
  const loadCopy = async (copy: number, made: readonly TargetFunction[]): Promise<TargetFunction> => {
    if (!suite) return copy === 0 ? loadTarget(spec) : importCopy(spec, copy, made);
    const task = await loadSuiteTask(spec, copy === 0 ? "" : `?xloop-copy=${copy}`);
    prepared.push(task);
    return task.fn;
  };
  const withHooks = (result: TargetCopies): TargetCopies =>
    prepared.some((p) => p.beforeEach || p.afterEach) ? { ...result, hooks: prepared.slice(0, result.fns.length) } : result;
  const first = await loadCopy(0, []);
  const fns = [first];
  for (let copy = 1; copy < copies; copy++) {
    const measured = fns.length === 1 ? "one copy was" : `${fns.length} copies were`;
    let fn: TargetFunction;
    try {
      fn = await loadCopy(copy, fns);
    } catch (error) {
      // Top-level code that cannot run twice in one thread (it registers something
      // global, say) still gets measured, on the copies that loaded.
      const cause = String((error as Error)?.message ?? error).split("\n")[0];
      return withHooks({ fns, fewerReason: `evaluating the module a ${ordinal(copy + 1)} time failed (${cause}), so ${measured} measured` });
    }
    if (fns.includes(fn)) {
      return withHooks({ fns, fewerReason: `"${spec.exportName}" is the same function in every copy of its module (it is defined in a module that one imports, or the runtime reuses modules), so ${measured} measured` });
    }
    fns.push(fn);
  }
  return withHooks({ fns });
}

const CaseList = v.pipe(
  v.array(v.array(v.unknown()), "must be an array of argument lists (arrays), e.g. [[1, 2], [3, 4]]"),
  v.minLength(1, "yields no cases; give at least one argument list"),
);

let freshCases = 0;

/**
 * Loads the argument lists: `--args` JSON, a cases module export (array or function),
 * or one empty list. `fresh` evaluates the cases module again, for new values after a
 * call changed the first ones.
 */
export async function loadCases(spec: CasesSpec, { fresh = false }: { fresh?: boolean } = {}): Promise<unknown[][]> {
  if (spec.kind === "none") return [[]];
  if (spec.kind === "args") return [JSON.parse(spec.json) as unknown[]];
  const mod = await importModule(spec.file, spec.label, fresh ? `?xloop-cases=${++freshCases}` : "");
  let value = pickExport(mod, spec.exportName);
  if (value === undefined) {
    throw new LoadFailure({ kind: "cases", message: `${spec.label}: no export named "${spec.exportName}"` });
  }
  try {
    if (typeof value === "function") value = await (value as () => unknown)();
  } catch (error) {
    throw new LoadFailure({ kind: "cases", message: `${spec.label}: the cases function threw: ${(error as Error)?.message ?? error}` });
  }
  const parsed = v.safeParse(CaseList, value);
  if (!parsed.success) {
    throw new LoadFailure({ kind: "cases", message: `${spec.label}: ${parsed.issues[0].message}` });
  }
  return parsed.output;
}
