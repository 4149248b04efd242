/** The fault matrix's pure pieces: the dashed-target check before cac, and the fault hook's setting. */
import { describe, expect, test } from "bun:test";
import { dashedTarget } from "../../src/commands/argv.ts";
import { faultPhases, pausedLine } from "../../src/fault/fault-point.ts";

describe("a target path starting with a dash", () => {
  test("is found before -- and not after it, and options with a # in their value are not mistaken for one", () => {
    expect(dashedTarget(["bench", "-x.ts#f"])).toBe("-x.ts#f");
    expect(dashedTarget(["bench", "./-x.ts#f"])).toBeUndefined();
    expect(dashedTarget(["bench", "a.ts#f", "--cases=c.ts#cases"])).toBeUndefined();
    expect(dashedTarget(["compare", "--", "-x.ts#f"])).toBeUndefined();
    expect(dashedTarget(["bench", "a.ts#f", "--time", "-1"])).toBeUndefined();
  });
});

describe("the fault hook", () => {
  test("names the experiment's phases in the order an experiment reaches them, and prints the line a driver waits for", () => {
    expect(faultPhases.experiment).toEqual(["worktree", "oracle", "verify", "benchmark", "guard", "commit", "patch", "restore", "record", "recorded"]);
    expect(faultPhases.compare).toEqual(["worktree", "run"]);
    expect(pausedLine("commit", 42)).toBe("xloop: fault: paused at commit (pid 42)");
  });
});
