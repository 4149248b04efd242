/**
 * Per-function figures from profiles: self and total sampled time, who called it, the
 * bytes it allocated. Pure: profiles in, a summary out. Several profiles (a process and
 * its workers, child processes, suite files) merge into one summary by function.
 */
import type { CallFrame, CpuProfile, HeapNode, HeapProfile } from "./formats.ts";

/** A function as the summary names it. */
export interface FunctionId {
  /** The function's name; "(anonymous)" when the profiler gives none. */
  name: string;
  /** The script's URL or path as the runtime gave it (`file:///…`, `/…`, `node:…`, or empty for native code). */
  url: string;
  /** 1-based line of the function's start (0 when unknown). */
  line: number;
  /** 1-based column (0 when unknown). */
  column: number;
}

/** What the profiles say about one function. */
export interface FunctionStats extends FunctionId {
  key: string;
  /** Sampled time with this function on top of the stack, in microseconds. */
  selfUs: number;
  /** Sampled time with this function anywhere on the stack (recursion counted once). */
  totalUs: number;
  /** Callers, by key, with the time of this function spent under each. */
  callers: Map<string, number>;
  /** Bytes the sampling heap profiler attributed to this function (0 without a heap profile). */
  allocatedBytes: number;
}

/** A distinct call stack (function keys, outermost first) and the time sampled with it on top. */
export interface StackTime {
  keys: string[];
  us: number;
}

/** The merged figures of one or more profiles. */
export interface ProfileSummary {
  functions: Map<string, FunctionStats>;
  /** Every stack that was on top of a sample, by function key: what the ranking attributes callee time with. */
  stacks: StackTime[];
  /** Sampled time that was not idle: the denominator of every share. */
  busyUs: number;
  idleUs: number;
  /** Time in the garbage collector (its own frame in V8 and JSC profiles). */
  gcUs: number;
  /** Time the runtime could not attribute to JavaScript ("(program)"). */
  programUs: number;
  samples: number;
  cpuProfiles: number;
  /** Bytes in the heap profiles (0 when none). */
  allocatedBytes: number;
  heapProfiles: number;
}

/** How functions are told apart. */
export interface KeyOptions {
  /**
   * Merge a function's frames by name and file, ignoring the line: Bun's profiles
   * give a line per sample rather than per function, which would split one function
   * into many.
   */
  mergeLines: boolean;
}

const idleName = "(idle)";
const gcNames = new Set(["(garbage collector)", "(GC)"]);
const programName = "(program)";
const rootName = "(root)";

/** The name a frame's function is shown under: its own, "(top level)" for a module's body, else "(anonymous)". */
export function displayName(frame: CallFrame): string {
  if (frame.functionName !== "") return frame.functionName;
  // V8 names a module's or script's own body "" at its first character.
  return frame.lineNumber === 0 && frame.columnNumber === 0 && frame.url !== "" ? "(top level)" : "(anonymous)";
}

/** The key a frame's function is merged under. */
export function functionKey(frame: CallFrame, options: KeyOptions): string {
  const name = displayName(frame);
  if (options.mergeLines && frame.url !== "") return `${name}\u0000${frame.url}`;
  return `${name}\u0000${frame.url}\u0000${frame.lineNumber}:${frame.columnNumber}`;
}

/** An empty summary, to merge profiles into. */
export function emptySummary(): ProfileSummary {
  return { functions: new Map(), stacks: [], busyUs: 0, idleUs: 0, gcUs: 0, programUs: 0, samples: 0, cpuProfiles: 0, allocatedBytes: 0, heapProfiles: 0 };
}

function statsFor(summary: ProfileSummary, key: string, frame: CallFrame): FunctionStats {
  let stats = summary.functions.get(key);
  if (!stats) {
    stats = {
      key,
      name: displayName(frame),
      url: frame.url,
      line: frame.lineNumber >= 0 ? frame.lineNumber + 1 : 0,
      column: frame.columnNumber >= 0 ? frame.columnNumber + 1 : 0,
      selfUs: 0,
      totalUs: 0,
      callers: new Map(),
      allocatedBytes: 0,
    };
    summary.functions.set(key, stats);
  } else if (frame.lineNumber >= 0 && (stats.line === 0 || frame.lineNumber + 1 < stats.line)) {
    // Merged by name and file: the smallest line seen is the nearest to the function's start.
    stats.line = frame.lineNumber + 1;
    stats.column = frame.columnNumber + 1;
  }
  return stats;
}

/**
 * The node on top of the stack at each sample and the time each sample stands for:
 * the time to the next sample (the last, to the profile's end). A profile without
 * samples shares its duration among its nodes' hit counts.
 */
