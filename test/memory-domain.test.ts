import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { judgeLeak, leakMinimumGrowth } from "../src/memory/leak.ts";
import { allocationRatio } from "../src/memory/run-memory.ts";
import { summarizeMemory } from "../src/memory/summarize.ts";
import type { MemoryReport } from "../src/memory/probe.ts";
import { binaryOutsideRepo, runIn, tempDir } from "./helpers.ts";

describe("leak detection", () => {
  test("a heap growing by 1 KiB per call along a line is a leak of about 1 KiB per call", () => {
    const points = [0, 1, 2, 3, 4].map((i) => ({ calls: i * 10_000, heap: 5e6 + i * 10_000 * 1024 + (i % 2) * 3000 }));
    const j = judgeLeak(points);
    expect(j.leaking).toBe(true);
    expect(j.growthPerCall).toBeGreaterThan(1000);
    expect(j.growthPerCall).toBeLessThan(1050);
  });

  test("a cache filled once on the first calls, then flat, is not a leak", () => {
    const points = [0, 1, 2, 3, 4].map((i) => ({ calls: i * 10_000, heap: 5e6 + (i > 0 ? 800_000 : 0) + (i % 2) * 2000 }));
    expect(judgeLeak(points).leaking).toBe(false);
  });

  test("growth below the minimum is jitter, not a leak, however straight", () => {
    const points = [0, 1, 2, 3, 4].map((i) => ({ calls: i * 100_000, heap: 5e6 + (i * (leakMinimumGrowth - 1)) / 4 }));
    expect(judgeLeak(points).leaking).toBe(false);
  });
});

describe("memory figures", () => {
  test("allocation ratios compare calls that allocate nothing, and a drop to nothing is far below 1", () => {
    expect(allocationRatio(0, 0)).toBe(1);
    expect(allocationRatio(1023, 0)).toBeCloseTo(1 / 1024, 6);
    expect(allocationRatio(-50, 0)).toBe(1);
    expect(allocationRatio(1000, 1250)).toBeCloseTo(1251 / 1001, 6);
  });

  test("processes combine by the median, minus the empty loop's own allocation; a leak needs most processes", () => {
    const report = (alloc: number, growth: number): MemoryReport => ({
      ok: true,
      isAsync: false,
      allocatedPerCall: [alloc, alloc + 8, alloc - 8],
      harnessPerCall: 16,
      batchCalls: 100,
      retention: [0, 1, 2, 3, 4].map((i) => ({ calls: i * 1000, heap: 1e6 + i * 1000 * growth })),
      peakHeap: 2e6,
      peakRss: 5e7,
      gcs: 0,
      heapSource: "test",
    });
    const s = summarizeMemory([report(1040, 0), report(1056, 300), report(1048, 0)]);
    expect(s.allocatedPerCall).toBe(1032);
    expect(s.leaking).toBe(false);
    expect(summarizeMemory([report(1040, 300), report(1056, 300), report(1048, 0)]).leaking).toBe(true);
    expect(s.processes).toBe(3);
  });
});

function project(): string {
  const dir = tempDir("xloop-memory-");
  writeFileSync(
    join(dir, "mem.ts"),
    `const fill = (n: number) => { const a = new Array(n); for (let i = 0; i < n; i++) a[i] = 0; return a; };
export const alloc1k = () => fill(128);
export const alloc16k = () => fill(2048);
export const alloc1m = () => fill(131072);
export const alloc20k = () => fill(2560);
const kept: unknown[] = [];
export const leak1k = () => { kept.push(fill(128)); return kept.length; };
export const cacheOnce = (() => { let c: unknown; return () => (c ??= fill(100000)); })();
export const nothing = (x: number) => x + 1;
export const throws = () => { throw new Error("no input"); };
let sinceGc = 0;
export const alloc1kGc = () => { if (++sinceGc % 150 === 0) (globalThis as any).gc?.(); return fill(128); };
`,
  );
  return dir;
}

const dir = project();

