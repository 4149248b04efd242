import { expect, test } from "bun:test";
import { callsPerBatch } from "../src/measure/slice-length.ts";

const ms = 1e6;
const byDefault = { minimumSliceNs: 1 * ms, maximumSliceNs: 10 * ms, passes: 100 };

test("a short function with one case keeps the shortest slice: a millisecond of calls", () => {
  expect(callsPerBatch({ ...byDefault, perCallNs: 70, cases: 1 })).toBe(14286);
});

test("a microsecond function cycling through 64 inputs makes a hundred passes over them", () => {
  expect(callsPerBatch({ ...byDefault, perCallNs: 1000, cases: 64 })).toBe(6400);
});

test("passes that would outlast the longest slice stop at it", () => {
  expect(callsPerBatch({ ...byDefault, perCallNs: 1400, cases: 2048 })).toBe(7142);
  expect(callsPerBatch({ ...byDefault, perCallNs: 200_000, cases: 16 })).toBe(50);
});

test("a --slice given is kept as written: the longest equals the shortest", () => {
  expect(callsPerBatch({ minimumSliceNs: 2 * ms, maximumSliceNs: 2 * ms, passes: 100, perCallNs: 1000, cases: 64 })).toBe(2000);
});

test("a call longer than the slice still makes one call per batch", () => {
  expect(callsPerBatch({ ...byDefault, perCallNs: 50 * ms, cases: 3 })).toBe(1);
});
