import { describe, expect, test } from "bun:test";
import { getDomain } from "../src/domains/domains.ts";
import { decide } from "../src/experiment/decide.ts";

const cpu = getDomain("cpu");
const inconclusive = (ratio: number, ci: [number, number]) =>
  decide({ outputs: "identical", benchmark: { verdict: "inconclusive", ratio, ci, threshold: 0.01 }, guard: "skipped", rework: 0, hotPath: false, domain: cpu });

describe("an inconclusive benchmark's reason says what the interval shows", () => {
  test("an interval wholly above the threshold is discarded as likely slower, not as noise", () => {
    const decision = inconclusive(1.213, [1.2, 1.227]);
    expect(decision.action).toBe("discard");
    expect(decision.reason).toStartWith("likely slower: the interval lies wholly above +1.0%");
  });

  test("an interval that rules out a gain but reaches 1 is noise", () => {
    expect(inconclusive(1.004, [0.996, 1.038]).reason).toStartWith("noise: the interval rules out a gain");
  });

  test("an interval reaching below the threshold could not confirm the gain", () => {
    expect(inconclusive(0.97, [0.95, 1.001]).reason).toStartWith("noise: the gain could not be confirmed");
  });
});
