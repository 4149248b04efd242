/**
 * The modules a suite file gets for `tinybench`, `mitata` and `vitest`: they record
 * the benchmarks the file registers, and never run the peer's own measuring loop.
 * tinybench's suites are read through tinybench's own Bench and Task (a Bench whose
 * run() records instead of measuring); mitata and vitest get modules of their own
 * with the same registration API.
 */
import * as tinybench from "tinybench";
import { addTasks, currentCollection, type Collection, type CollectedTask, type PreparedTask } from "./registry.ts";
import type { SuitePeer } from "./detect.ts";

type AnyFn = (...args: unknown[]) => unknown;

const loopHookReason = (owner: string, hook: string) =>
  `${owner} ${hook}(task, mode) is called by tinybench's own loop with its Task and phase (warmup, run), a loop xloop does not run; a ${hook} without parameters is run once before measuring`;

/** A tinybench Bench or vitest option's setup/teardown: one without parameters runs once; one with them needs the peer's loop. */
function loopHookRefusal(owner: string, hooks: { setup?: AnyFn; teardown?: AnyFn }, defaults: { setup?: AnyFn; teardown?: AnyFn } = {}): string | undefined {
  for (const hook of ["setup", "teardown"] as const) {
    const fn = hooks[hook];
    if (typeof fn === "function" && fn !== defaults[hook] && fn.length > 0) return loopHookReason(owner, hook);
  }
  return undefined;
}

// ---------------------------------------------------------------- tinybench

interface TinybenchRecord {
  bench: tinybench.Bench;
  fns: Map<string, { fn: AnyFn; options: tinybench.FnOptions }>;
  ran: boolean;
}

const tinybenchRecords = new WeakMap<Collection, TinybenchRecord[]>();

/** The tasks of the Benches one evaluation created: those it ran, or every one when it ran none (a file that exports its Bench). */
function finishTinybench(collection: Collection, records: TinybenchRecord[], reference: tinybench.Bench): void {
  const ran = records.filter((r) => r.ran);
  const tasks: CollectedTask[] = [];
  for (const record of ran.length > 0 ? ran : records) {
    const bench = record.bench;
    const group = bench.name ? [bench.name] : [];
    const refusal = loopHookRefusal("its Bench's", { setup: bench.setup as AnyFn, teardown: bench.teardown as AnyFn }, { setup: reference.setup as AnyFn, teardown: reference.teardown as AnyFn });
    // The task list is the Bench's own (its public `tasks`), so removals and tinybench's
    // own checks on add() count; the function and hooks are what add() was given.
    for (const task of bench.tasks) {
      const added = record.fns.get(task.name);
      if (!added) continue;
      const { fn, options } = added;
      const setup = bench.setup !== reference.setup ? (bench.setup as () => unknown) : undefined;
      tasks.push({
        path: [...group, task.name],
        refused: refusal,
        prepare: async (): Promise<PreparedTask> => {
          await setup?.();
          // tinybench calls its hooks with the Task as `this` and the phase as argument.
          await options.beforeAll?.call(task, "run");
          const { beforeEach, afterEach } = options;
          return {
            fn: fn as () => unknown,
            ...(beforeEach ? { beforeEach: () => beforeEach.call(task, "run") } : {}),
            ...(afterEach ? { afterEach: () => afterEach.call(task, "run") } : {}),
          };
        },
      });
    }
  }
  addTasks(collection, "tinybench", tasks);
}

