import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeTempFolders } from "./fixtures/git-repo.ts";
import { benchNames, quickBench, suiteProject, xloopIn } from "./fixtures/suite-project.ts";

afterAll(removeTempFolders);

for (const runtime of ["node", "bun"] as const) {
  test(`a CommonJS tinybench suite's require("tinybench") gets xloop's collector on ${runtime}, with no tinybench installed`, () => {
    const dir = suiteProject();
    writeFileSync(
      join(dir, "bench", "legacy.bench.cjs"),
      [
        'const { Bench } = require("tinybench");',
        'const bench = new Bench({ name: "legacy" });',
        'bench.add("sum", () => { let s = 0; for (let i = 0; i < 100; i++) s += i; return s; });',
        "bench.run().then(() => console.table(bench.table()));",
        "",
      ].join("\n"),
    );
    const run = xloopIn(dir, ["bench", "bench/legacy.bench.cjs", "--json", ...quickBench], runtime);
    expect(run.code).toBe(0);
    expect(benchNames(run.stdout, "bench/legacy.bench.cjs").measured).toEqual(["legacy > sum"]);
  });
}
