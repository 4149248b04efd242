/**
 * Timed batch loops, generated per use. Each call of makeBatchRunner compiles a
 * fresh function, so its JIT feedback (inline caches, inlining decisions) belongs to
 * one target alone, as in mitata; the empty-function harness gets its own copy of the
 * same shape so that subtracting it removes exactly the loop's own cost.
 */

/** Runs `n` calls starting at case `start`; resolves to elapsed clock ns. */
export type BatchRunner = (
  fn: (...args: unknown[]) => unknown,
  cases: readonly unknown[][],
  n: number,
  start: number,
  now: () => number,
  sink: { value: unknown },
) => number | Promise<number>;

/** The shape of the calls a runner makes. */
export interface RunnerShape {
  /** Fixed argument count of every case, or null when cases differ (then fn.apply). */
  arity: number | null;
  /** Awaits each call. */
  isAsync: boolean;
}

/** Calls made around each timed call, outside the timed region (a suite task's beforeEach/afterEach). */
export interface CallHooks {
  beforeEach?: () => unknown;
  afterEach?: () => unknown;
}

/**
 * Compiles a fresh batch loop of the given shape. With `hooks`, each call is timed on
 * its own so that the hooks run between the clock reads, not inside them; the
 * harness then gets a runner with empty hooks, so subtracting it removes the two
 * clock reads every call costs.
 */
export function makeBatchRunner(shape: RunnerShape, hooks?: CallHooks): BatchRunner {
  if (hooks) return makeHookedBatchRunner(shape, hooks);
  const call = callExpression(shape);
  const body = `
    const len = cases.length;
    let k = start % len;
    let result;
    const t0 = now();
    for (let i = 0; i < n; i++) {
      const a = cases[k];
      if (++k === len) k = 0;
      result = ${shape.isAsync ? "await " : ""}${call};
    }
    const t1 = now();
    sink.value = result;
    return t1 - t0;`;
  const factory = shape.isAsync
    ? new Function(`return async function batch(fn, cases, n, start, now, sink) {${body}}`)
    : new Function(`return function batch(fn, cases, n, start, now, sink) {${body}}`);
  return factory() as BatchRunner;
}

/** The call of `fn` on the case `a`, spelt out for a common arity so the call site stays monomorphic. */
function callExpression(shape: RunnerShape): string {
  return shape.arity === null ? "fn.apply(undefined, a)" : `fn(${Array.from({ length: shape.arity }, (_, i) => `a[${i}]`).join(", ")})`;
}

function makeHookedBatchRunner(shape: RunnerShape, hooks: CallHooks): BatchRunner {
  const call = callExpression(shape);
  // Async because a hook may return a promise, awaited outside the timed region; a
  // synchronous target's call itself is not awaited.
  const body = `
    const len = cases.length;
    let k = start % len;
    let result;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const a = cases[k];
      if (++k === len) k = 0;
      const b = before();
      if (b !== undefined && b !== null && typeof b.then === "function") await b;
      const t0 = now();
      result = ${shape.isAsync ? "await " : ""}${call};
      total += now() - t0;
      const c = after();
      if (c !== undefined && c !== null && typeof c.then === "function") await c;
    }
    sink.value = result;
    return total;`;
  const noop = () => undefined;
  const factory = new Function("before", "after", `return async function hookedBatch(fn, cases, n, start, now, sink) {${body}}`);
  return factory(hooks.beforeEach ?? noop, hooks.afterEach ?? noop) as BatchRunner;
}

/** The argument count all cases share, or null when they differ. */
export function commonArity(cases: readonly unknown[][]): number | null {
  const first = cases[0]?.length ?? 0;
  return cases.every((c) => c.length === first) ? first : null;
}
