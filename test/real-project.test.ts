/**
 * The compiled binary on a project with real package shapes (test/fixtures/real-project:
 * conditional and subpath exports, main-only CommonJS, a scoped package, a dual package,
 * a symlinked workspace package, a TypeScript-only package reached through tsconfig
 * `paths`), copied outside this repository so nothing of xloop's own node_modules or
 * tsconfig can stand in for the project's. Every command that loads targets is run once
 * with its quickest settings; the assertions hold whichever runtime measures.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { cpSync, lstatSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readOracle } from "../src/oracle/oracle-file.ts";
import { commit, commitAll, git, initRepo, removeTempFolders, tempFolder, worktrees, write } from "./fixtures/git-repo.ts";
import { fixtures, xloop, type CliRun } from "./helpers.ts";

afterAll(removeTempFolders);

/** Tests that measure get more than bun's default 5 s. */
const SLOW = 120_000;
const quickBench = ["--time", "0.2", "--rounds", "2", "--precision", "0"];
const quickAb = ["--round-time", "0.1", "--max-time", "3"];
const cases = ["--cases", "src/cases.ts#cases"];

const project = join(fixtures, "real-project");

/** A copy of the fixture project in a fresh temporary folder, its workspace symlink kept a relative symlink. */
function projectCopy(): string {
  const dir = tempFolder("xloop-real-project-");
  cpSync(project, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/**
 * The project as a user's repository: node_modules installed but ignored by git (so
 * the loop's temporary worktrees link it in), everything else committed on main.
 */
function projectRepo(): string {
  const dir = initRepo(projectCopy());
  write(dir, ".gitignore", "node_modules/\n");
  commitAll(dir, "real project");
  return dir;
}

/** The run loaded every module: no import failure anywhere in its output. */
function expectLoaded(run: CliRun): void {
  const output = run.stdout + run.stderr;
  expect(output).not.toContain("failed to import");
  expect(output).not.toMatch(/Cannot find (module|package)|syntax error|no export named/);
}

/** The run exited with one of `codes`; else the failure shows what it printed. */
function expectExit(run: CliRun, ...codes: number[]): void {
  if (run.code !== null && codes.includes(run.code)) return;
  throw new Error(`exit ${run.code}, expected ${codes.join(" or ")}; stderr:\n${run.stderr}\nstdout:\n${run.stdout.slice(0, 4000)}`);
}

/** What each package's function answered in src/targets.ts#loaded (ES modules). */
const fromEsm = {
  "cond-exports": "import",
  "cond-exports/extra": "extra:import",
  "main-only": "main-only/lib/entry.js",
  "@scope/pkg": "@scope/pkg/index.js",
  dual: "dual:esm",
  "ws-lib": "ws-lib:packages/ws-lib+@scope/pkg/index.js",
  "ts-only": "ts-only/src/index.ts",
  "@lib/label": "k=v",
};

/** And in src/targets.cjs#loaded (require()): the "require" files of the conditional packages. */
const fromCjs = {
  "cond-exports": "require",
  "cond-exports/extra": "extra:require",
  "main-only": "main-only/lib/entry.js",
  "@scope/pkg": "@scope/pkg/index.js",
  dual: "dual:cjs",
  "ws-lib": "ws-lib:packages/ws-lib+@scope/pkg/index.js",
};

/** The object a stored oracle recorded as the single case's return value (plain string-valued objects only). */
function capturedReturn(root: string, target: string): Record<string, string> {
  const [record] = readOracle(root, target).records as unknown as { outcome: string; value: { t: string; keys: string[]; values: string[] } }[];
  expect(record.outcome).toBe("return");
  expect(record.value.t).toBe("object");
  return Object.fromEntries(record.value.keys.map((k, i) => [k, record.value.values[i]]));
}

/** src/targets.ts with checksum's loop-invariant package calls hoisted: the same outputs, less work. */
function hoistedTargets(original: string): string {
  const start = original.indexOf("export function checksum(");
  expect(start).toBeGreaterThan(0);
  return `${original.slice(0, start)}export function checksum(n: number): number {
  const fixed = [condition(), extra(), mainOnly.whoami(), scoped(), dual(), wsLib(), tsOnly()];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (const part of fixed) {
      for (let c = 0; c < part.length; c++) sum = (sum * 31 + part.charCodeAt(c)) | 0;
    }
    const last = label("i", String(i));
    for (let c = 0; c < last.length; c++) sum = (sum * 31 + last.charCodeAt(c)) | 0;
  }
  return sum;
}
`;
}

describe("the compiled binary on a project with real packages", () => {
  test("the copy keeps the workspace package a relative symlink", () => {
    const dir = projectCopy();
    expect(lstatSync(join(dir, "node_modules/ws-lib")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, "node_modules/ws-lib"))).toBe("../packages/ws-lib");
  });

  test("bench measures an ES module and a CommonJS target that import every package", () => {
    const dir = projectCopy();
    const run = xloop(["bench", "src/targets.ts#checksum", "src/targets.cjs#checksum", ...cases, "--json", ...quickBench], { cwd: dir });
    expectExit(run, 0);
    expectLoaded(run);
    const doc = JSON.parse(run.stdout);
    expect(doc.results.map((r: { target: string; ok: boolean }) => [r.target, r.ok])).toEqual([
      ["src/targets.ts#checksum", true],
      ["src/targets.cjs#checksum", true],
    ]);
    for (const result of doc.results) expect(result.stats.median).toBeGreaterThan(0);
  }, SLOW);

  test("ab loads both sides and reaches a verdict", () => {
    const dir = projectCopy();
    const run = xloop(["ab", "src/targets.ts#checksum", "src/targets.cjs#checksum", ...cases, "--json", ...quickAb], { cwd: dir });
    expectExit(run, 0);
    expectLoaded(run);
    const doc = JSON.parse(run.stdout);
    expect(doc.base.ok && doc.head.ok).toBe(true);
    expect(["faster", "slower", "same", "inconclusive"]).toContain(doc.verdict);
  }, SLOW);

  test("oracle capture records which file of each package was loaded: import conditions from ESM, require conditions from CommonJS; verify finds them identical", () => {
    const dir = projectCopy();
    for (const target of ["src/targets.ts#loaded", "src/targets.cjs#loaded"]) {
      const capture = xloop(["oracle", "capture", target], { cwd: dir });
      expectExit(capture, 0);
      expectLoaded(capture);
      const verify = xloop(["oracle", "verify", target], { cwd: dir });
      expectExit(verify, 0);
      expectLoaded(verify);
      expect(verify.stdout).toContain("identical (1 cases)");
    }
    expect(capturedReturn(dir, "src/targets.ts#loaded")).toEqual(fromEsm);
    expect(capturedReturn(dir, "src/targets.cjs#loaded")).toEqual(fromCjs);
  }, SLOW);

  test("baseline then an experiment on a changed source file: the oracle passes and the change is decided", () => {
    const dir = projectRepo();
    expect(xloop(["init"], { cwd: dir }).code).toBe(0);
    const baseline = xloop(["baseline", "src/targets.ts#checksum", ...cases, ...quickBench], { cwd: dir });
    expectExit(baseline, 0);
    expectLoaded(baseline);
    const file = join(dir, "src/targets.ts");
    writeFileSync(file, hoistedTargets(readFileSync(file, "utf8")));
    const run = xloop(["experiment", "src/targets.ts#checksum", "--pattern", "hoisting", "-m", "hoist the package calls out of the loop", ...quickAb], { cwd: dir });
    // KEEP (0) or DISCARD (6) are both decisions; a load failure would be 3.
    expectExit(run, 0, 6);
    expectLoaded(run);
    expect(run.stderr).toContain("[experiment 2] Verifying output equivalence... identical (3 cases)");
    // The project has a bench suite, so a KEEP is measured end to end and this A/B is the micro-benchmark.
    expect(run.stderr).toContain("[experiment 2] Micro-benchmarking...");
    expect(run.stderr).toMatch(/\[experiment 2\] (KEEP|DISCARD)/);
    expect(run.stderr).not.toContain("output differs");
    expect(worktrees(dir)).toEqual([dir]);
  }, SLOW);

  test("compare runs the bench suite on two commits, each worktree with the project's node_modules linked", () => {
    const dir = projectRepo();
    const file = join(dir, "src/targets.ts");
    commit(dir, { "src/targets.ts": hoistedTargets(readFileSync(file, "utf8")) }, "hoist");
    const run = xloop(["compare", "HEAD~1", "HEAD", "--max-time", "3", "--json"], { cwd: dir });
    expectExit(run, 0);
    expectLoaded(run);
    const doc = JSON.parse(run.stdout);
    expect(doc.failed).toBe(false);
    const [benchmark, ...others] = doc.benchmarks;
    expect(others).toEqual([]);
    expect(benchmark.id).toBe("bench/packages.bench.ts#checksum200");
    expect(benchmark.failure).toBeNull();
    expect(benchmark.ab.base.ok && benchmark.ab.head.ok).toBe(true);
    expect(worktrees(dir)).toEqual([dir]);
    expect(git(dir, "status", "--porcelain")).toBe("");
  }, SLOW);
});

/** npm's error codes for a registry it could not reach. */
const networkError = /E(NOTFOUND|AI_AGAIN|CONNREFUSED|CONNRESET|TIMEDOUT|NETUNREACH|HOSTUNREACH)|network|socket hang up|proxy/i;

describe("packages installed from the npm registry", () => {
  test("a target using dequal and klona (pinned) installs with npm and is measured", () => {
    const dir = tempFolder("xloop-npm-project-");
    write(dir, "package.json", `${JSON.stringify({ name: "npm-project", private: true, type: "module", dependencies: { dequal: "2.0.3", klona: "2.0.6" } }, null, 2)}\n`);
    write(
      dir,
      "copy.ts",
      'import { dequal } from "dequal";\nimport { klona } from "klona";\nimport { klona as jsonKlona } from "klona/json";\n\nconst value = { a: [1, 2, { b: "c" }], d: { e: 3 } };\n\nexport function roundTrip(): boolean {\n  return dequal(klona(value), value) && dequal(jsonKlona(value), value);\n}\n',
    );
    // One quick retry: npm's default backoff spends 70 s on a registry it cannot reach.
    const retries = ["--fetch-retries=1", "--fetch-retry-mintimeout=1000", "--fetch-retry-maxtimeout=3000"];
    const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", ...retries], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    if (install.status !== 0) {
      const why = `${install.error?.message ?? ""}\n${install.stderr ?? ""}`.trim();
      // A spawn timeout (ETIMEDOUT from spawnSync) is a registry too slow to use here.
      if (networkError.test(why)) {
        console.warn(`skipped: the npm registry is not reachable (npm install failed: ${why.split("\n")[0]})`);
        return;
      }
      throw new Error(`npm install failed: ${why}`);
    }
    const capture = xloop(["oracle", "capture", "copy.ts#roundTrip"], { cwd: dir });
    expectExit(capture, 0);
    expectLoaded(capture);
    expect(readOracle(dir, "copy.ts#roundTrip").records[0]).toMatchObject({ outcome: "return", value: true });
    const run = xloop(["bench", "copy.ts#roundTrip", "--json", ...quickBench], { cwd: dir });
    expectExit(run, 0);
    expectLoaded(run);
    const [result] = JSON.parse(run.stdout).results;
    expect(result.ok).toBe(true);
    expect(result.stats.median).toBeGreaterThan(0);
  }, SLOW);
});
