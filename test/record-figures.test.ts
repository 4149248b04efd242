import { describe, expect, test } from "bun:test";
import { newRow } from "../src/record/columns.ts";
import { escapeCell, unescapeCell } from "../src/record/escape.ts";
import {
  bytesCell,
  durationCell,
  percentCell,
  parseDurationCell,
  parseImprovement,
  rowRatio,
} from "../src/record/figures.ts";

describe("durations", () => {
  test("a microsecond-scale time with its spread reads like the loop's records", () => {
    expect(durationCell(1920, 10)).toBe("1.92µs±0.01µs");
    expect(durationCell(3_859_000, 79_000)).toBe("3.86ms±0.08ms");
  });

  test("the unit follows the magnitude from picoseconds to seconds", () => {
    expect(durationCell(0.25)).toBe("250ps");
    expect(durationCell(12.34)).toBe("12.3ns");
    expect(durationCell(2.5e9)).toBe("2.50s");
  });

  test("a value that rounds to 1000 of one unit is written in the next", () => {
    expect(durationCell(999.96)).toBe("1.00µs");
  });

  test("a spread much finer than the value gets the decimals it needs", () => {
    expect(durationCell(192_000, 400)).toBe("192.0µs±0.4µs");
  });

  test("a negative duration is refused rather than written", () => {
    expect(() => durationCell(-1)).toThrow(RangeError);
  });

  test("formatted durations parse back to the same nanoseconds", () => {
    expect(parseDurationCell("1.92µs±0.01µs")).toEqual({ ns: 1920, spreadNs: 10 });
    expect(parseDurationCell("3.859ms±0.079ms")!.ns).toBeCloseTo(3_859_000);
    expect(parseDurationCell("4us")).toEqual({ ns: 4000 });
    expect(parseDurationCell("4μs")).toEqual({ ns: 4000 });
    expect(parseDurationCell("-")).toBeUndefined();
  });

  test("sizes use binary units for the memory domain", () => {
    expect(bytesCell(13_002_342, 104_858)).toBe("12.4MiB±0.1MiB");
    expect(bytesCell(512)).toBe("512B");
  });
});

describe("improvement", () => {
  test("faster is positive and written with its sign", () => {
    expect(percentCell(0.266)).toBe("+26.6%");
    expect(percentCell(-0.05)).toBe("-5.0%");
  });

  test("a change too small to show is +0.0%, never -0.0%", () => {
    expect(percentCell(-0.00001)).toBe("+0.0%");
  });

  test("an improvement cell parses back to its fraction", () => {
    expect(parseImprovement("+26.6%")).toBeCloseTo(0.266);
    expect(parseImprovement("-3%")).toBeCloseTo(-0.03);
    expect(parseImprovement("-")).toBeUndefined();
  });

  test("a row's ratio comes from the ratio cell, else the improvement, else the durations", () => {
    expect(rowRatio(newRow({ experiment: 1, status: "keep", ratio: "0.734", improvement: "+10%" }))).toBe(0.734);
    expect(rowRatio(newRow({ experiment: 1, status: "keep", improvement: "+25.0%" }))).toBeCloseTo(0.75);
    expect(rowRatio(newRow({ experiment: 1, status: "keep", before: "2.00µs", after: "1.50µs" }))).toBeCloseTo(0.75);
    expect(rowRatio(newRow({ experiment: 1, status: "keep" }))).toBeUndefined();
  });
});

describe("escaping", () => {
  test("tabs, newlines, carriage returns and backslashes survive a round trip", () => {
    const text = "split\tby tab\nand line\r\nC:\\path\\to\\file \\t literal";
    const escaped = escapeCell(text);
    expect(escaped).not.toMatch(/[\t\n\r]/);
    expect(unescapeCell(escaped)).toBe(text);
  });

  test("a backslash before an ordinary character in a hand-edited cell is kept", () => {
    expect(unescapeCell("C:\\Users\\me")).toBe("C:\\Users\\me");
    expect(unescapeCell("ends with \\")).toBe("ends with \\");
  });
});
