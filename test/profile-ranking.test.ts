import { describe, expect, test } from "bun:test";
import { callCounts, offsetOf } from "../src/profile/call-counts.ts";
import { functionText, guessCategory } from "../src/profile/category.ts";
import { exportedNameOf } from "../src/profile/export-name.ts";
import type { CpuProfile } from "../src/profile/formats.ts";
import { parseCpuProfile } from "../src/profile/formats.ts";
import { addCpuProfile, addHeapProfile, emptySummary } from "../src/profile/function-stats.ts";
import { rankFunctions } from "../src/profile/rank.ts";
import { toSpeedscope } from "../src/profile/speedscope.ts";
import { mergedCallTree } from "../src/profile/call-tree.ts";
import { chooseNextTarget } from "../src/loop/next-target.ts";
import type { BottleneckCandidate } from "../src/loop/bottlenecks-file.ts";

const root = "/p";
const frame = (functionName: string, url = "file:///p/src/a.js", lineNumber = 0, columnNumber = 0) => ({ functionName, url, lineNumber, columnNumber });

/**
 * root → main → hot (60 samples on top) and main → second (30) and main → dep (5),
 * main itself 4, idle 10, GC 1: 1 ms per sample.
 */
function syntheticProfile(): CpuProfile {
  const nodes = [
    { id: 1, callFrame: frame("(root)", "", -1, -1), children: [2, 3, 9, 10] },
    { id: 2, callFrame: frame("main", "file:///p/src/main.js", 4, 0), children: [4, 5, 6] },
    { id: 3, callFrame: frame("(idle)", "", -1, -1) },
    { id: 4, callFrame: frame("hot", "file:///p/src/a.js", 0, 15), children: [7] },
    { id: 5, callFrame: frame("second", "file:///p/src/a.js", 9, 15) },
    { id: 6, callFrame: frame("spin", "file:///p/node_modules/dep/index.js", 0, 0) },
    { id: 7, callFrame: frame("hot", "file:///p/src/a.js", 0, 15) },
    { id: 9, callFrame: frame("(garbage collector)", "", -1, -1) },
    { id: 10, callFrame: frame("(program)", "", -1, -1) },
  ];
  const samples: number[] = [];
  const add = (id: number, n: number) => {
    for (let i = 0; i < n; i++) samples.push(id);
  };
  add(4, 40);
  add(7, 20); // recursion: hot inside hot
  add(5, 30);
  add(6, 5);
  add(2, 4);
  add(3, 10);
  add(9, 1);
  // Sample i is taken at (i + 1) ms and stands for the time to the next: the last, to the end.
  return { nodes, startTime: 0, endTime: (samples.length + 1) * 1000, samples, timeDeltas: samples.map(() => 1000) };
}

describe("per-function figures from a CPU profile", () => {
  const summary = addCpuProfile(emptySummary(), syntheticProfile(), { mergeLines: false });
  const hot = [...summary.functions.values()].find((f) => f.name === "hot")!;

  test("self time is the time on top of the stack, total time counts recursion once", () => {
    expect(hot.selfUs).toBe(60_000);
    expect(hot.totalUs).toBe(60_000);
    expect([...summary.functions.values()].find((f) => f.name === "main")!.totalUs).toBe(99_000);
  });

  test("idle time is left out of the busy time every share is taken of, and GC is counted apart", () => {
    expect(summary.idleUs).toBe(10_000);
    expect(summary.busyUs).toBe(100_000);
    expect(summary.gcUs).toBe(1_000);
  });

  test("lines are 1-based and callers are recorded with the time spent under them", () => {
    expect(hot.line).toBe(1);
    expect(hot.column).toBe(16);
    const callers = [...hot.callers.entries()];
    expect(callers).toHaveLength(1);
    expect(callers[0][1]).toBe(60_000);
  });

  test("Bun's per-sample lines merge into one function when lines are merged", () => {
    const p = syntheticProfile();
    p.nodes[6] = { id: 7, callFrame: frame("hot", "file:///p/src/a.js", 3, 4) };
    const split = addCpuProfile(emptySummary(), p, { mergeLines: false });
    const merged = addCpuProfile(emptySummary(), p, { mergeLines: true });
    expect([...split.functions.values()].filter((f) => f.name === "hot")).toHaveLength(2);
    const one = [...merged.functions.values()].filter((f) => f.name === "hot");
    expect(one).toHaveLength(1);
    expect(one[0].selfUs).toBe(60_000);
    expect(one[0].line).toBe(1);
  });

  test("heap profiles add bytes per function", () => {
    const s = addHeapProfile(emptySummary(), { head: { callFrame: frame("(root)", "", -1, -1), selfSize: 0, children: [{ callFrame: frame("hot", "file:///p/src/a.js", 0, 15), selfSize: 4096, children: [] }] } }, { mergeLines: false });
    expect(s.allocatedBytes).toBe(4096);
    expect([...s.functions.values()][0].allocatedBytes).toBe(4096);
  });
});

