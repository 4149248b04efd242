import { describe, expect, test } from "bun:test";
import { parseDuration } from "../src/settings/duration.ts";
import { fixtures, tempDir, xloop } from "./helpers.ts";

const value = (raw: unknown, unit: "us" | "ms" | "s", typical: number) => {
  const parsed = parseDuration(raw, unit, typical);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
};
const refusal = (raw: unknown, unit: "us" | "ms" | "s", typical: number) => {
  const parsed = parseDuration(raw, unit, typical);
  if (parsed.ok) throw new Error(`accepted ${JSON.stringify(raw)} as ${parsed.value}`);
  return parsed.message;
};

describe("duration options", () => {
  test("a bare number is read in the option's own unit", () => {
    expect(value(2, "s", 1)).toBe(2);
    expect(value(250, "ms", 300)).toBe(250);
    expect(value("0.5", "s", 1)).toBe(0.5);
  });

  test("a number with a unit is converted to the option's unit", () => {
    expect(value("500ms", "s", 1)).toBeCloseTo(0.5, 12);
    expect(value("30s", "ms", 10_000)).toBe(30_000);
    expect(value("2ms", "us", 1000)).toBe(2000);
    expect(value("250 µs", "s", 1)).toBeCloseTo(0.00025, 12);
    expect(value("250μs", "ms", 1)).toBeCloseTo(0.25, 12);
    expect(value("1.5min", "s", 30)).toBe(90);
    expect(value("2m", "s", 30)).toBe(120);
    expect(value("3e2ms", "s", 1)).toBeCloseTo(0.3, 12);
    expect(value("1000ns", "us", 1000)).toBe(1);
  });

  test("a bare number over 100 times the default is refused with the two likely meanings", () => {
    const message = refusal(1000, "s", 1);
    expect(message).toContain("1000 seconds");
    expect(message).toContain("1000s");
    expect(message).toContain("1000ms");
    expect(value(100, "s", 1)).toBe(100);
  });

  test("a long duration written with its unit is taken as meant", () => {
    expect(value("1000s", "s", 1)).toBe(1000);
  });

  test("zero, negative and unreadable durations are refused", () => {
    for (const raw of [0, -1, "0ms", "-1s", "soon", "1 hour", "", true, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(refusal(raw, "s", 1)).toMatch(/must be a (positive )?duration/);
    }
  });

  test("the compiled binary takes --time with a unit", () => {
    const run = xloop(["bench", "test/fixtures/targets.ts#sumTo", "--args", "[100]", "--time", "200ms", "--rounds", "2", "--precision", "0", "--json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).results[0].stats.workerMedians).toHaveLength(2);
  });

  test("the compiled binary refuses a bare --time 1000 in one line, before measuring anything", () => {
    const run = xloop(["bench", "test/fixtures/targets.ts#sumTo", "--args", "[100]", "--time", "1000"], { timeoutMs: 20_000 });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("--time");
    expect(lines[0]).toContain("1000ms");
  });

  test("ab's --max-time and oracle's --timeout take units too", () => {
    const ab = xloop(["ab", "test/fixtures/targets.ts#sumTo", "test/fixtures/targets.ts#sumTo", "--args", "[100]", "--max-time", "1min", "--round-time", "soon"]);
    expect(ab.code).toBe(2);
    expect(ab.stderr.trim()).toContain("--round-time");
    expect(ab.stderr.trim().split("\n")).toHaveLength(1);
    const oracle = xloop(["oracle", "capture", `${fixtures}/targets.ts#sumTo`, "--args", "[1]", "--timeout", "0s"], { cwd: tempDir() });
    expect(oracle.code).toBe(2);
    expect(oracle.stderr).toContain("--timeout");
  });
});
