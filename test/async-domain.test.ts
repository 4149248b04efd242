import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { blocksEventLoop, summarizeAsync } from "../src/async/summarize.ts";
import type { AsyncReport } from "../src/async/probe.ts";
import { parseConcurrency } from "../src/commands/bench-domain.ts";
import { binaryOutsideRepo, runIn, tempDir } from "./helpers.ts";

describe("async figures", () => {
  test("throughput is completed calls per second, waiting the share of wall time off the CPU, medians over processes", () => {
    const report = (completed: number, cpuMs: number): AsyncReport => ({
      ok: true,
      isAsync: true,
      loopDelaySource: "test",
      levels: [{ concurrency: 8, completed, elapsedMs: 500, latenciesMs: [10, 10, 11, 12, 30], loopDelayMs: { p50: 1, p99: 2, max: 3 }, cpuMs, idleLoopDelayP99Ms: cpuMs / 10 }],
    });
    const stats = summarizeAsync([report(400, 50), report(380, 40), report(420, 60)]);
    expect(stats.levels[0].throughput).toBe(800);
    expect(stats.levels[0].waitingShare).toBeCloseTo(0.9, 6);
    expect(stats.levels[0].p50Ms).toBe(11);
    expect(stats.levels[0].p99Ms).toBeGreaterThan(29);
    expect(stats.levels[0].idleLoopDelayP99Ms).toBe(5);
  });

  test("a p99 loop delay over 10 ms beyond the idle host's and a tenth of the latency is a blocked loop; a short one is not", () => {
    const level = { p50Ms: 21, loopDelayP99Ms: 20, idleLoopDelayP99Ms: 1 };
    expect(blocksEventLoop(level)).toBe(true);
    expect(blocksEventLoop({ ...level, loopDelayP99Ms: 3 })).toBe(false);
    expect(blocksEventLoop({ ...level, p50Ms: 500 })).toBe(false);
  });

  test("a loop delay the idle host shows as well is the host's, not a blocked loop", () => {
    // The clean-clone reading that was called blocked: a target awaiting 10 ms sleeps,
    // four measurements at once on two cores.
    const waiting = { p50Ms: 10.6, loopDelayP99Ms: 12.3, idleLoopDelayP99Ms: 11.8 };
    expect(blocksEventLoop(waiting)).toBe(false);
    expect(blocksEventLoop({ ...waiting, loopDelayP99Ms: 30 })).toBe(true);
  });

  test("--concurrency takes one level or a list, and refuses anything else with one line", () => {
    expect(parseConcurrency(undefined, [1, 8, 64])).toEqual([1, 8, 64]);
    expect(parseConcurrency("1, 8,64", [])).toEqual([1, 8, 64]);
    expect(parseConcurrency(16, [])).toEqual([16]);
    expect(() => parseConcurrency("0,8", [])).toThrow("--concurrency: give whole numbers from 1 to 10000, comma-separated, e.g. 1,8,64 (got \"0,8\")");
    expect(() => parseConcurrency("eight", [])).toThrow("--concurrency");
  });
});

function project(): string {
  const dir = tempDir("xloop-async-");
  writeFileSync(
    join(dir, "aio.ts"),
    `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const sequential = async () => { await sleep(5); await sleep(5); };
export const concurrent = async () => { await Promise.all([sleep(5), sleep(5)]); };
export const blocking = async () => { const t0 = performance.now(); while (performance.now() - t0 < 20) {} await sleep(1); };
export const rejects = async () => { throw new Error("upstream down"); };
`,
  );
  return dir;
}

const dir = project();

describe("xloop bench --domain async", () => {
  for (const runtime of ["node", "bun"]) {
    test(`on ${runtime}: awaiting two sleeps concurrently gives twice the throughput of awaiting them in turn, and a target blocking the loop is flagged with little waiting`, () => {
      const run = runIn(binaryOutsideRepo(), ["bench", "--domain", "async", "aio.ts#sequential", "aio.ts#concurrent", "aio.ts#blocking", "--concurrency", "1,8", "--time", "0.3", "--rounds", "2", "--json", "--runtime", runtime], dir);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const doc = JSON.parse(run.stdout);
      expect(doc.domain).toBe("async");
      const [sequential, concurrent, blocking] = doc.results.map((r: any) => r.stats);
      for (const i of [0, 1]) {
        const ratio = concurrent.levels[i].throughput / sequential.levels[i].throughput;
        expect(ratio).toBeGreaterThan(1.6);
        expect(ratio).toBeLessThan(2.4);
        expect(sequential.levels[i].waitingShare).toBeGreaterThan(0.6);
      }
      // Concurrency 8 keeps 8 calls in flight: about 8 times the throughput of one.
      expect(sequential.levels[1].throughput / sequential.levels[0].throughput).toBeGreaterThan(5);
      expect(sequential.levels[0].p50Ms).toBeGreaterThan(9.5);
      expect(blocking.levels[0].waitingShare).toBeLessThan(0.4);
      expect(blocking.levels[0].loopDelayP99Ms).toBeGreaterThan(10);
      expect(sequential.levels[0].loopDelayP99Ms).toBeLessThan(blocking.levels[0].loopDelayP99Ms);
    });
  }

  test("the table names the blocked loop; a target that rejects is one line and exit 3", () => {
    const run = runIn(binaryOutsideRepo(), ["bench", "--domain", "async", "aio.ts#blocking", "aio.ts#rejects", "--concurrency", "1", "--time", "0.2", "--rounds", "1"], dir);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/aio\.ts#blocking\s+1\s+/);
    expect(run.stdout).toMatch(/BLOCKED/);
    expect(run.stdout).toMatch(/blocked: aio\.ts#blocking holds the event loop/);
    expect(run.stdout).toMatch(/error: aio\.ts#rejects: upstream down/);
  });
});

describe("xloop ab --domain async", () => {
  test("twice the throughput at concurrency 8 is called faster with a ratio near 0.5", () => {
    const run = runIn(binaryOutsideRepo(), ["ab", "--domain", "async", "aio.ts#sequential", "aio.ts#concurrent", "--round-time", "0.2", "--json"], dir);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.verdict).toBe("faster");
    expect(doc.ratio).toBeGreaterThan(0.4);
    expect(doc.ratio).toBeLessThan(0.6);
    expect(doc.unit).toBe("calls/s");
    expect(doc.head.median).toBeGreaterThan(doc.base.median);
    expect(doc.threshold).toBe(0.03);
  });

  test("two levels for ab are refused: it decides at one representative concurrency", () => {
    const run = runIn(binaryOutsideRepo(), ["ab", "--domain", "async", "aio.ts#sequential", "aio.ts#concurrent", "--concurrency", "1,8"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--concurrency: ab --domain async decides at one level/);
  });
});