describe("the ranking rule", () => {
  const summary = addCpuProfile(emptySummary(), syntheticProfile(), { mergeLines: false });
  const sources: Record<string, string> = {
    "/p/src/a.js": "export function hot(items) {\n  const out = [];\n  for (const x of items) if (!out.includes(x)) out.push(x);\n  return out;\n}\n\n\n\n\nexport function second(v) {\n  let h = 0; for (const x of v) h = (h * 31 + x) | 0; return h;\n}\n",
    "/p/src/main.js": "import { hot, second } from './a.js';\n\n\n\nfunction main() { hot([]); second([]); }\n",
  };
  const rank = (options: Partial<Parameters<typeof rankFunctions>[1]> = {}) => rankFunctions(summary, { root, threshold: 0.01, includeDeps: false, sourceOf: (p) => sources[p], ...options });

  test("a thin driver does not outrank the functions it calls: callee time counts only callees that are not candidates", () => {
    const calls = new Map([...summary.functions.values()].map((f) => [f.key, f.name === "main" ? 1 : 100]));
    const ranked = rank({ calls });
    expect(ranked.map((r) => r.name)).toEqual(["hot", "second", "main"]);
    // main: 4 ms self + the dependency's 5 ms per its one call.
    expect(ranked[2].scoreMs).toBeCloseTo(9, 6);
  });

  test("a function under the CPU threshold that made a tenth of the sampled allocations stays, as a memory candidate", () => {
    const withHeap = addHeapProfile(addCpuProfile(emptySummary(), syntheticProfile(), { mergeLines: false }), { head: { callFrame: frame("(root)", "", -1, -1), selfSize: 0, children: [{ callFrame: frame("main", "file:///p/src/main.js", 4, 0), selfSize: 1 << 20, children: [] }] } }, { mergeLines: false });
    const ranked = rankFunctions(withHeap, { root, threshold: 0.1, includeDeps: false, sourceOf: () => undefined });
    expect(ranked.map((r) => r.name)).toEqual(["hot", "second", "main"]);
    expect(ranked[2].allocatedShare).toBe(1);
  });

  test("dependencies are left out unless asked for, and functions under the threshold are dropped", () => {
    expect(rank().some((r) => r.name === "spin")).toBe(false);
    expect(rank({ includeDeps: true }).find((r) => r.name === "spin")?.origin).toBe("dependency");
    expect(rank({ threshold: 0.1 }).map((r) => r.name)).toEqual(["hot", "second"]);
  });

  test("each candidate has its shares, the Amdahl ceiling as impact, a category guess and its export as a target", () => {
    const [hot] = rank();
    expect(hot.selfShare).toBeCloseTo(0.6, 6);
    expect(hot.impact).toBeCloseTo(0.6, 6);
    expect(hot.category).toContain("membership test in a loop");
    expect(hot.target).toBe("src/a.js#hot");
    expect(rank().find((r) => r.name === "main")?.target).toBeNull();
  });
});

describe("call counts from V8 coverage", () => {
  const source = "function a() {\n  return 1;\n}\nexport function b() { return a(); }\n";
  test("the innermost function of the same name holding the profile's start position gives the count", () => {
    const coverage = [
      {
        url: "/p/x.js",
        functions: [
          { functionName: "", ranges: [{ startOffset: 0, endOffset: source.length, count: 1 }] },
          { functionName: "a", ranges: [{ startOffset: 0, endOffset: 28, count: 7 }] },
          { functionName: "b", ranges: [{ startOffset: 29, endOffset: source.length - 1, count: 3 }] },
        ],
      },
    ];
    const counts = callCounts(
      [
        { key: "a", name: "a", url: "/p/x.js", line: 1, column: 11 },
        { key: "b", name: "b", url: "/p/x.js", line: 4, column: 18 },
        { key: "z", name: "z", url: "/p/other.js", line: 1, column: 1 },
      ],
      [...coverage, ...coverage],
      () => source,
    );
    expect(counts.get("a")).toBe(14);
    expect(counts.get("b")).toBe(6);
    expect(counts.has("z")).toBe(false);
    expect(offsetOf(source, 4, 1)).toBe(source.indexOf("export"));
  });
});

