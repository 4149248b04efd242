import { afterAll, expect, test } from "bun:test";
import { removeTempFolders } from "./fixtures/git-repo.ts";
import { suiteProject, xloopIn } from "./fixtures/suite-project.ts";

afterAll(removeTempFolders);

const quickAb = ["--round-time", "0.05", "--min-rounds", "3", "--max-time", "20", "--json"];

for (const [kind, runtime] of [["tinybench", "bun"], ["mitata", "node"], ["vitest", "bun"]] as const) {
  test(`ab on ${kind}'s spin 2000 against spin 1000 (file#group > task, on ${runtime}) calls the half-work task faster`, () => {
    const dir = suiteProject();
    const file = `bench/${kind}.bench.ts`;
    const run = xloopIn(dir, ["ab", `${file}#spin > spin 2000`, `${file}#spin > spin 1000`, ...quickAb], runtime);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.verdict).toBe("faster");
    expect(doc.ratio).toBeGreaterThan(0.4);
    expect(doc.ratio).toBeLessThan(0.6);
  });
}

test("ab names a suite task that is not in the file, listing the file's tasks, as a usage error (exit 2)", () => {
  const dir = suiteProject();
  const run = xloopIn(dir, ["ab", "bench/vitest.bench.ts#spin > nope", "bench/vitest.bench.ts#top level", "--round-time", "0.05", "--min-rounds", "3", "--max-time", "3"]);
  expect(run.code).toBe(2);
  expect(run.stdout + run.stderr).toContain('no benchmark named "spin > nope" in this suite (benchmarks: spin > spin 2000, spin > spin 1000, context > uses the context, top level)');
});
