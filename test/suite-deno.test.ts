import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { binaryOutsideRepo, repoRoot, runIn } from "./helpers.ts";
import { removeTempFolders } from "./fixtures/git-repo.ts";
import { suiteProject } from "./fixtures/suite-project.ts";

afterAll(removeTempFolders);

test("on Deno a peer suite is refused in one line that names the runtimes which can measure it", () => {
  const dir = suiteProject();
  const run = runIn(binaryOutsideRepo(), ["bench", "bench/vitest.bench.ts", "--runtime", "deno", "--runtime-path", join(repoRoot, "node_modules/.bin/deno"), "--time", "0.1", "--rounds", "2", "--precision", "0"], dir);
  expect(run.code).toBe(2);
  expect(run.stderr.trim().split("\n")).toEqual([
    expect.stringContaining("bench/vitest.bench.ts: tinybench, mitata and vitest suites are not supported on Deno yet") as unknown as string,
  ]);
  expect(run.stderr).toContain("--runtime node or --runtime bun");
});