describe("category guesses and exports from source text", () => {
  test("the first matching pattern names the category, with its evidence", () => {
    expect(guessCategory("function f(a, b) { for (const x of a) if (b.indexOf(x) >= 0) n++; }")?.category).toContain("membership test in a loop");
    expect(guessCategory("function f(s) { return s.replace(new RegExp('a+', 'g'), ''); }")?.category).toBe("RegExp built per call");
    expect(guessCategory("async function f(xs) { for (const x of xs) await get(x); }")).toMatchObject({ domain: "async", category: "sequential awaits in a loop" });
    expect(guessCategory("function f(a) { return a + 1; }")).toBeUndefined();
  });

  test("a function's text ends at the brace that closes it", () => {
    const text = functionText("function a() {\n  if (x) { y(); }\n}\nfunction b() {}\n", 1);
    expect(text).toBe("function a() {\n  if (x) { y(); }\n}");
  });

  test("ES and CommonJS exports are found, under the name they export", () => {
    expect(exportedNameOf("export function hot() {}", "hot")).toBe("hot");
    expect(exportedNameOf("function hot() {}\nexport { hot as fast };", "hot")).toBe("fast");
    expect(exportedNameOf("export default function hot() {}", "hot")).toBe("default");
    expect(exportedNameOf("exports.hot = function hot() {};", "hot")).toBe("hot");
    expect(exportedNameOf("function hot() {}\nmodule.exports = { quick: hot };", "hot")).toBe("quick");
    expect(exportedNameOf("function hot() {}", "hot")).toBeUndefined();
  });
});

describe("flame views", () => {
  test("the speedscope file has one sampled profile per CPU profile, weights summing to the sampled time", () => {
    const doc = toSpeedscope([{ name: "main", profile: syntheticProfile() }], "t") as { shared: { frames: { name: string }[] }; profiles: { samples: number[][]; weights: number[]; endValue: number }[] };
    expect(doc.profiles).toHaveLength(1);
    expect(doc.profiles[0].weights.reduce((a, b) => a + b, 0)).toBe(110_000);
    const hotStack = doc.profiles[0].samples[0].map((i) => doc.shared.frames[i].name);
    expect(hotStack).toEqual(["main", "hot"]);
  });

  test("the merged call tree leaves idle out and keeps the heaviest child first", () => {
    const tree = mergedCallTree([syntheticProfile()]);
    expect(tree.totalUs).toBe(100_000);
    expect(tree.children[0].name).toBe("main");
    expect(tree.children[0].children[0].name).toBe("hot");
  });

  test("a file that is not a CPU profile is named in one line", () => {
    expect(() => parseCpuProfile('{"nodes": 3}', "x.cpuprofile")).toThrow(/x\.cpuprofile: not a \.cpuprofile/);
    expect(() => parseCpuProfile("nope", "y.cpuprofile")).toThrow(/y\.cpuprofile: not JSON/);
  });
});

describe("choosing the next target", () => {
  const candidate = (rank: number, name: string, file = "src/a.js"): BottleneckCandidate => ({ rank, name, file, line: rank, target: `${file}#${name}`, selfShare: 0.3 / rank, totalShare: 0.3 / rank, domain: "cpu", category: null, impact: 0.3 / rank });
  const list = [candidate(1, "a"), candidate(2, "b"), candidate(3, "c", "src/hot/c.js"), candidate(4, "d")];
  const none = { done: new Map<string, string>(), hotspots: [], failedPatterns: [], trailingDiscards: new Map<string, number>() };

  test("the first in rank order, skipping targets marked done and targets that keep failing", () => {
    expect(chooseNextTarget(list, none).candidate?.name).toBe("a");
    const next = chooseNextTarget(list, { ...none, done: new Map([["src/a.js#a", "optimal"]]), trailingDiscards: new Map([["src/a.js#b", 3]]) });
    expect(next.candidate?.name).toBe("c");
    expect(next.skipped.map((s) => s.why)).toEqual(["marked non-optimizable: optimal", "3 discards since its last keep"]);
  });

  test("a candidate where wins cluster goes first when it is among the next three", () => {
    const hotspots = [{ path: "src/hot", kind: "folder" as const, commits: 3, experiments: [1, 2, 3] }];
    const next = chooseNextTarget(list, { ...none, hotspots });
    expect(next.candidate?.name).toBe("c");
    expect(next.reasons.join(" ")).toContain("wins cluster in src/hot");
  });

  test("no candidate left when every one is done", () => {
    const done = new Map(list.map((c) => [c.target as string, "done"]));
    expect(chooseNextTarget(list, { ...none, done }).candidate).toBeUndefined();
  });
});
