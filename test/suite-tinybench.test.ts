import { afterAll, expect, test } from "bun:test";
import { removeTempFolders } from "./fixtures/git-repo.ts";
import { benchNames, peerRan, quickBench, suiteProject, xloopIn } from "./fixtures/suite-project.ts";

afterAll(removeTempFolders);

test("a tinybench file's tasks are measured as tinybench itself runs them, hooks outside the timed region, and the loop-bound setup is named with why", () => {
  const ran = peerRan("tinybench");
  const dir = suiteProject();
  const run = xloopIn(dir, ["bench", "bench/tinybench.bench.ts", "--json", ...quickBench]);
  expect(run.code).toBe(0);
  const { measured, notMeasured, medians } = benchNames(run.stdout, "bench/tinybench.bench.ts");
  expect([...measured, ...notMeasured].sort()).toEqual([...ran].sort());
  expect(notMeasured).toEqual(["per phase > spin 100"]);
  expect(run.stderr).toContain("not measured: bench/tinybench.bench.ts > per phase > spin 100: its Bench's setup(task, mode) is called by tinybench's own loop");
  // beforeEach spins 20 000 times and sets the input to 500: timed, the task would read
  // over twenty times spin 1000's time (it reads about half of it); not run, it would spin 0 times.
  expect(medians["spin > hooked spin 500"]).toBeLessThan(5 * medians["spin > spin 1000"]);
  expect(medians["spin > hooked spin 500"]).toBeGreaterThan(0.2 * medians["spin > spin 1000"]);
});

test("--filter keeps the tinybench tasks whose shown name matches", () => {
  const dir = suiteProject();
  const run = xloopIn(dir, ["bench", "bench/tinybench.bench.ts", "--filter", "spin 1000$", "--json", ...quickBench]);
  expect(run.code).toBe(0);
  expect(benchNames(run.stdout, "bench/tinybench.bench.ts").measured).toEqual(["spin > spin 1000"]);
});
