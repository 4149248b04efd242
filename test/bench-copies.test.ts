import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { repoRoot, xloop } from "./helpers.ts";

// The fixtures' k-th module evaluation in a worker does 3 + 2k units of work, so a
// figure over three copies evaluated apart is 1.4 times one copy's; shared copies give 1.
const quick = ["--args", "[600]", "--json", "--time", "0.4", "--rounds", "4", "--precision", "0"];
const fixture = (file: string) => `test/fixtures/copies/${file}#work`;

function benchResult(target: string, copies: number) {
  const run = xloop(["bench", target, "--copies", String(copies), ...quick]);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout).results[0];
}

describe("xloop bench --copies", () => {
  for (const file of ["speeds.mjs", "speeds.cjs", "speeds.ts"]) {
    test(`each worker evaluates ${file} once per copy`, () => {
      const one = benchResult(fixture(file), 1);
      const three = benchResult(fixture(file), 3);
      expect(one.facts.copies).toEqual({ asked: 1, made: 1 });
      expect(three.facts.copies).toEqual({ asked: 3, made: 3 });
      const ratio = three.stats.median / one.stats.median;
      expect(ratio).toBeGreaterThan(1.15);
      expect(ratio).toBeLessThan(1.8);
    });
  }

  test("on Node, a CommonJS module's copies are fresh evaluations too, not the require cache's earlier copy", () => {
    const onNode = (copies: number) => {
      // V8's fresh workers spread this loop by tens of percent, so more of them than on Bun.
      const run = spawnSync("node", ["dist/cli.js", "bench", fixture("speeds.cjs"), "--copies", String(copies), "--args", "[600]", "--json", "--time", "1", "--rounds", "10", "--precision", "0"], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 });
      expect(run.status).toBe(0);
      return JSON.parse(run.stdout).results[0];
    };
    const one = onNode(1);
    const three = onNode(3);
    expect(three.facts.copies).toEqual({ asked: 3, made: 3 });
    const ratio = three.stats.median / one.stats.median;
    expect(ratio).toBeGreaterThan(1.15);
  });

  test("a re-exported function is the same in every copy, so one copy is measured and the warning says why", () => {
    const result = benchResult(fixture("reexport.mjs"), 3);
    expect(result.ok).toBe(true);
    expect(result.facts.copies.asked).toBe(3);
    expect(result.facts.copies.made).toBe(1);
    const warning = result.warnings.find((w: { code: string }) => w.code === "fewer-copies");
    expect(warning.message).toContain('"work" is the same function in every copy');
  });

  test("a module whose top-level code throws on its second run is measured on the copy that loaded, with a warning", () => {
    const result = benchResult(fixture("once-only.mjs"), 3);
    expect(result.ok).toBe(true);
    expect(result.facts.copies.made).toBe(1);
    const warning = result.warnings.find((w: { code: string }) => w.code === "fewer-copies");
    expect(warning.message).toContain("evaluating the module a second time failed (already registered)");
  });

  test("a load timeout names the copies as the reason a slow module took so long, and one copy loads in time", () => {
    const slow = ["bench", fixture("slow-top-level.mjs"), "--args", "[1]", "--json", "--timeout", "1s", "--rounds", "1", "--time", "0.2", "--precision", "0"];
    const four = xloop([...slow, "--copies", "4"]);
    expect(four.code).toBe(3);
    expect(four.stderr).toContain("did not finish loading within 1000 ms (--timeout); each worker loads it 4 times (--copies 4), --copies 1 loads it once");
    expect(xloop([...slow, "--copies", "1"]).code).toBe(0);
  });

  test("a precision goal tighter than the default doubles the copies, and --copies still wins", () => {
    const tight = ["bench", "test/fixtures/targets.ts#sumTo", "--args", "[500]", "--json", "--time", "0.2", "--rounds", "2", "--max-rounds", "2", "--precision", "0.01"];
    expect(JSON.parse(xloop(tight).stdout).results[0].facts.copies.asked).toBe(8);
    expect(JSON.parse(xloop([...tight, "--copies", "2"]).stdout).results[0].facts.copies.asked).toBe(2);
  });

  test("bench takes four copies by default and ab one", () => {
    const bench = xloop(["bench", "test/fixtures/targets.ts#sumTo", "--args", "[500]", "--json", "--time", "0.2", "--rounds", "2", "--precision", "0"]);
    expect(JSON.parse(bench.stdout).results[0].facts.copies).toEqual({ asked: 4, made: 4 });
    const target = "test/fixtures/targets.ts#sumTo";
    const ab = xloop(["ab", target, target, "--args", "[500]", "--json", "--round-time", "0.1", "--max-time", "5"]);
    expect(ab.code).toBe(0);
    expect(JSON.parse(ab.stdout).base.facts.copies).toEqual({ asked: 1, made: 1 });
  });

  test("the human report says how many copies each worker took turns with", () => {
    const run = xloop(["bench", "test/fixtures/targets.ts#sumTo", "--args", "[500]", "--time", "0.2", "--rounds", "2", "--precision", "0", "--copies", "2"], { cwd: repoRoot });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("each taking turns with 2 copies of its target");
  });

  for (const bad of ["0", "17", "2.5"]) {
    test(`--copies ${bad} is one clear usage error`, () => {
      const run = xloop(["bench", "test/fixtures/targets.ts#sumTo", "--copies", bad]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toContain("--copies");
      expect(run.stdout).toBe("");
    });
  }
});
