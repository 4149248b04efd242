import { describe, expect, test } from "bun:test";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir, xloop } from "./helpers.ts";

const t = (name: string) => `test/fixtures/targets.ts#${name}`;
const quick = ["--round-time", "0.1", "--max-time", "20"];

describe("xloop ab", () => {
  test("twice the work is called slower, with both medians and a CI in the JSON", () => {
    const run = xloop(["ab", t("sumTo"), t("sumToTwice"), "--args", "[3000]", "--json", ...quick]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.verdict).toBe("slower");
    expect(doc.ratio).toBeGreaterThan(1.5);
    expect(doc.ci[0]).toBeLessThanOrEqual(doc.ratio);
    expect(doc.ci[1]).toBeGreaterThanOrEqual(doc.ratio);
    expect(doc.base.stats.median).toBeGreaterThan(0);
    expect(doc.head.stats.median).toBeGreaterThan(doc.base.stats.median);
    expect(doc.p).toBeLessThan(0.05);
    expect(doc.threshold).toBe(0.01);
    expect(doc.rounds).toBeGreaterThanOrEqual(6);
    expect(doc.wall_ms).toBeGreaterThan(0);
  });

  test("the same function against itself is never called faster or slower", () => {
    const run = xloop(["ab", t("sumTo"), t("sumTo"), "--args", "[3000]", "--json", "--threshold", "0.05", ...quick]);
    expect(run.code).toBe(0);
    expect(["same", "inconclusive"]).toContain(JSON.parse(run.stdout).verdict);
  });

  test("--expect exits 4 when the verdict differs, 0 when it matches", () => {
    const matched = xloop(["ab", t("sumToTwice"), t("sumTo"), "--args", "[3000]", "--expect", "faster", ...quick]);
    expect(matched.code).toBe(0);
    expect(matched.stdout).toMatch(/faster/);
    const differs = xloop(["ab", t("sumToTwice"), t("sumTo"), "--args", "[3000]", "--expect", "slower", ...quick]);
    expect(differs.code).toBe(4);
  });

  test("several pairs print one line each and a summary", () => {
    const run = xloop(["ab", t("sumTo"), t("sumToTwice"), t("sumToTwice"), t("sumTo"), "--args", "[2000]", ...quick]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("2 comparisons:");
  });

  test("bad input is one clear error line with exit 2", () => {
    for (const args of [
      ["ab", t("sumTo"), t("sumTo"), "--threshold", "1.5"],
      ["ab", t("sumTo"), t("sumTo"), "--threshold", "0"],
      ["ab", t("sumTo"), t("sumTo"), "--max-time", "-1"],
      ["ab", t("sumTo")],
      ["ab", t("sumTo"), t("sumTo"), "--expect", "quicker"],
    ]) {
      const run = xloop(args);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  test("a failing target is reported like in bench and exits 3", () => {
    const run = xloop(["ab", t("sumTo"), t("throwsAtOnce"), ...quick]);
    expect(run.code).toBe(3);
    expect(run.stdout + run.stderr).toContain("threw RangeError: bad input");
  });

  test("a cases file that yields nothing is a clear usage error (exit 2)", () => {
    const run = xloop(["ab", t("sumTo"), t("sumTo"), "--cases", "test/fixtures/cases.ts#empty", ...quick]);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain("yields no cases");
  });
});

describe("xloop noise", () => {
  test("stores the floor in .codeflash/noise.json and ab then respects it", () => {
    const dir = tempDir("xloop-noise-");
    cpSync("test/fixtures/targets.ts", join(dir, "targets.ts"));
    const noise = xloop(["noise", "targets.ts#sumTo", "--args", "[2000]", "--pairs", "8", "--round-time", "0.1", "--json"], { cwd: dir });
    expect(noise.code).toBe(0);
    const doc = JSON.parse(noise.stdout);
    expect(doc.floor).toBeGreaterThan(0);
    const stored = JSON.parse(readFileSync(join(dir, ".codeflash/noise.json"), "utf8"));
    expect(stored.targets["targets.ts#sumTo"].floor).toBe(doc.floor);
    stored.targets["targets.ts#sumTo"].floor = 0.2;
    writeFileSync(join(dir, ".codeflash/noise.json"), JSON.stringify(stored));
    const ab = xloop(["ab", "targets.ts#sumTo", "targets.ts#sumTo", "--args", "[2000]", "--json", ...quick], { cwd: dir });
    expect(JSON.parse(ab.stdout).threshold).toBe(0.2);
    expect(ab.stderr).toContain("stored noise floor");
  });

  test("--threshold auto takes the stored floor itself, and without one says to measure it", () => {
    const dir = tempDir("xloop-noise-auto-");
    cpSync("test/fixtures/targets.ts", join(dir, "targets.ts"));
    const before = xloop(["ab", "targets.ts#sumTo", "targets.ts#sumTo", "--args", "[2000]", "--threshold", "auto", ...quick], { cwd: dir });
    expect(before.code).toBe(2);
    expect(before.stderr.trim()).toBe("xloop: --threshold auto: needs targets.ts#sumTo's noise floor measured on this machine and runtime, and none is stored: run `xloop noise targets.ts#sumTo` first, or give --threshold");
    expect(xloop(["noise", "targets.ts#sumTo", "--args", "[2000]", "--pairs", "8", "--round-time", "0.1"], { cwd: dir }).code).toBe(0);
    const floor = JSON.parse(readFileSync(join(dir, ".codeflash/noise.json"), "utf8")).targets["targets.ts#sumTo"].floor;
    const ab = xloop(["ab", "targets.ts#sumTo", "targets.ts#sumTo", "--args", "[2000]", "--threshold", "auto", "--json", ...quick], { cwd: dir });
    const doc = JSON.parse(ab.stdout);
    expect(doc.threshold).toBe(floor);
    expect(doc.notes.join(" ")).toContain(`--threshold auto: ±${(floor * 100).toFixed(2)}%, the stored noise floor of targets.ts#sumTo`);
    expect(doc.bound).toBeGreaterThanOrEqual(0);
    expect(doc.bound).toBeCloseTo(Math.max(1 - doc.ci[0], doc.ci[1] - 1), 12);
  });
});
