/**
 * Import time of an entry and of every module in its graph, measured cold: each run is
 * a fresh process of the measuring runtime, so no module, compiled code or loader state
 * survives from one run to the next. Two kinds of process alternate: one imports the
 * entry alone (its total import time), the other imports the graph's modules one at a
 * time in load order, each after its own imports, which times each module's own cost
 * (read, compile, link, run its top level). Reusable: `xloop imports`, `ab --domain
 * structure`, and the profiler take their figures from here.
 */
import { UserError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { bootstrapCI, medianInPlace } from "../stats/bootstrap.ts";
import { median } from "../stats/descriptive.ts";
import { typeScriptHooksForNode } from "../measure/fresh-process.ts";
import { cumulativeTimes, fanIn, importCycles, isBarrel, isHighFanIn, loadOrder, type ModuleGraph } from "./graph.ts";
import { ProbeKit, type ProbeResult } from "./probe.ts";
import { scanModuleGraph } from "./scan.ts";

/** A median of per-run values with its 95% bootstrap interval, ms. */
export interface TimeEstimate {
  median: number;
  ci: [number, number];
}

/** One module's figures. */
export interface ModuleTime {
  name: string;
  file: string;
  isPackage: boolean;
  /** Its own import cost, its imports excluded. Null for a module loaded only lazily. */
  self: TimeEstimate | null;
  /** Its own cost plus every module it loads eagerly, each once. */
  cumulative: TimeEstimate | null;
  /** Modules of the graph importing it eagerly, and whether that is more than half of the others. */
  fanIn: number;
  highFanIn: boolean;
  barrel: boolean;
  /** Modules it imports eagerly / lazily, by name. */
  imports: string[];
  lazyImports: string[];
}

/** Everything measured about an entry's imports. */
export interface ImportTimes {
  entry: string;
  /** Cold runs per kind of process (after one discarded warm-up run of each). */
  runs: number;
  /** The entry's import time in a fresh process, ms. */
  total: TimeEstimate;
  /** Each run's total, in order. */
  totalRuns: number[];
  /** Modules sorted by cumulative time, largest first; the entry among them. */
  modules: ModuleTime[];
  /** Import cycles, each by module names. */
  cycles: string[][];
  /** Wall time of the measurement, ms. */
  wallMs: number;
}

/** How the import times are measured. */
export interface ImportTimeOptions {
  cwd: string;
  /** Cold runs of each kind of process. */
  runs: number;
  /** A process that has not finished after this long is killed, ms. */
  timeoutMs: number;
  signal?: AbortSignal;
  progress?: (done: number, label: string) => void;
}

/** Thrown when the entry or a module of it cannot be imported: one line for the user, exit 3. */
export class ImportFailure extends UserError {
  constructor(message: string) {
    super(message, ExitCode.targetFailed);
  }
}

function estimate(values: number[]): TimeEstimate {
  return { median: median(values), ci: bootstrapCI(values, medianInPlace, { expand: true }) };
}

function failed(result: ProbeResult, kit: ProbeKit, graph: ModuleGraph): never {
  kit.dispose();
  const r = result as Extract<ProbeResult, { ok: false }>;
  const module = graph.modules.find((m) => m.file === r.file);
  throw new ImportFailure(`${module?.name ?? r.file}: could not be imported: ${r.error}`);
}

/**
 * Measures `entry` (a path, relative to options.cwd) and every module of its graph:
 * `runs` cold processes of each kind, the first of each discarded (it fills the file
 * cache and the runtimes' on-disk transpile caches, which every later run finds full).
 */
export async function measureImportTimes(entry: string, options: ImportTimeOptions): Promise<ImportTimes> {
  const started = Date.now();
  const graph = scanModuleGraph(entry, options.cwd);
  const order = loadOrder(graph);
  const kit = new ProbeKit();
  const hooks = typeScriptHooksForNode();
  const totals: number[] = [];
  const selfRuns: number[][] = [];
  try {
    for (let run = 0; run <= options.runs; run++) {
      if (options.signal?.aborted) break;
      options.progress?.(run / (options.runs + 1), `run ${run} of ${options.runs}`);
      const total = await kit.run([graph.modules[0].file], hooks, options.timeoutMs);
      if (!total.ok) failed(total, kit, graph);
      const self = await kit.run(order.map((i) => graph.modules[i].file), hooks, options.timeoutMs);
      if (!self.ok) failed(self, kit, graph);
      if (run === 0) continue;
      totals.push(total.ms[0]);
      const perModule = new Array<number>(graph.modules.length).fill(0);
      order.forEach((moduleIndex, k) => (perModule[moduleIndex] = self.ms[k]));
      selfRuns.push(perModule);
    }
  } finally {
    kit.dispose();
  }
  if (totals.length === 0) throw new ImportFailure(`${entry}: interrupted before any run finished`);
  const cumulativeRuns = selfRuns.map((self) => cumulativeTimes(graph, self));
  const eager = new Set(order);
  const fans = fanIn(graph);
  const names = (list: number[]) => list.map((i) => graph.modules[i].name);
  const modules: ModuleTime[] = graph.modules.map((m, i) => ({
    name: m.name,
    file: m.file,
    isPackage: m.isPackage,
    self: eager.has(i) ? estimate(selfRuns.map((r) => r[i])) : null,
    cumulative: eager.has(i) ? estimate(cumulativeRuns.map((r) => r[i])) : null,
    fanIn: fans[i],
    highFanIn: isHighFanIn(fans[i], graph.modules.length),
    barrel: isBarrel(m),
    imports: names(m.imports),
    lazyImports: names(m.lazyImports),
  }));
  modules.sort((a, b) => (b.cumulative?.median ?? -1) - (a.cumulative?.median ?? -1) || (b.self?.median ?? -1) - (a.self?.median ?? -1));
  return {
    entry: graph.modules[0].name,
    runs: totals.length,
    total: estimate(totals),
    totalRuns: totals,
    modules,
    cycles: importCycles(graph).map(names),
    wallMs: Date.now() - started,
  };
}

/**
 * Runs one cold process importing `file` alone and resolves to its import time, ms; a
 * failure resolves to its one-line message. The unit of `ab --domain structure`.
 */
export async function timeImportOnce(kit: ProbeKit, file: string, timeoutMs: number): Promise<{ ms: number } | { error: string }> {
  const result = await kit.run([file], typeScriptHooksForNode(), timeoutMs);
  return result.ok ? { ms: result.ms[0] } : { error: result.error };
}
