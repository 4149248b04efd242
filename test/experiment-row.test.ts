import { expect, test } from "bun:test";
import { experimentRow } from "../src/experiment/row.ts";
import { madeUpAb } from "./fixtures/made-up-results.ts";

test("a side measured below zero (a call optimised away) is recorded as 0, not an internal error", () => {
  const benchmark = madeUpAb("a.ts#f", "b.ts#f", -0.3, 1, "same");
  const row = experimentRow({
    experiment: 3,
    decision: { action: "discard", reason: "same" },
    pattern: "algorithm",
    target: "a.ts#f",
    domain: "cpu",
    description: "x",
    files: ["a.ts"],
    commit: null,
    benchmark,
    guard: null,
    endToEnd: null,
    timestamp: "2026-12-06T00:00:00.000Z",
    runtime: "node 20.20.2",
  });
  expect(row.before).toMatch(/^0(\.0+)?ps/);
  expect(row.metric).toBe("time per call");
});
