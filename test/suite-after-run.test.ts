import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeTempFolders } from "./fixtures/git-repo.ts";
import { benchNames, quickBench, suiteProject, xloopIn } from "./fixtures/suite-project.ts";

afterAll(removeTempFolders);

test("a suite whose code after run() reads the peer's results still has its benchmarks measured", () => {
  const dir = suiteProject();
  writeFileSync(
    join(dir, "bench", "reads.bench.ts"),
    [
      'import { bench, run } from "mitata";',
      'import { spin } from "./work.ts";',
      'bench("spin 10", () => spin(10));',
      "const result = await run();",
      "console.log(result.benchmarks[0].runs[0].stats.avg.toFixed(1));",
      "",
    ].join("\n"),
  );
  const run = xloopIn(dir, ["bench", "bench/reads.bench.ts", "--json", ...quickBench]);
  expect(run.code).toBe(0);
  expect(benchNames(run.stdout, "bench/reads.bench.ts").measured).toEqual(["spin 10"]);
});
