/**
 * The module graph of an entry as plain data, and what can be said of it without
 * running anything: load order, cycles, fan-in, barrel files. Pure functions; the
 * files are read in scan.ts and the timing happens in import-time.ts.
 */

/** One module of the graph. */
export interface ModuleNode {
  /** Absolute path of the file. */
  file: string;
  /** How reports name it: the path relative to where xloop runs, or the package's specifier. */
  name: string;
  /** A package the project imports, measured as one leaf (its own imports are not followed). */
  isPackage: boolean;
  /** Eagerly imported modules (indices into the graph's modules), in source order. */
  imports: number[];
  /** Modules loaded only by `import()` at a call, not at import time. */
  lazyImports: number[];
  /** Re-exports (`export ... from`) in its source, and its other statements: a barrel has many of the first and few of the second. */
  reexports: number;
  otherStatements: number;
}

/** A module graph: modules[0] is the entry. */
export interface ModuleGraph {
  modules: ModuleNode[];
}

/**
 * The order in which to import modules one at a time so that each one's eager imports
 * are already loaded when it is imported (depth-first post-order from the entry): the
 * time of each import is then that module's own. A cycle has no such order; its first
 * member imported carries the others that are not loaded yet.
 */
export function loadOrder(graph: ModuleGraph): number[] {
  const order: number[] = [];
  const state = new Uint8Array(graph.modules.length);
  // Iterative, so a deep chain of imports cannot overflow the stack.
  const stack: [number, number][] = [[0, 0]];
  state[0] = 1;
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [node, next] = top;
    const imports = graph.modules[node].imports;
    if (next < imports.length) {
      top[1]++;
      const child = imports[next];
      if (state[child] === 0) {
        state[child] = 1;
        stack.push([child, 0]);
      }
      continue;
    }
    stack.pop();
    order.push(node);
  }
  return order;
}

/** The modules reachable from `start` through eager imports, `start` included. */
export function reachable(graph: ModuleGraph, start: number): number[] {
  const seen = new Set<number>([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const child of graph.modules[queue.pop()!].imports) {
      if (!seen.has(child)) {
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return [...seen];
}

/**
 * Each module's cumulative import time: its own time plus that of every module it
 * loads eagerly, directly or not, each counted once. It is what importing that module
 * alone into a fresh process costs, and what making it lazy would save when nothing
 * else needs its imports.
 */
export function cumulativeTimes(graph: ModuleGraph, self: readonly number[]): number[] {
  return graph.modules.map((_, i) => reachable(graph, i).reduce((sum, j) => sum + self[j], 0));
}

/**
 * The import cycles: strongly connected groups of more than one module (or a module
 * importing itself), found with Tarjan's algorithm over eager imports. Each cycle is
 * listed from its module nearest the entry.
 */
export function importCycles(graph: ModuleGraph): number[][] {
  const n = graph.modules.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const cycles: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    // Iterative Tarjan: frames of (node, next import to visit).
    const frames: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const [node, next] = frame;
      const imports = graph.modules[node].imports;
      if (next < imports.length) {
        frame[1]++;
        const child = imports[next];
        if (index[child] === -1) {
          index[child] = low[child] = counter++;
          stack.push(child);
          onStack[child] = 1;
          frames.push([child, 0]);
        } else if (onStack[child]) {
          low[node] = Math.min(low[node], index[child]);
        }
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1][0];
        low[parent] = Math.min(low[parent], low[node]);
      }
      if (low[node] !== index[node]) continue;
      const group: number[] = [];
      for (;;) {
        const member = stack.pop()!;
        onStack[member] = 0;
        group.push(member);
        if (member === node) break;
      }
      if (group.length > 1 || imports.includes(node)) cycles.push(group.sort((a, b) => a - b));
    }
  }
  return cycles.sort((a, b) => a[0] - b[0]);
}

/** How many other modules of the graph import each module eagerly. */
export function fanIn(graph: ModuleGraph): number[] {
  const counts = new Array<number>(graph.modules.length).fill(0);
  graph.modules.forEach((m, i) => {
    for (const child of new Set(m.imports)) if (child !== i) counts[child]++;
  });
  return counts;
}

/**
 * Whether a module is imported by more than half of the graph's other modules: a
 * module everything depends on, whose import cost every entry pays and whose change
 * touches them all.
 */
export function isHighFanIn(count: number, modules: number): boolean {
  return modules > 2 && count > (modules - 1) / 2;
}

/**
 * Whether a module is a barrel file: at least two re-exports (`export ... from`) and
 * re-exports making up most of it (at least 80% of its statements besides imports).
 * Importing a barrel for one name loads every module it re-exports.
 */
export function isBarrel(node: Pick<ModuleNode, "reexports" | "otherStatements">): boolean {
  return node.reexports >= 2 && node.reexports >= 0.8 * (node.reexports + node.otherStatements);
}