describe("xloop bench --domain memory", () => {
  for (const runtime of ["node", "bun"]) {
    test(`on ${runtime}: arrays of 1 KiB, 16 KiB and 1 MiB of numbers measure within 30% of their payload, a 1 KiB-per-call leak is flagged, a one-off cache is not`, () => {
      const targets = ["alloc1k", "alloc16k", "alloc1m", "leak1k", "cacheOnce", "nothing"].map((e) => `mem.ts#${e}`);
      const run = runIn(binaryOutsideRepo(), ["bench", "--domain", "memory", ...targets, "--args", "[1]", "--json", "--rounds", "2", "--runtime", runtime], dir);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const doc = JSON.parse(run.stdout);
      expect(doc.domain).toBe("memory");
      const stats = Object.fromEntries(doc.results.map((r: any) => [r.target.split("#")[1], r.stats]));
      // Every check is gathered before asserting, so a failure shows all the figures it came from.
      const wrong: string[] = [];
      const check = (ok: boolean, what: string) => { if (!ok) wrong.push(what); };
      for (const [name, payload] of [["alloc1k", 1024], ["alloc16k", 16384], ["alloc1m", 1048576]] as const) {
        const s = stats[name];
        check(s.allocatedPerCall > payload * 0.95 && s.allocatedPerCall < payload * 1.3, `${name} allocates ${s.allocatedPerCall} B per call, not within 0.95-1.3x of ${payload}`);
        check(s.leaking === false, `${name} is called a leak`);
      }
      check(stats.leak1k.leaking === true, "leak1k is not called a leak");
      check(stats.leak1k.growthPerCall > 1000 && stats.leak1k.growthPerCall < 1400, `leak1k grows ${stats.leak1k.growthPerCall} B per call, not 1000-1400`);
      check(stats.cacheOnce.leaking === false, "cacheOnce is called a leak");
      check(Math.abs(stats.nothing.allocatedPerCall) < 16, `nothing allocates ${stats.nothing.allocatedPerCall} B per call`);
      check(stats.alloc1k.peakRss > stats.alloc1k.peakHeap, "alloc1k's peak RSS is not above its peak heap");
      check(runtime === "node" ? stats.alloc1k.gcs === 0 : stats.alloc1k.gcs === null, `alloc1k's gcs is ${stats.alloc1k.gcs} on ${runtime}`);
      if (wrong.length > 0) console.error(JSON.stringify(stats, null, 1));
      expect(wrong).toEqual([]);
    });
  }

  test("on node: a batch a GC ran in is taken again with fewer calls, so a target that collects every 150 calls still measures its 1 KiB with no GC in the batches kept", () => {
    const run = runIn(binaryOutsideRepo(), ["bench", "--domain", "memory", "mem.ts#alloc1kGc", "--json", "--rounds", "2", "--runtime", "node"], dir);
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout).results[0].stats;
    expect(stats.gcs).toBe(0);
    expect(stats.allocatedPerCall).toBeGreaterThan(1024 * 0.95);
    expect(stats.allocatedPerCall).toBeLessThan(1024 * 1.3);
  });

  test("the table shows KiB and MiB and names the leak; a target that throws is one line and exit 3", () => {
    const run = runIn(binaryOutsideRepo(), ["bench", "--domain", "memory", "mem.ts#alloc1m", "mem.ts#leak1k", "mem.ts#throws", "--rounds", "1"], dir);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/mem\.ts#alloc1m\s+1\.00 MiB/);
    expect(run.stdout).toMatch(/LEAK/);
    expect(run.stdout).toMatch(/leak: mem\.ts#leak1k keeps 1\.\d+ KiB more alive after every call/);
    expect(run.stdout).toMatch(/error: mem\.ts#throws: no input/);
  });
});

describe("xloop ab --domain memory", () => {
  test("25% more bytes per call is called slower (larger), the same function same", () => {
    const larger = runIn(binaryOutsideRepo(), ["ab", "--domain", "memory", "mem.ts#alloc16k", "mem.ts#alloc20k", "--json", "--runtime", "bun"], dir);
    expect(larger.code).toBe(0);
    const doc = JSON.parse(larger.stdout);
    expect(doc.verdict).toBe("slower");
    expect(doc.unit).toBe("B");
    expect(doc.ratio).toBeGreaterThan(1.15);
    expect(doc.threshold).toBe(0.02);
    const same = runIn(binaryOutsideRepo(), ["ab", "--domain", "memory", "mem.ts#alloc16k", "mem.ts#alloc16k", "--runtime", "bun", "--max-time", "20"], dir);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/: same \(threshold ±2\.0%\)/);
  });
});
