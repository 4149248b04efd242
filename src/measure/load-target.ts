import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import * as v from "valibot";
import { runtimeName } from "../runtime/runtime.ts";
import type { CasesSpec, Failure, TargetSpec } from "./protocol.ts";

/** A failure to load, carried as a value so a worker can report it and go on. */
export class LoadFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/**
 * Node 20 cannot import TypeScript by itself, and loader hooks registered on the
 * main thread do not reach worker threads. tsx's tsImport loads the file inside
 * this worker with a scoped loader; registering tsx globally instead trips Node's
 * require(esm) cycle check on .ts files outside a "type": "module" package. Bun and
 * Deno import TypeScript natively.
 */
async function importTypeScriptOnNode(file: string): Promise<Record<string, unknown>> {
  const tsx = (await import("tsx/esm/api" as string)) as { tsImport: (specifier: string, parent: string) => Promise<Record<string, unknown>> };
  const url = pathToFileURL(file).href;
  return tsx.tsImport(url, url);
}

function needsTypeScriptLoader(file: string): boolean {
  return runtimeName() === "node" && /\.(c|m)?tsx?$/.test(file);
}

/** Imports a module by absolute path, turning every failure into a one-line LoadFailure. */
export async function importModule(file: string, label: string): Promise<Record<string, unknown>> {
  if (!existsSync(file)) {
    throw new LoadFailure({ kind: "load", message: `${label}: file not found (paths are relative to the current folder)` });
  }
  try {
    if (needsTypeScriptLoader(file)) return await importTypeScriptOnNode(file);
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
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

/** Loads the target function. */
export async function loadTarget(spec: TargetSpec): Promise<(...args: unknown[]) => unknown> {
  const mod = await importModule(spec.file, spec.label);
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
  return value as (...args: unknown[]) => unknown;
}

const CaseList = v.pipe(
  v.array(v.array(v.unknown()), "must be an array of argument lists (arrays), e.g. [[1, 2], [3, 4]]"),
  v.minLength(1, "yields no cases; give at least one argument list"),
);

/** Loads the argument lists: `--args` JSON, a cases module export (array or function), or one empty list. */
export async function loadCases(spec: CasesSpec): Promise<unknown[][]> {
  if (spec.kind === "none") return [[]];
  if (spec.kind === "args") return [JSON.parse(spec.json) as unknown[]];
  const mod = await importModule(spec.file, spec.label);
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