export function weightedSamples(profile: CpuProfile): { nodes: number[]; weights: number[] } {
  const { samples, timeDeltas } = profile;
  if (samples && timeDeltas && samples.length > 0 && timeDeltas.length === samples.length) {
    let time = profile.startTime;
    const times = timeDeltas.map((delta) => (time += delta));
    const weights = samples.map((_, i) => {
      const next = i + 1 < times.length ? times[i + 1] : Math.max(profile.endTime, times[i]);
      return Math.max(0, next - times[i]);
    });
    return { nodes: [...samples], weights };
  }
  const hits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const perHit = hits > 0 ? Math.max(0, profile.endTime - profile.startTime) / hits : 0;
  const nodes: number[] = [];
  const weights: number[] = [];
  for (const node of profile.nodes) {
    if (!node.hitCount) continue;
    nodes.push(node.id);
    weights.push(node.hitCount * perHit);
  }
  return { nodes, weights };
}

function selfTimePerNode(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  const { nodes, weights } = weightedSamples(profile);
  nodes.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + weights[i]));
  return self;
}

/** Adds one CPU profile's figures into `summary` (mutates it and returns it). */
export function addCpuProfile(summary: ProfileSummary, profile: CpuProfile, options: KeyOptions): ProfileSummary {
  summary.cpuProfiles++;
  summary.samples += profile.samples?.length ?? profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const self = selfTimePerNode(profile);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  const roots = profile.nodes.filter((node) => !childIds.has(node.id));

  // Subtree time per node, children first (iterative: deep recursion in real profiles).
  const subtree = new Map<number, number>();
  const order: number[] = [];
  const stack = roots.map((node) => node.id);
  while (stack.length > 0) {
    const id = stack.pop() as number;
    order.push(id);
    for (const child of byId.get(id)?.children ?? []) stack.push(child);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = byId.get(order[i]);
    if (!node) continue;
    let time = self.get(node.id) ?? 0;
    for (const child of node.children ?? []) time += subtree.get(child) ?? 0;
    subtree.set(node.id, time);
  }

  // Walk the tree with the keys on the path, so recursion counts a function's time once.
  const onPath = new Map<string, number>();
  const pathKeys: string[] = [];
  const visit = (rootId: number): void => {
    const work: { id: number; parentKey: string | null; leaving: boolean }[] = [{ id: rootId, parentKey: null, leaving: false }];
    while (work.length > 0) {
      const item = work.pop() as { id: number; parentKey: string | null; leaving: boolean };
      const node = byId.get(item.id);
      if (!node) continue;
      const name = node.callFrame.functionName;
      const synthetic = name === rootName || name === idleName || name === programName || gcNames.has(name);
      const key = synthetic ? null : functionKey(node.callFrame, options);
      if (item.leaving) {
        if (key) {
          pathKeys.pop();
          const count = (onPath.get(key) ?? 1) - 1;
          if (count === 0) onPath.delete(key);
          else onPath.set(key, count);
        }
        continue;
      }
      const own = self.get(node.id) ?? 0;
      if (name === idleName) summary.idleUs += own;
      else {
        summary.busyUs += own;
        if (gcNames.has(name)) summary.gcUs += own;
        else if (name === programName || name === rootName) summary.programUs += own;
      }
      if (key) {
        const stats = statsFor(summary, key, node.callFrame);
        stats.selfUs += own;
        const time = subtree.get(node.id) ?? 0;
        if (!onPath.has(key)) stats.totalUs += time;
        if (item.parentKey && item.parentKey !== key) stats.callers.set(item.parentKey, (stats.callers.get(item.parentKey) ?? 0) + time);
        onPath.set(key, (onPath.get(key) ?? 0) + 1);
        pathKeys.push(key);
        if (own > 0) summary.stacks.push({ keys: [...pathKeys], us: own });
      }
      work.push({ id: node.id, parentKey: item.parentKey, leaving: true });
      for (const child of node.children ?? []) work.push({ id: child, parentKey: key ?? item.parentKey, leaving: false });
    }
  };
  for (const root of roots) visit(root.id);
  return summary;
}

/** Adds one sampling heap profile's bytes per function into `summary`. */
export function addHeapProfile(summary: ProfileSummary, profile: HeapProfile, options: KeyOptions): ProfileSummary {
  summary.heapProfiles++;
  const stack: HeapNode[] = [profile.head];
  while (stack.length > 0) {
    const node = stack.pop() as HeapNode;
    stack.push(...node.children);
    if (node.selfSize === 0) continue;
    summary.allocatedBytes += node.selfSize;
    const name = node.callFrame.functionName;
    if (name === rootName || name === programName || gcNames.has(name)) continue;
    statsFor(summary, functionKey(node.callFrame, options), node.callFrame).allocatedBytes += node.selfSize;
  }
  return summary;
}
