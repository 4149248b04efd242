/**
 * Node module hooks that hand a suite file xloop's shims for its bare imports of
 * `tinybench`, `mitata` and `vitest` (src/suites/intercept.ts registers them). The
 * generated module re-exports the shim object the importing thread keeps on
 * globalThis, so registrations land in that thread's open collection.
 */
import type { SuiteHooksData } from "../src/suites/intercept.ts";

let exportsByPeer: Record<string, string[]> = {};

/** Node calls this once when the hooks are registered. */
export function initialize(data: SuiteHooksData): void {
  exportsByPeer = data.exports;
}

const scheme = "xloop-suite:";

type Next<C, R> = (specifier: string, context: C) => Promise<R>;

/** A peer's bare specifier resolves to xloop's shim, wherever it is imported from. */
export async function resolve(specifier: string, context: object, next: Next<object, { url: string }>): Promise<{ url: string; shortCircuit?: boolean }> {
  if (Object.hasOwn(exportsByPeer, specifier)) return { url: scheme + specifier, shortCircuit: true };
  return next(specifier, context);
}

/** The shim module: one named export per key of the thread's shim object. */
export async function load(url: string, context: object, next: Next<object, unknown>): Promise<unknown> {
  if (!url.startsWith(scheme)) return next(url, context);
  const peer = url.slice(scheme.length);
  const names = (exportsByPeer[peer] ?? []).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default");
  const source = [
    `const shim = globalThis[Symbol.for("xloop.suite.shims")][${JSON.stringify(peer)}];`,
    ...names.map((n) => `export const ${n} = shim[${JSON.stringify(n)}];`),
    "export default shim;",
  ].join("\n");
  return { format: "module", source, shortCircuit: true };
}
