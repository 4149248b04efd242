import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeTempFolders } from "./fixtures/git-repo.ts";
import { makeLoopRepo, wrongPrice } from "./fixtures/loop-repo.ts";
import { binaryOutsideRepo, runIn, tempDir } from "./helpers.ts";

afterAll(removeTempFolders);
const SLOW = 120_000;

describe("experiment and the GitHub job summary", () => {
  test("an experiment appends to GITHUB_STEP_SUMMARY the markdown --md prints, and --no-summary leaves it alone", () => {
    const dir = makeLoopRepo();
    const bin = binaryOutsideRepo();
    expect(runIn(bin, ["init", "--guard", "true"], dir).code).toBe(0);
    expect(runIn(bin, ["baseline", "price.ts#total", "--cases", "cases.ts#cases", "--time", "0.2", "--rounds", "3", "--slice", "1ms"], dir, {}, SLOW).code).toBe(0);
    const summary = join(tempDir(), "summary.md");
    // A change with different output: discarded at the equivalence check, before any benchmark.
    writeFileSync(join(dir, "price.ts"), wrongPrice);
    const run = runIn(bin, ["experiment", "price.ts#total", "--pattern", "algorithm", "-m", "add a cent", "--md"], dir, { GITHUB_STEP_SUMMARY: summary }, SLOW);
    expect(run.code).toBe(6);
    expect(run.stdout).toStartWith("## xloop experiment 2: DISCARD `price.ts#total`");
    expect(run.stdout).toContain("| outputs | different: ");
    expect(readFileSync(summary, "utf8")).toBe(`${run.stdout.trimEnd()}\n\n`);
    const summaryAfterFirst = readFileSync(summary, "utf8");

    writeFileSync(join(dir, "price.ts"), wrongPrice);
    const quiet = runIn(bin, ["experiment", "price.ts#total", "--pattern", "algorithm", "-m", "add a cent again", "--no-summary"], dir, { GITHUB_STEP_SUMMARY: summary }, SLOW);
    expect(quiet.code).toBe(6);
    expect(readFileSync(summary, "utf8")).toBe(summaryAfterFirst);
    expect(existsSync(summary)).toBe(true);
  }, SLOW);
});
