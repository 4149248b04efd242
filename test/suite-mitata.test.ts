import { afterAll, expect, test } from "bun:test";
import { removeTempFolders } from "./fixtures/git-repo.ts";
import { benchNames, peerRan, quickBench, suiteProject, xloopIn } from "./fixtures/suite-project.ts";

afterAll(removeTempFolders);

test("a mitata file's groups, args and range expand into the runs mitata itself makes, and a function that runs mitata's loop is named with why", () => {
  const ran = peerRan("mitata");
  const dir = suiteProject();
  const run = xloopIn(dir, ["bench", "bench/mitata.bench.ts", "--json", ...quickBench]);
  expect(run.code).toBe(0);
  const { measured, notMeasured, medians } = benchNames(run.stdout, "bench/mitata.bench.ts");
  expect([...measured, ...notMeasured]).toEqual(ran);
  expect(notMeasured).toEqual(["own loop"]);
  expect(run.stderr).toContain("own loop: its function runs mitata's timed loop itself");
  // args reach the generator: spin 400 does four times spin 100's work.
  expect(medians["spin 400"]).toBeGreaterThan(2 * medians["spin 100"]);
});