function tinybenchShim(): Record<string, unknown> {
  const reference = new tinybench.Bench();
  /** tinybench's Bench, recording its tasks; run() and runSync() measure nothing. */
  class Bench extends tinybench.Bench {
    readonly #record: TinybenchRecord | null = null;
    constructor(options?: ConstructorParameters<typeof tinybench.Bench>[0]) {
      super(options);
      const collection = currentCollection();
      if (!collection) return;
      this.#record = { bench: this, fns: new Map(), ran: false };
      let records = tinybenchRecords.get(collection);
      if (!records) {
        records = [];
        tinybenchRecords.set(collection, records);
        const all = records;
        collection.finishers.push(() => finishTinybench(collection, all, reference));
      }
      records.push(this.#record);
    }
    override add(name: string, fn: tinybench.Fn, options: tinybench.FnOptions = {}): this {
      super.add(name, fn, options);
      this.#record?.fns.set(name, { fn: fn as AnyFn, options });
      return this;
    }
    override run(): Promise<tinybench.Task[]> {
      this.#ran();
      return Promise.resolve(this.tasks);
    }
    override runSync(): tinybench.Task[] {
      this.#ran();
      return this.tasks;
    }
    #ran(): void {
      if (!this.#record) return;
      this.#record.ran = true;
      const collection = currentCollection();
      if (collection) collection.ran = true;
    }
  }
  return { ...tinybench, Bench };
}

// ---------------------------------------------------------------- mitata

const GeneratorFunction = function* () {}.constructor;
const AsyncGeneratorFunction = async function* () {}.constructor;

/** mitata's benchmark builder: the same chainable API, recording only. */
class MitataBench {
  _args: Record<string, unknown[]> = {};
  constructor(
    public _name: string,
    readonly f: AnyFn,
    readonly groups: string[],
  ) {
    if (typeof f !== "function") throw new TypeError("expected iterator, generator or one-shot function");
  }
  name(name: string): this {
    this._name = name;
    return this;
  }
  gc(): this {
    return this;
  }
  highlight(): this {
    return this;
  }
  compact(): this {
    return this;
  }
  baseline(): this {
    return this;
  }
  range(name: string, start: number, end: number, multiplier = 8): this {
    const values: number[] = [];
    for (let o = start; o <= end; o *= multiplier) values.push(Math.min(o, end));
    if (!values.includes(end)) values.push(end);
    return this.args(name, values);
  }
  dense_range(name: string, start: number, end: number, step = 1): this {
    const values: number[] = [];
    for (let o = start; o <= end; o += step) values.push(o);
    if (!values.includes(end)) values.push(end);
    return this.args(name, values);
  }
  args(name: string | unknown[] | Record<string, unknown[] | null> | null, values?: unknown[] | null): this {
    if (name === null) delete this._args.x;
    else if (Array.isArray(name)) this._args.x = name;
    else if (typeof name === "string" && values === null) delete this._args[name];
    else if (typeof name === "string" && Array.isArray(values)) this._args[name] = values;
    else if (typeof name === "object") for (const [k, v] of Object.entries(name)) v == null ? delete this._args[k] : (this._args[k] = v);
    else throw new TypeError("invalid arguments");
    return this;
  }
  /** Every combination of the parameters, in mitata's order (the first parameter varies fastest), with `$name` filled in. */
  runs(): { name: string; args: Record<string, unknown> }[] {
    const keys = Object.keys(this._args);
    if (keys.length === 0) return [{ name: this._name, args: {} }];
    const total = keys.reduce((n, k) => n * this._args[k].length, 1);
    const offsets = new Array(keys.length).fill(0);
    const out: { name: string; args: Record<string, unknown> }[] = [];
    for (let o = 0; o < total; o++) {
      const args: Record<string, unknown> = {};
      let name = this._name;
      for (let i = 0; i < keys.length; i++) args[keys[i]] = this._args[keys[i]][offsets[i]];
      for (const k of keys) name = name.replaceAll(`$${k}`, String(args[k]));
      out.push({ name, args });
      let i = 0;
      do offsets[i] = (offsets[i] + 1) % this._args[keys[i]].length;
      while (offsets[i++] === 0 && i < keys.length);
    }
    return out;
  }
}

/** Readies one mitata run: a one-shot function as it is, a generator run to its yield (with mitata's computed parameters made before each call). */
async function prepareMitata(f: AnyFn, args: Record<string, unknown>): Promise<PreparedTask> {
  if (!(f instanceof GeneratorFunction) && !(f instanceof AsyncGeneratorFunction)) return { fn: f as () => unknown };
  const generator = f({ get: (name: string) => args[name] }) as Generator | AsyncGenerator;
  const step = await generator.next();
  const value = step.value as AnyFn | { bench?: AnyFn; [k: number]: AnyFn } | undefined;
  if (typeof value === "function" && value.length === 0) return { fn: value as () => unknown };
  const body = value && typeof value === "object" ? value.bench : undefined;
  if (typeof body !== "function") throw new TypeError("expected benchmarkable yield from generator");
  // `yield { [0]() { return input() }, bench(x) { … } }`: mitata makes the parameters
  // afresh before each call, outside the timed region; so does beforeEach here.
  const makers = Array.from({ length: body.length }, (_, i) => (value as Record<number, AnyFn>)[i]);
  let params: unknown[] = [];
  return { fn: () => body(...params), beforeEach: () => (params = makers.map((make) => make())) };
}

function mitataShim(): Record<string, unknown> {
  const groups: string[] = [];
  const registered = new WeakMap<Collection, MitataBench[]>();
  const nest = (name: string | null, f: () => unknown) => {
    groups.push(name ?? groups[groups.length - 1] ?? "");
    const pop = () => void groups.pop();
    let result: unknown;
    try {
      result = f();
    } catch (error) {
      pop();
      throw error;
    }
    if (result instanceof Promise) return result.finally(pop).then(() => undefined);
    pop();
    return undefined;
  };
  const bench = (name: string | AnyFn, fn?: AnyFn) => {
    if (typeof name === "function") [fn, name] = [name, name.name || "anonymous"];
    // mitata names a benchmark's group by the innermost group's name (summary() and
    // the plots inside a group inherit it), not by the chain of groups.
    const innermost = groups[groups.length - 1];
    const b = new MitataBench(name, fn!, innermost ? [innermost] : []);
    const collection = currentCollection();
    if (!collection) return b;
    let list = registered.get(collection);
    if (!list) {
      list = [];
      registered.set(collection, list);
      const all = list;
      collection.finishers.push(() => {
        const tasks: CollectedTask[] = [];
        for (const b of all) {
          // A function with a parameter times mitata's own loop inside itself (`for (const _ of state)`).
          const refused =
            !(b.f instanceof GeneratorFunction) && !(b.f instanceof AsyncGeneratorFunction) && b.f.length > 0
              ? "its function runs mitata's timed loop itself (it takes mitata's state and iterates it), so the calls cannot be timed from outside"
              : undefined;
          for (const run of b.runs()) tasks.push({ path: [...b.groups, run.name], refused, prepare: () => prepareMitata(b.f, run.args) });
        }
        addTasks(collection, "mitata", tasks);
      });
    }
    list.push(b);
    return b;
  };
  const passThrough = (f: () => unknown) => nest(null, f);
  const sink = { value: undefined as unknown };
  return {
    bench,
    group: (name: string | (() => unknown), f?: () => unknown) => (typeof name === "function" ? nest(null, name) : nest(name, f!)),
    summary: passThrough,
    barplot: passThrough,
    boxplot: passThrough,
    lineplot: passThrough,
    compact: passThrough,
    run: async () => {
      const collection = currentCollection();
      if (collection) collection.ran = true;
      return { layout: [], context: {}, benchmarks: [] };
    },
    do_not_optimize: (v: unknown) => void (sink.value = v),
    measure: () => {
      throw new Error("xloop: mitata's measure() runs mitata's own loop, which xloop replaces; register the function with bench() instead");
    },
    flags: { compact: 1, baseline: 2 },
    B: MitataBench,
  };
}

// ---------------------------------------------------------------- vitest

interface VitestSuite {
  name: string;
  parent: VitestSuite | null;
  skip: boolean;
  only: boolean;
  beforeAll: AnyFn[];
  beforeEach: AnyFn[];
  afterEach: AnyFn[];
}

interface VitestBench {
  name: string;
  fn: AnyFn;
  options: { setup?: AnyFn; teardown?: AnyFn };
  suite: VitestSuite;
  skip: boolean;
  only: boolean;
}

function chain(suite: VitestSuite): VitestSuite[] {
  const out: VitestSuite[] = [];
  for (let s: VitestSuite | null = suite; s; s = s.parent) out.unshift(s);
  return out;
}

/** The benches vitest would run: skipped ones and those outside `.only` left out; each refused when it needs vitest's runner. */
function finishVitest(collection: Collection, benches: VitestBench[]): void {
  const inOnly = (b: VitestBench) => b.only || chain(b.suite).some((s) => s.only);
  const anyOnly = benches.some(inOnly);
  const tasks: CollectedTask[] = [];
  for (const b of benches) {
    const suites = chain(b.suite);
    if (b.skip || suites.some((s) => s.skip) || (anyOnly && !inOnly(b))) continue;
    let refused: string | undefined;
    if (b.fn.length > 0) refused = "its function takes an argument (vitest's test context or fixtures), which only vitest's runner provides";
    else if (suites.some((s) => s.beforeEach.length > 0 || s.afterEach.length > 0)) refused = "a describe-level beforeEach/afterEach runs through vitest's runner with its test context, which xloop does not load";
    else refused = loopHookRefusal("its options'", b.options);
    const beforeAlls = suites.flatMap((s) => s.beforeAll);
    tasks.push({
      path: [...suites.slice(1).map((s) => s.name), b.name],
      refused,
      prepare: async () => {
        for (const hook of beforeAlls) await hook();
        await b.options.setup?.();
        return { fn: b.fn as () => unknown };
      },
    });
  }
  addTasks(collection, "vitest", tasks);
}

function runnerOnly(name: string): never {
  throw new Error(`xloop: vitest's ${name} needs vitest's runner, which xloop does not load (it runs vitest's bench() registrations only)`);
}

function vitestShim(): Record<string, unknown> {
  const root = (): VitestSuite => ({ name: "", parent: null, skip: false, only: false, beforeAll: [], beforeEach: [], afterEach: [] });
  const state = new WeakMap<Collection, { current: VitestSuite; benches: VitestBench[] }>();
  const open = () => {
    const collection = currentCollection();
    if (!collection) return null;
    let s = state.get(collection);
    if (!s) {
      s = { current: root(), benches: [] };
      state.set(collection, s);
      const benches = s.benches;
      collection.finishers.push(() => finishVitest(collection, benches));
    }
    return { collection, s };
  };
  const makeDescribe = (flags: { skip?: boolean; only?: boolean }) => (name: string, fn?: () => unknown) => {
    const o = open();
    if (!o || typeof fn !== "function") return;
    const parent = o.s.current;
    const suite: VitestSuite = { name: String(name), parent, skip: !!flags.skip, only: !!flags.only, beforeAll: [], beforeEach: [], afterEach: [] };
    o.s.current = suite;
    let result: unknown;
    try {
      result = fn();
    } finally {
      if (!(result instanceof Promise)) o.s.current = parent;
    }
    // vitest awaits an async describe body before collecting the next.
    if (result instanceof Promise) return result.finally(() => (o.s.current = parent));
  };
  const makeBench = (flags: { skip?: boolean; only?: boolean; todo?: boolean }) => (name: string, fn?: AnyFn, options: VitestBench["options"] = {}) => {
    const o = open();
    if (!o || flags.todo || typeof fn !== "function") return;
    o.s.benches.push({ name: String(name), fn, options: options ?? {}, suite: o.s.current, skip: !!flags.skip, only: !!flags.only });
  };
  const describe = Object.assign(makeDescribe({}), { skip: makeDescribe({ skip: true }), only: makeDescribe({ only: true }), todo: () => {} });
  const bench = Object.assign(makeBench({}), {
    skip: makeBench({ skip: true }),
    only: makeBench({ only: true }),
    todo: makeBench({ todo: true }),
    skipIf: (condition: unknown) => makeBench({ skip: !!condition }),
    runIf: (condition: unknown) => makeBench({ skip: !condition }),
  });
  const hook = (kind: "beforeAll" | "beforeEach" | "afterEach") => (fn: AnyFn) => void open()?.s.current[kind].push(fn);
  const runnerProxy = (name: string) =>
    new Proxy(() => {}, { get: () => runnerOnly(name), apply: () => runnerOnly(name) });
  return {
    bench,
    describe,
    suite: describe,
    beforeAll: hook("beforeAll"),
    beforeEach: hook("beforeEach"),
    afterEach: hook("afterEach"),
    afterAll: () => {},
    vi: runnerProxy("vi"),
    vitest: runnerProxy("vitest"),
    expect: runnerProxy("expect"),
    assert: runnerProxy("assert"),
    test: runnerProxy("test"),
    it: runnerProxy("it"),
  };
}

const shimsSlot = Symbol.for("xloop.suite.shims");

/**
 * The shim modules' exports, made once per thread and kept on globalThis, where the
 * Node loader's generated modules read them (src/suites/intercept.ts).
 */
export function suiteShims(): Record<SuitePeer, Record<string, unknown>> {
  const holder = globalThis as { [shimsSlot]?: Record<SuitePeer, Record<string, unknown>> };
  holder[shimsSlot] ??= { tinybench: tinybenchShim(), mitata: mitataShim(), vitest: vitestShim() };
  return holder[shimsSlot];
}
