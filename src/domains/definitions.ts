/**
 * xloop's four domains as plain data, written for JavaScript and TypeScript: the
 * thresholds, checklists and rotations the rules of docs/loop.md plug into. The
 * micro-only thresholds for cpu, memory and async are the ones the loop's public runs
 * used; the noise thresholds are xloop's, because it measures interleaved and pinned.
 * Validated by `DomainSchema` in domains.ts.
 */
import type { DomainName } from "./schema.ts";

const MiB = 1024 * 1024;

/** cpu's noise threshold: differences within ±this are "same" (ab, experiment and compare in the cpu domain). */
export const cpuNoiseThreshold = 0.01;

/** Escalation to structure applies to every other domain (docs/loop.md: import time or cycles may be the real bottleneck in any domain). */
const ANY_TO_STRUCTURE = {
  signal: "Import time or circular dependencies are the real bottleneck",
  suggests: "structure",
} as const;

/** The raw definitions; read them through getDomain, which returns them validated. */
export const DOMAIN_DEFINITIONS: Record<DomainName, unknown> = {
  cpu: {
    name: "cpu",
    summary: "Time spent computing: the target function's time per call, and the program's runtime it feeds.",
    metrics: [
      {
        name: "time per call",
        unit: "ns",
        better: "lower",
        primary: true,
        how: "xloop ab: HEAD against the working tree, pinned, interleaved in 1-10 ms slices, calls batched, replicated over fresh workers; the after/before ratio with a confidence interval",
      },
      {
        name: "end-to-end runtime",
        unit: "ms",
        better: "lower",
        primary: false,
        how: "the project's end-to-end benchmark on the pre-optimization commit against HEAD, in separate worktrees (after a KEEP, when available)",
      },
      {
        name: "deoptimizations of the target",
        unit: "count",
        better: "lower",
        primary: false,
        how: "lines naming the target in `node --trace-deopt` output over one benchmark run",
      },
    ],
    thresholds: {
      keep: {
        improvement: 0.05,
        rule: "KEEP at once when the ratio shows at least 5% faster and its whole confidence interval lies beyond the noise threshold",
      },
      microOnly: {
        improvement: 0.2,
        speedup: 2,
        requires: "a profiler confirmed the target is on the hot path (--hot-path)",
        rule: "when only the micro-benchmark improved: more than 20% faster or more than 2x, kept only on a profiler-confirmed hot path",
      },
      noise: {
        improvement: cpuNoiseThreshold,
        rule: "the ratio's confidence interval must lie wholly beyond 1% (upper bound below 0.99); gains between 1% and 5% are confirmed by ab's adaptive rounds, else DISCARD as noise. Interleaved, pinned A/B makes 1% decidable where a benchmark without interleaving needs 15%",
      },
    },
    checklist: [
      "Is the target hot? What share of self and total time does it have in a CPU profile of a representative workload?",
      "What is its complexity in the input size, at the sizes production sees? Is there an O(n^2) hidden in includes/indexOf/find inside a loop, or repeated splice/shift/unshift?",
      "Hidden classes: do objects reaching the hot code share one shape (same properties, added in the same order in the constructor, none added later or deleted)?",
      "Are call sites and property accesses in the hot loop monomorphic, or megamorphic (a generic helper fed many shapes or many function types)?",
      "Does `node --trace-deopt` show the function deoptimizing or never optimizing (arguments leaks, element-kind changes to holey or double arrays, operators fed mixed numbers and strings)?",
      "What does each call allocate in the hot loop: temporary arrays and objects, spreads, Array.from, destructuring into new objects, closures per iteration, boxed numbers?",
      "Are closures created per call or per iteration where one at module level would do?",
      "String building: += in loops, split/join round trips, repeated template literals or String() conversions on the hot path?",
      "Regular expressions: built once or per call (new RegExp in a loop), at risk of catastrophic backtracking, replaceable by indexOf/startsWith, carrying global lastIndex state?",
      "Array methods versus loops: chains of map/filter/reduce allocating intermediate arrays where one for loop would do (measure: V8 optimizes both well in some cases)?",
      "Map versus object: objects in dictionary mode used as hash maps with dynamic keys (Map fits), or Map where a fixed-shape object or array index is faster; Set instead of Array.includes for membership?",
      "JSON: JSON.parse(JSON.stringify(x)) used to clone (structuredClone or a specialized copy, or no copy), or the same data parsed or stringified repeatedly?",
      "try/catch and exceptions: thrown for control flow on the hot path (throwing captures a stack and is slow)?",
      "Loop-invariant work: regexes, Intl formatters (new Intl.NumberFormat per call is very slow), Date parsing, lookups recomputed every iteration?",
      "Could the result be cached or memoized: is the key cheap, the hit rate high on real inputs, the cache bounded?",
      "Numeric data in arrays of mixed or holey element kinds where a Float64Array or Int32Array fits?",
      "Does the benchmark feed the JIT the same types, shapes and sizes as production?",
      "What must stay identical in the output (key order, floating-point results, thrown errors and their messages), which the oracle will compare?",
    ],
    rotation: [
      { pattern: "algorithm", summary: "lower the complexity: index instead of scan, sort once, exit early", scope: "structural" },
      { pattern: "data-structure", summary: "Map/Set instead of arrays or objects-as-maps, typed arrays, precomputed indexes", scope: "structural" },
      { pattern: "caching", summary: "memoize pure results with a bounded cache; compute constants once", scope: "structural" },
      { pattern: "allocation-reduction", summary: "reuse objects and buffers; no intermediate arrays, spreads or per-iteration closures", scope: "local" },
      { pattern: "hoisting", summary: "move loop-invariant work (regexes, formatters, lookups) out of loops and calls", scope: "local" },
      { pattern: "specialization", summary: "monomorphic shapes and call sites, stable hidden classes, no deopts; split polymorphic functions", scope: "local" },
      { pattern: "builtin-replacement", summary: "the faster construct for the job: indexOf for a regex, a for loop for a reduce chain, structuredClone for a JSON round trip", scope: "local" },
      { pattern: "batching", summary: "amortize per-call overhead: process items in batches, set up once", scope: "structural" },
    ],
    nonOptimizable: [
      "Under 2% of total CPU in the profile: even an infinite speed-up moves the program less than the noise",
      "Time is in native code a change here cannot reach: an addon, a V8 builtin already doing the minimum (JSON.parse of data that must be parsed), system calls or I/O wait",
      "Already at the lower bound for its output (touches each input once) with a flat profile and no deoptimizations",
      "The output contract forbids the faster form (ordering, floating-point results, error types and messages must stay identical)",
      "The time is in a dependency the user does not own or want to fork",
    ],
    profiling: [
      { source: "node --cpu-prof (open the .cpuprofile in Chrome DevTools or speedscope)", shows: "self and total time per function" },
      { source: "bun --cpu-prof", shows: "the same .cpuprofile format for code run by Bun" },
      { source: "node --prof, then node --prof-process", shows: "V8 ticks including C++, GC and shared-library time" },
      { source: "node --trace-deopt --trace-opt", shows: "which functions deoptimize or never optimize, and why" },
      { source: "clinic flame (or 0x)", shows: "flame graphs of a whole run" },
      { source: "performance.timerify with a PerformanceObserver", shows: "time per call of one wrapped function inside the running program" },
      { source: "node --trace-event-categories v8,node.perf", shows: "a timeline for chrome://tracing or Perfetto" },
    ],
    escalation: [
      { signal: "Peak memory dominates runtime (GC pressure in --trace-gc or the profile, swapping)", suggests: "memory" },
      { signal: "The hot function is await-heavy or serializes I/O (the profile is mostly idle)", suggests: "async" },
      ANY_TO_STRUCTURE,
    ],
  },

  memory: {
    name: "memory",
    summary: "Bytes held and allocated: the peak and retained heap, memory outside the heap, and the allocation rate of the target.",
    metrics: [
      {
        name: "peak heap used",
        unit: "bytes",
        better: "lower",
        primary: true,
        how: "the highest process.memoryUsage().heapUsed while the target runs (sampled between calls and at each GC entry of a PerformanceObserver), one fresh process per sample, A/B interleaved across processes",
      },
      {
        name: "retained heap",
        unit: "bytes",
        better: "lower",
        primary: false,
        how: "heapUsed after a forced full GC (--expose-gc) with the target's result kept alive, minus the same before the call",
      },
      {
        name: "external and array buffers",
        unit: "bytes",
        better: "lower",
        primary: false,
        how: "process.memoryUsage().external and .arrayBuffers: Buffers and typed arrays live outside the JS heap",
      },
      {
        name: "peak RSS",
        unit: "bytes",
        better: "lower",
        primary: false,
        how: "process.resourceUsage().maxRSS (KiB) at the end of a fresh process",
      },
      {
        name: "allocated per call",
        unit: "bytes",
        better: "lower",
        primary: false,
        how: "allocation sites in a node --heap-prof sampling profile over a fixed number of calls",
      },
    ],
    thresholds: {
      keep: {
        improvement: 0.05,
        rule: "KEEP when peak heap is at least 5% lower and the ratio's interval over fresh processes lies beyond the noise threshold",
      },
      microOnly: {
        improvement: 0.1,
        absolute: { amount: 10 * MiB, unit: "bytes" },
        requires: "a heap profile or snapshot of a representative workload confirms the target is live at the peak",
        rule: "when only the micro-benchmark improved: more than 10 MiB or more than 10% lower, kept only when the target is live at the program's peak",
      },
      noise: {
        improvement: 0.02,
        rule: "heap figures vary by 1-2% between fresh processes (lazy compilation, code space, GC timing): the ratio's interval must lie wholly beyond 2%, measured after forced GC",
      },
    },
    checklist: [
      "Where is the peak: which allocation sites hold the most bytes at the peak (heap snapshot comparison, --heap-prof)?",
      "Is the memory in the JS heap (heapUsed) or outside it (external, arrayBuffers, an addon): which metric must move?",
      "Retained closures: do callbacks, handlers, timers or promise chains capture large scopes they no longer need (a closure keeps its whole context alive)?",
      "Caches without bounds: do Maps, objects or memoize caches grow with input or time, with no size limit or eviction, or hold object keys a WeakMap or WeakRef should?",
      "Large arrays of objects versus typed arrays: would millions of small objects (each with a header and hidden class) fit in parallel typed arrays (struct of arrays)?",
      "Buffers: Buffer.concat in a loop, a small slice/subarray keeping a large parent alive, whole files read where a stream would do?",
      "Strings: sliced or concatenated strings retaining their parent, huge JSON strings built only to be parsed?",
      "Intermediate copies: map/filter/spread/Array.from or a JSON round trip materializing a full copy at the peak that could be streamed or done in place?",
      "Listeners and timers never removed: EventEmitter listeners, setInterval, subscriptions accumulating per request?",
      "Module-level or global state growing per request or session?",
      "Arrays with holey or double element kinds, or preallocated with new Array(n), growing their backing stores?",
      "How long must the data live: can it be released earlier (drop the reference, narrow the scope, process in chunks)?",
      "What must stay identical in the output, including object identity where callers rely on it?",
    ],
    rotation: [
      { pattern: "streaming", summary: "process in chunks or streams instead of materializing whole inputs or outputs", scope: "structural" },
      { pattern: "bounded-caching", summary: "bound caches (LRU, size limits); WeakMap or WeakRef for object keys", scope: "local" },
      { pattern: "compact-representation", summary: "typed arrays, struct of arrays, smaller numeric types, interned strings", scope: "structural" },
      { pattern: "release-early", summary: "drop references sooner, narrow closure scopes, remove listeners and timers", scope: "local" },
      { pattern: "copy-avoidance", summary: "update in place, use views (subarray), no intermediate arrays or clones", scope: "local" },
      { pattern: "buffer-reuse", summary: "reuse preallocated buffers and objects instead of allocating per call", scope: "local" },
      { pattern: "lazy-materialization", summary: "compute on demand: iterators and generators instead of full arrays", scope: "structural" },
    ],
    nonOptimizable: [
      "The bytes are the output itself (the result is that large) and already compactly represented",
      "The memory is held by the runtime (V8 code space, internal buffers) or a dependency the user does not control",
      "Under 2% of the peak, or the target is not live when the peak happens",
      "Saving it costs more CPU than the memory is worth at the workload's scale: a trade-off for the user to choose, not a keep",
    ],
    profiling: [
      { source: "node --heap-prof", shows: "a sampling profile of allocation sites (.heapprofile)" },
      { source: "v8.writeHeapSnapshot() or node --heapsnapshot-signal=SIGUSR2, compared in Chrome DevTools", shows: "retained sizes and what retains them" },
      { source: "node --trace-gc", shows: "GC frequency, pauses and heap sizes" },
      { source: "process.memoryUsage(), v8.getHeapStatistics(), v8.getHeapSpaceStatistics()", shows: "heap, external and per-space figures from inside the program" },
      { source: "clinic heapprofiler", shows: "allocation flame graphs of a whole run" },
      { source: "bun --heap-prof, and heapStats() from bun:jsc, when the code runs on Bun", shows: "allocation sites and object counts by type in JavaScriptCore's heap" },
    ],
    escalation: [
      { signal: "Allocations are fast but the algorithm is O(n^2)", suggests: "cpu" },
      { signal: "Memory grows with connection or session accumulation (sockets, pending promises, per-request state)", suggests: "async" },
      ANY_TO_STRUCTURE,
    ],
  },

  async: {
    name: "async",
    summary: "Time spent waiting: how I/O and promise work overlap at the concurrency the code sees in production.",
    metrics: [
      {
        name: "wall time at representative concurrency",
        unit: "ms",
        better: "lower",
        primary: true,
        how: "wall-clock time of a fixed workload at production's concurrency, A/B interleaved run by run, the ratio with a confidence interval; I/O replaced by deterministic fakes with realistic latency where real I/O is too noisy",
      },
      {
        name: "throughput",
        unit: "ops/s",
        better: "higher",
        primary: false,
        how: "operations completed per second at that concurrency",
      },
      {
        name: "p99 latency",
        unit: "ms",
        better: "lower",
        primary: false,
        how: "99th percentile of per-operation latency at that concurrency",
      },
      {
        name: "event-loop delay",
        unit: "ms",
        better: "lower",
        primary: false,
        how: "p99 of perf_hooks.monitorEventLoopDelay() while the workload runs: how long other work is blocked",
      },
    ],
    thresholds: {
      keep: {
        improvement: 0.1,
        rule: "KEEP when wall time at representative concurrency is at least 10% lower and the ratio's interval lies beyond the noise threshold",
      },
      microOnly: {
        improvement: 0.2,
        requires: "measured at representative concurrency (the level production runs at, not one at a time)",
        rule: "when only the micro-benchmark improved: more than 20%, kept only when measured at representative concurrency",
      },
      noise: {
        improvement: 0.03,
        rule: "timer and scheduling jitter make async timings noisier than CPU ones: runs interleaved, the ratio's interval must lie wholly beyond 3%",
      },
    },
    checklist: [
      "What concurrency does production see (requests in flight, batch sizes), and does the benchmark run at that level?",
      "Sequential awaits: are independent awaits run one after another (or inside a for loop) where Promise.all or Promise.allSettled could run them together?",
      "Unbounded concurrency: does Promise.all(items.map(...)) over large inputs open thousands of sockets or file handles at once, needing a pool or semaphore?",
      "Microtask storms: long chains of tiny promises, await inside a tight loop over synchronous data, async functions that never wait?",
      "Sync I/O in async paths: readFileSync, execSync, zlib or crypto sync variants, huge JSON.parse inside request handlers?",
      "Event-loop blocking: CPU work over ~10 ms on the main thread that should be chunked (setImmediate) or moved to a worker thread?",
      "Is something awaited that nobody needs, or not awaited that must be (lost errors, unhandled rejections)?",
      "Connections: keep-alive agents and pooled clients, or a new connection per operation?",
      "Duplicate work: identical requests in flight at once that could share one promise?",
      "Backpressure: do streams honour write() returning false or use pipeline, or is everything buffered?",
      "Timers: artificial delays, polling with setTimeout where an event would do?",
      "Must the order of results and side effects stay identical once work overlaps (the oracle compares outputs and errors)?",
    ],
    rotation: [
      { pattern: "concurrency", summary: "run independent awaits together (Promise.all), overlap pipeline stages", scope: "structural" },
      { pattern: "bounded-concurrency", summary: "limit work in flight with a pool or semaphore to cut contention", scope: "local" },
      { pattern: "batching", summary: "group many small operations into fewer round trips", scope: "structural" },
      { pattern: "deduplication", summary: "share in-flight promises for identical requests; cache resolved results", scope: "local" },
      { pattern: "sync-removal", summary: "replace sync I/O and blocking calls on async paths with async ones", scope: "local" },
      { pattern: "offloading", summary: "move CPU-heavy work off the event loop (worker threads) or chunk it", scope: "structural" },
      { pattern: "microtask-reduction", summary: "fewer promise layers: synchronous fast paths, no async wrappers around sync code", scope: "local" },
      { pattern: "connection-reuse", summary: "keep-alive agents and connection pools", scope: "local" },
    ],
    nonOptimizable: [
      "The time is the remote service's or device's own latency, at a concurrency already at its limit (rate limits, one connection by design)",
      "Each operation needs the previous one's result and the API offers no batch",
      "The contract requires the order or exactly-once timing of side effects that overlapping would change",
      "The event loop is busy, not waiting: the work is CPU-bound (escalate to cpu)",
    ],
    profiling: [
      { source: "perf_hooks.monitorEventLoopDelay()", shows: "a histogram of event-loop delay: how long callbacks wait" },
      { source: "node --trace-event-categories node.async_hooks,node.perf,v8", shows: "a timeline of async operations for chrome://tracing or Perfetto" },
      { source: "clinic bubbleprof and clinic doctor", shows: "async flow between operations, event-loop delay and I/O" },
      { source: "node --cpu-prof", shows: "busy versus (idle) time: a mostly idle profile means the time is waiting" },
      { source: "performance.mark and performance.measure around awaited calls", shows: "where each operation spends its wall time" },
      { source: "diagnostics_channel (undici, http)", shows: "request start and end events of HTTP clients and servers" },
    ],
    escalation: [
      { signal: "Individual async functions are CPU-bound, not I/O-bound", suggests: "cpu" },
      { signal: "Async operations hold large buffers that overlap at peak", suggests: "memory" },
      ANY_TO_STRUCTURE,
    ],
  },

  structure: {
    name: "structure",
    summary: "How the code is split into modules and loaded: import and start-up time, the module graph, what loads eagerly.",
    metrics: [
      {
        name: "import time",
        unit: "ms",
        better: "lower",
        primary: true,
        how: "time to await import() the entry module in a fresh process, an empty script's start-up subtracted, fresh processes interleaved A/B, the ratio with a confidence interval",
      },
      {
        name: "modules loaded",
        unit: "count",
        better: "lower",
        primary: false,
        how: "modules evaluated when the entry is imported (CommonJS: require.cache; ESM: a module.register resolve hook counting loads)",
      },
      {
        name: "code loaded",
        unit: "bytes",
        better: "lower",
        primary: false,
        how: "total size of the module files loaded at start-up",
      },
      {
        name: "cold start",
        unit: "ms",
        better: "lower",
        primary: false,
        how: "from process spawn to the entry point's first useful output (CLI help, server listening), fresh processes",
      },
    ],
    thresholds: {
      keep: {
        improvement: 0.05,
        rule: "KEEP when import time is at least 5% lower and the ratio's interval lies beyond the noise threshold",
      },
      microOnly: {
        improvement: 0.1,
        absolute: { amount: 20, unit: "ms" },
        requires: "a trace of module loads confirms the module is on the real entry point's start-up path",
        rule: "when only the isolated import improved: more than 10% or more than 20 ms, kept only when the module loads at start-up of the real entry point",
      },
      noise: {
        improvement: 0.03,
        rule: "process start-up varies with disk cache and scheduling: fresh processes interleaved A/B, the ratio's interval must lie wholly beyond 3%",
      },
    },
    checklist: [
      "What runs at import: top-level work (reading files, building tables, compiling many regexes, probing the environment, constructing heavy objects) that could wait for first use?",
      "Barrel files: does importing one name through an index.ts of re-exports load the whole package?",
      "Circular imports: are there cycles (madge, dpdm) leaving modules partly initialized, forcing eager loading or TDZ workarounds?",
      "Heavy dependencies loaded eagerly: which dependencies dominate import time, and does every path need them?",
      "Lazy import: could a rarely used path load its dependency with import() at first use without changing behavior (when errors surface, the order of side effects)?",
      "Which import side effects do callers rely on (polyfills, registration), so they must stay eager?",
      "Interop and tooling: is a transpiler hook (tsx, ts-node) or CJS/ESM wrapping on the production start-up path?",
      "Duplicate dependencies: the same package loaded in several versions or copies?",
      "Data loaded at import (large JSON, tables) that could be loaded lazily or precomputed at build time?",
      "Does the start-up benchmark run the entry point the user actually starts (CLI command, server boot, serverless cold start)?",
    ],
    rotation: [
      { pattern: "lazy-import", summary: "defer a heavy or rarely used dependency to first use with import()", scope: "local" },
      { pattern: "defer-top-level-work", summary: "move module-level computation into a function run on first use", scope: "local" },
      { pattern: "barrel-bypass", summary: "import from the defining module instead of a barrel index", scope: "local" },
      { pattern: "dependency-replacement", summary: "swap a heavy dependency for a lighter one or a built-in (node:util, fetch, structuredClone)", scope: "structural" },
      { pattern: "cycle-breaking", summary: "break circular imports by moving shared code into a leaf module", scope: "structural" },
      { pattern: "module-splitting", summary: "split a large module so each entry point loads only what it uses", scope: "structural" },
      { pattern: "precomputation", summary: "generate data and tables at build time instead of at import", scope: "structural" },
    ],
    nonOptimizable: [
      "Every path needs the module at once: the first thing the program does uses it",
      "Import time is the runtime's own start-up, or a dependency whose loading cannot be deferred",
      "The import's side effects are part of the contract (registration, polyfills) and must stay eager",
      "The saving is below the noise of process start-up (a few ms) on the real entry point",
    ],
    profiling: [
      { source: "node --cpu-prof on start-up", shows: "time in module evaluation: each module's top-level code" },
      { source: "NODE_DEBUG=module", shows: "CommonJS resolution and loading, in order" },
      { source: "madge or dpdm", shows: "the module graph and its circular imports" },
      { source: "hyperfine over the entry point", shows: "cold start across fresh processes" },
      { source: "esbuild --metafile with a bundle analyzer", shows: "what each import pulls in, by size" },
      { source: "performance.now() around await import() in a fresh process", shows: "one module's import time" },
    ],
    escalation: [
      { signal: "Import time is one module's top-level computation that must stay eager (CPU-bound initialization)", suggests: "cpu" },
      { signal: "Eagerly loaded modules hold large data (tables, caches) from import on", suggests: "memory" },
      { signal: "Start-up waits on I/O done at import (network, file reads in series)", suggests: "async" },
    ],
  },
};
