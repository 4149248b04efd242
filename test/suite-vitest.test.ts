import { afterAll, expect, test } from "bun:test";
import { removeTempFolders } from "./fixtures/git-repo.ts";
import { benchNames, quickBench, suiteProject, xloopIn } from "./fixtures/suite-project.ts";

afterAll(removeTempFolders);

// vitest is not installed: the list is the file's declared benches as vitest would run
// them (bench.skip left out), written in the fixture's header.
const declared = ["spin > spin 2000", "spin > spin 1000", "context > uses the context", "top level"];

test("a vitest bench file runs without vitest installed, its describe blocks naming the groups, and a bench taking vitest's context is named with why", () => {
  const dir = suiteProject();
  const run = xloopIn(dir, ["bench", "bench/vitest.bench.ts", "--json", ...quickBench]);
  expect(run.code).toBe(0);
  const { measured, notMeasured } = benchNames(run.stdout, "bench/vitest.bench.ts");
  expect([...measured, ...notMeasured].sort()).toEqual([...declared].sort());
  expect(notMeasured).toEqual(["context > uses the context"]);
  expect(run.stderr).toContain("uses the context: its function takes an argument (vitest's test context or fixtures)");
});
