import { describe, expect, test } from "bun:test";
import { cumulativeTimes, fanIn, importCycles, isBarrel, isHighFanIn, loadOrder, reachable, type ModuleGraph, type ModuleNode } from "../src/structure/graph.ts";
import { countStatements } from "../src/structure/scan.ts";
import { importHints } from "../src/structure/hints.ts";
import type { ImportTimes, ModuleTime } from "../src/structure/import-time.ts";
import { importReferences } from "../src/target/module-graph.ts";

function graph(edges: number[][]): ModuleGraph {
  const modules: ModuleNode[] = edges.map((imports, i) => ({ file: `/m${i}.js`, name: `m${i}`, isPackage: false, imports, lazyImports: [], reexports: 0, otherStatements: 1 }));
  return { modules };
}

describe("module graph analysis", () => {
  test("the load order puts every module after the modules it imports", () => {
    const g = graph([[1, 2], [3], [3], []]);
    const order = loadOrder(g);
    expect(order).toHaveLength(4);
    expect(order[order.length - 1]).toBe(0);
    for (const [i, m] of g.modules.entries()) for (const child of m.imports) expect(order.indexOf(child)).toBeLessThan(order.indexOf(i));
  });

  test("a module's cumulative time counts each module it reaches once, even through two paths", () => {
    // 0 -> 1 -> 3, 0 -> 2 -> 3: module 3 (5 ms) is shared.
    const g = graph([[1, 2], [3], [3], []]);
    const cumulative = cumulativeTimes(g, [1, 2, 3, 5]);
    expect(cumulative).toEqual([11, 7, 8, 5]);
    expect(reachable(g, 1).sort()).toEqual([1, 3]);
  });

  test("cycles are found, a self-import included, and acyclic graphs have none", () => {
    expect(importCycles(graph([[1], [2], [1, 3], [3]]))).toEqual([[1, 2], [3]]);
    expect(importCycles(graph([[1, 2], [3], [3], []]))).toEqual([]);
  });

  test("fan-in counts importing modules, and more than half of the others is flagged", () => {
    const g = graph([[1, 3], [3], [3], []]);
    expect(fanIn(g)).toEqual([0, 1, 0, 3]);
    expect(isHighFanIn(3, 4)).toBe(true);
    expect(isHighFanIn(1, 4)).toBe(false);
    expect(isHighFanIn(1, 2)).toBe(false);
  });

  test("a file of re-exports is a barrel and a module with code is not", () => {
    const barrel = countStatements(`// the public API\nexport * from "./a.ts";\nexport { b, c } from "./b.ts";\nexport type { T } from "./t.ts";\n`);
    expect(barrel).toEqual({ reexports: 3, otherStatements: 0 });
    expect(isBarrel(barrel)).toBe(true);
    const code = countStatements(`import { a } from "./a.ts";\nexport { a } from "./a.ts";\nexport function f() {\n  return a;\n}\nconst table = build();\nexport const g = 1;\n`);
    expect(isBarrel(code)).toBe(false);
  });

  test("import() is a lazy reference and static imports and require are eager", () => {
    const refs = importReferences(`import a from "./a.ts";\nexport { b } from "./b.ts";\nconst c = require("./c.js");\nasync function f() { return import("./d.ts"); }\nimport type { T } from "./t.ts";\n`);
    expect(refs).toEqual([
      { specifier: "./a.ts", lazy: false },
      { specifier: "./b.ts", lazy: false },
      { specifier: "./c.js", lazy: false },
      { specifier: "./d.ts", lazy: true },
    ]);
  });
});

function moduleTime(name: string, self: number, cumulative: number, extra: Partial<ModuleTime> = {}): ModuleTime {
  const t = (v: number) => ({ median: v, ci: [v, v] as [number, number] });
  return { name, file: `/${name}`, isPackage: false, self: t(self), cumulative: t(cumulative), fanIn: 0, highFanIn: false, barrel: false, imports: [], lazyImports: [], ...extra };
}

function times(modules: ModuleTime[], total: number, cycles: string[][] = []): ImportTimes {
  return { entry: modules[0].name, runs: 10, total: { median: total, ci: [total, total] }, totalRuns: [], modules, cycles, wallMs: 0 };
}

describe("import hints", () => {
  test("a module with most of the time as its own is named for top-level work, a quick one is not", () => {
    const hints = importHints(times([moduleTime("main.ts", 0.5, 30), moduleTime("slow.ts", 25, 25), moduleTime("quick.ts", 0.3, 0.3)], 30));
    expect(hints.some((h) => h.startsWith("top-level work: slow.ts"))).toBe(true);
    expect(hints.some((h) => h.includes("quick.ts"))).toBe(false);
  });

  test("a heavy package is suggested for a lazy import, a barrel and a cycle are named", () => {
    const hints = importHints(
      times(
        [moduleTime("main.ts", 0.5, 40, { barrel: true, imports: ["a.ts", "b.ts"] }), moduleTime("big-lib", 30, 30, { isPackage: true }), moduleTime("a.ts", 5, 6), moduleTime("b.ts", 1, 6)],
        40,
        [["a.ts", "b.ts"]],
      ),
    );
    expect(hints.some((h) => h.startsWith("heavy eager import: package big-lib"))).toBe(true);
    expect(hints.some((h) => h.startsWith("barrel file: main.ts re-exports 2 modules"))).toBe(true);
    expect(hints).toContain("import cycle: a.ts -> b.ts -> a.ts; a module of it may see another's exports before they are set");
    // A cycle member's own time includes the others': no top-level hint for it.
    expect(hints.some((h) => h.startsWith("top-level work: a.ts"))).toBe(false);
  });
});
