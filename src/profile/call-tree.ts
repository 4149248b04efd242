/**
 * The stacks of a CPU profile and a merged call tree of several, for the flame views.
 * Pure.
 */
import type { CallFrame, CpuProfile } from "./formats.ts";
import { displayName, weightedSamples } from "./function-stats.ts";

/** Each node's frames from the outermost caller down to it, "(root)" left out. */
export function stacksOf(profile: CpuProfile): Map<number, CallFrame[]> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const stacks = new Map<number, CallFrame[]>();
  const stackOf = (id: number): CallFrame[] => {
    const known = stacks.get(id);
    if (known) return known;
    const chain: number[] = [];
    let current: number | undefined = id;
    while (current !== undefined && !stacks.has(current)) {
      chain.push(current);
      current = parent.get(current);
    }
    let frames = current !== undefined ? (stacks.get(current) as CallFrame[]) : [];
    for (let i = chain.length - 1; i >= 0; i--) {
      const node = byId.get(chain[i]);
      frames = node && node.callFrame.functionName !== "(root)" ? [...frames, node.callFrame] : frames;
      stacks.set(chain[i], frames);
    }
    return stacks.get(id) as CallFrame[];
  };
  for (const node of profile.nodes) stackOf(node.id);
  return stacks;
}

/** One node of the merged tree: a function under a given chain of callers. */
export interface TreeNode {
  name: string;
  url: string;
  line: number;
  /** Microseconds with this node anywhere below on the stack. */
  totalUs: number;
  selfUs: number;
  children: TreeNode[];
}

/** The profiles' samples merged into one tree by function (name, script, line), idle time left out. */
export function mergedCallTree(profiles: readonly CpuProfile[]): TreeNode {
  const root: TreeNode = { name: "all", url: "", line: 0, totalUs: 0, selfUs: 0, children: [] };
  const index = new WeakMap<TreeNode, Map<string, TreeNode>>();
  const childOf = (node: TreeNode, frame: CallFrame): TreeNode => {
    let map = index.get(node);
    if (!map) index.set(node, (map = new Map()));
    const key = `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}`;
    let child = map.get(key);
    if (!child) {
      child = { name: displayName(frame), url: frame.url, line: frame.lineNumber + 1, totalUs: 0, selfUs: 0, children: [] };
      map.set(key, child);
      node.children.push(child);
    }
    return child;
  };
  for (const profile of profiles) {
    const stacks = stacksOf(profile);
    const { nodes, weights } = weightedSamples(profile);
    nodes.forEach((id, i) => {
      const frames = stacks.get(id) ?? [];
      if (frames.length === 1 && frames[0].functionName === "(idle)") return;
      let node = root;
      node.totalUs += weights[i];
      for (const frame of frames) {
        node = childOf(node, frame);
        node.totalUs += weights[i];
      }
      node.selfUs += weights[i];
    });
  }
  const sort = (node: TreeNode): void => {
    node.children.sort((a, b) => b.totalUs - a.totalUs);
    node.children.forEach(sort);
  };
  sort(root);
  return root;
}
