import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { repoRoot, xloop } from "./helpers.ts";

// The fixtures' k-th module evaluation in a worker does 3 + 2k units of work, so three
// copies evaluated apart average 7 units, 1.4 times steady.mjs's fixed 5; one copy, or
// copies that share one evaluation, run at steady's 5. Both targets run in the same
// rounds, interleaved slice by slice, so a slow spell of the host moves both alike.
const quick = ["--args", "[600]", "--json", "--time", "0.4", "--rounds", "4", "--precision", "0"];
const fixture = (file: string) => `test/fixtures/copies/${file}#work`;
const steady = fixture("steady.mjs");

function benchResult(target: string, copies: number) {
  const run = xloop(["bench", target, "--copies", String(copies), ...quick]);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout).results[0];
}

/** The target's median over steady.mjs's, from one run with both, and the target's result. */
function againstSteady(run: { code: number | null; stdout: string }) {
  expect(run.code).toBe(0);
  const [target, yardstick] = JSON.parse(run.stdout).results;
  return { target, ratio: target.stats.median / yardstick.stats.median };
}

describe("xloop bench --copies", () => {
  for (const file of ["speeds.mjs", "speeds.cjs", "speeds.ts"]) {
    test(`each worker evaluates ${file} once per copy`, () => {
      const one = againstSteady(xloop(["bench", fixture(file), steady, "--copies", "1", ...quick]));
      const three = againstSteady(xloop(["bench", fixture(file), steady, "--copies", "3", ...quick]));
      expect(one.target.facts.copies).toEqual({ asked: 1, made: 1 });
      expect(three.target.facts.copies).toEqual({ asked: 3, made: 3 });
      expect(one.ratio).toBeGreaterThan(0.85);
      expect(one.ratio).toBeLessThan(1.15);
      expect(three.ratio).toBeGreaterThan(1.2);
      expect(three.ratio).toBeLessThan(1.6);
    });
  }

  test("on Node, a CommonJS module's copies are fresh evaluations too, not the require cache's earlier copy", () => {
    const run = spawnSync("node", ["dist/cli.js", "bench", fixture("speeds.cjs"), steady, "--copies", "3", ...quick], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 });
    const three = againstSteady({ code: run.status, stdout: run.stdout });
    expect(three.target.facts.copies).toEqual({ asked: 3, made: 3 });
    expect(three.ratio).toBeGreaterThan(1.2);
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
