import { describe, expect, test } from "bun:test";
import { renderAbPlot, renderBenchPlot } from "../src/output/plot.ts";
import type { Terminal } from "../src/format/terminal.ts";
import { madeUpAb, madeUpFailure, madeUpTarget } from "./fixtures/made-up-results.ts";
import { binaryOutsideRepo, runIn, tempDir } from "./helpers.ts";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const terminal = (color: boolean): Terminal => ({ color, interactive: false, status() {}, progress() {}, clearProgress() {} });
const ascii = /^[\x20-\x7e\n]*$/;

describe("terminal pictures", () => {
  test("bench's plot draws one box plot per measured target on a shared axis, in plain ASCII without colour", () => {
    const plot = renderBenchPlot([madeUpTarget("src/a.ts#slow", 2000), madeUpTarget("src/a.ts#fast", 1000), madeUpFailure("src/a.ts#broken", "threw")], terminal(false));
    expect(plot).toMatch(ascii);
    const lines = plot.split("\n");
    expect(lines[0]).toBe("distribution of per-worker medians:");
    const slow = lines.find((l) => l.startsWith("src/a.ts#slow"))!;
    const fast = lines.find((l) => l.startsWith("src/a.ts#fast"))!;
    expect(plot).not.toContain("broken");
    // On a shared axis the slow target's box lies to the right of the fast one's.
    expect(slow.indexOf("=")).toBeGreaterThan(fast.indexOf("="));
    expect(slow).toContain("2.00 us (10 workers)");
    expect(lines.at(-1)).toMatch(/980 ns\s+2\.04 us$/);
  });

  test("with colour the same picture uses box-drawing characters", () => {
    const plot = renderBenchPlot([madeUpTarget("src/a.ts#slow", 2000)], terminal(true));
    expect(plot).toContain("█");
    expect(plot).toContain("\x1b[1m");
  });

  test("ab's plot shows both sides, each pair's ratio, the interval around the estimate and the threshold band around 1", () => {
    const plot = renderAbPlot([madeUpAb("src/v1.ts#f", "src/v2.ts#f", 1000, 0.995, "same")], terminal(false));
    expect(plot).toMatch(ascii);
    const lines = plot.split("\n");
    expect(lines[0]).toBe("src/v1.ts#f -> src/v2.ts#f: per-worker medians");
    expect(lines.some((l) => l.startsWith("base   "))).toBe(true);
    expect(lines.some((l) => l.startsWith("head   "))).toBe(true);
    expect(plot).toContain("the 99% CI and the +/-1.0% band (.)");
    const pairs = lines.find((l) => l.startsWith("pairs  "))!;
    expect(pairs).toContain("o");
    expect(pairs).toContain(".");
    const ci = lines.find((l) => l.startsWith("CI     "))!;
    expect(ci).toMatch(/\[=*\*?=*\]/);
    expect(ci).toContain("0.995x same");
  });

  test("xloop ab --plot without a terminal prints the picture in ASCII after the report", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "k.mjs"), "export function f(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }\nexport function g(n) { let s = 0; for (let i = 0; i < n * 2; i++) s += i % 7; return s; }\n");
    const run = runIn(binaryOutsideRepo(), ["ab", "k.mjs#f", "k.mjs#g", "--args", "[1000]", "--round-time", "0.05", "--min-rounds", "3", "--max-time", "3", "--plot"], dir, {}, 120_000);
    expect(run.code).toBe(0);
    const picture = run.stdout.slice(run.stdout.indexOf("k.mjs#f -> k.mjs#g: per-worker medians"));
    expect(picture.length).toBeGreaterThan(100);
    expect(picture).toMatch(ascii);
    expect(picture).toContain("pairs  ");
  }, 120_000);
});
