import { afterAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { binaryOutsideRepo, fixtures, runIn } from "./helpers.ts";
import { commitAll, git, removeTempFolders, repoWith, writeFiles } from "./fixtures/git-repo.ts";
import { xloopIn } from "./fixtures/suite-project.ts";

afterAll(removeTempFolders);

const work = readFileSync(join(fixtures, "suites", "work.ts"), "utf8");
/** hash() spins twice; the change spins once for the same value, in half the time. */
const twice = 'import { spin } from "./work.ts";\nexport function hash(): number {\n  let r = 0;\n  for (let k = 0; k < 2; k++) r = spin(1000);\n  return r;\n}\n';
const once = 'import { spin } from "./work.ts";\nexport function hash(): number {\n  return spin(1000);\n}\n';
const suite = [
  'import { Bench } from "tinybench";',
  'import { hash } from "../src/hash.ts";',
  'const bench = new Bench({ name: "hash" });',
  'bench.add("hash", () => hash());',
  "await bench.run();",
  "console.table(bench.table());",
  "",
].join("\n");
const project = { "package.json": '{"type":"module"}', "src/work.ts": work, "src/hash.ts": twice, "bench/hash.bench.ts": suite };

test("compare measures a tinybench suite's task in both revisions and calls the half-work revision faster", () => {
  const repo = repoWith(project, { "src/hash.ts": once });
  const run = xloopIn(repo, ["compare", "HEAD~1", "HEAD", "--max-time", "20", "--json"]);
  expect(run.code).toBe(0);
  const doc = JSON.parse(run.stdout);
  expect(doc.benchmarks.map((b: { id: string }) => b.id)).toEqual(["bench/hash.bench.ts#hash > hash"]);
  expect(doc.benchmarks[0].verdict).toBe("faster");
});

test("experiment with a tinybench task as its benchmark keeps a change that halves the work and gives the same value", () => {
  const repo = repoWith(project);
  expect(runIn(binaryOutsideRepo(), ["init", "--guard", "true"], repo).code).toBe(0);
  commitAll(repo, "xloop init");
  writeFiles(repo, { "src/hash.ts": once });
  const run = xloopIn(repo, ["experiment", "bench/hash.bench.ts#hash > hash", "--pattern", "algorithm", "-m", "spin once", "--round-time", "0.05", "--min-rounds", "3", "--max-time", "20"]);
  expect(run.stderr).toContain("identical (1 cases)");
  expect(run.stderr).toMatch(/KEEP/);
  expect(run.code).toBe(0);
  expect(git(repo, "log", "-1", "--format=%s").trim()).toBe("cpu: spin once");
});
