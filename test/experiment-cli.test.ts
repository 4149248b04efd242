import { afterAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compiledBinary, xloop } from "./helpers.ts";
import { commit, git, removeTempFolders, revParse } from "./fixtures/git-repo.ts";
import { casesSource, fastPrice, makeLoopRepo, slowPrice, wrongPrice } from "./fixtures/loop-repo.ts";

afterAll(removeTempFolders);

// The loop's flow is the subject here, not the measurement: 1 ms slices keep each comparison
// of the 6-case fixture about as short as its --round-time (lengthened slices have their own tests).
const speed = ["--round-time", "0.15", "--max-time", "15", "--slice", "1ms"];

/** A repository initialised for the loop with a baseline, plus unrelated work of the user's. */
function preparedRepo(guard?: string): string {
  const dir = makeLoopRepo();
  const init = xloop(["init", ...(guard ? ["--guard", guard] : [])], { cwd: dir });
  expect(init.code).toBe(0);
  const baseline = xloop(["baseline", "price.ts#total", "--cases", "cases.ts#cases", "--time", "0.2", "--rounds", "3", "--slice", "1ms"], { cwd: dir });
  expect(baseline.code).toBe(0);
  // The user's unrelated work: an untracked note, an edited tracked file, a staged edit.
  writeFileSync(join(dir, "notes.txt"), "my notes\n");
  writeFileSync(join(dir, "unrelated.ts"), "export const untouched = 2;\n");
  writeFileSync(join(dir, "staged.txt"), "staged\n");
  git(dir, "add", "staged.txt");
  return dir;
}

function expectUserWorkIntact(dir: string) {
  expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("my notes\n");
  expect(readFileSync(join(dir, "unrelated.ts"), "utf8")).toBe("export const untouched = 2;\n");
  expect(git(dir, "diff", "--cached", "--name-only").trim()).toBe("staged.txt");
  expect(git(dir, "worktree", "list").trim().split("\n")).toHaveLength(1);
}

function rows(dir: string): string[][] {
  return readFileSync(join(dir, ".codeflash/results.tsv"), "utf8").trim().split("\n").slice(1).map((l) => l.split("\t"));
}

describe("xloop experiment", () => {
  test("a slow-to-fast change is kept and exactly its file is committed", () => {
    const dir = preparedRepo("true");
    writeFileSync(join(dir, "price.ts"), fastPrice);
    const run = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "index catalog in a set", ...speed], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("[experiment 2] Verifying output equivalence... identical (6 cases)");
    expect(run.stderr).toMatch(/\[experiment 2\] KEEP {2}\(commit [0-9a-f]{7}\)/);
    expect(git(dir, "log", "-1", "--format=%s").trim()).toBe("cpu: index catalog in a set");
    expect(git(dir, "show", "--name-only", "--format=", "HEAD").trim()).toBe("price.ts");
    expect(readFileSync(join(dir, "price.ts"), "utf8")).toBe(fastPrice);
    const last = rows(dir).at(-1)!;
    expect(last.slice(0, 4)).toEqual(["2", "keep", "data-structure", "price.ts#total"]);
    expect(last[6]).toMatch(/^\+\d+\.\d%$/);
    // The improvement is the paired ratio's gain: the very figure the reason quotes.
    expect(last[17]).toStartWith(`${last[6].slice(1)} faster`);
    expect(Math.abs(1 - Number(last[10]) - Number.parseFloat(last[6].slice(1)) / 100)).toBeLessThan(0.0006);
    expect(last[14]).toBe("guard_pass");
    expectUserWorkIntact(dir);
  });

  test("with other cases than the baseline's, the outputs are compared on those cases, not against the stored oracle's", () => {
    const dir = preparedRepo("true");
    writeFileSync(join(dir, "other-cases.ts"), casesSource.replace("qty: 1 + (i % 3)", "qty: 2 + (i % 5)"));
    writeFileSync(join(dir, "price.ts"), fastPrice);
    const run = xloop(["experiment", "price.ts#total", "--cases", "other-cases.ts#cases", "--pattern", "data-structure", "-m", "index catalog in a set", ...speed], { cwd: dir });
    expect(run.stderr).toContain("[experiment 2] The stored oracle was captured on other cases; capturing HEAD's outputs on these");
    expect(run.stderr).toContain("[experiment 2] Verifying output equivalence... identical (6 cases)");
    expect(run.stderr).not.toContain("DIFFERENT");
    expect(run.code).toBe(0);
  });

  test("a change with different output is discarded before benchmarking, the tree restored and the patch re-appliable", () => {
    const dir = preparedRepo();
    writeFileSync(join(dir, "price.ts"), wrongPrice);
    const run = xloop(["experiment", "price.ts#total", "--pattern", "algorithm", "-m", "wrong", "--json", ...speed], { cwd: dir });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain("DIFFERENT");
    expect(run.stderr).not.toContain("Benchmarking...");
    expect(run.stderr).toContain("DISCARD — output differs from the original (correctness regression)");
    expect(readFileSync(join(dir, "price.ts"), "utf8")).toBe(slowPrice);
    const outcome = JSON.parse(run.stdout);
    expect(outcome.decision.action).toBe("discard");
    expect(outcome.benchmark).toBeNull();
    const patch = join(dir, ".codeflash/discarded/exp-2.patch");
    expect(existsSync(patch)).toBe(true);
    git(dir, "apply", "--check", patch);
    git(dir, "apply", patch);
    expect(readFileSync(join(dir, "price.ts"), "utf8")).toBe(wrongPrice);
    git(dir, "checkout", "price.ts");
    expectUserWorkIntact(dir);
  });

  test("a no-op change is discarded as noise, never kept", () => {
    const dir = preparedRepo();
    writeFileSync(join(dir, "price.ts"), `${slowPrice}// a comment changes nothing\n`);
    const run = xloop(["experiment", "price.ts#total", "--pattern", "hoisting", "-m", "comment", ...speed], { cwd: dir });
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/DISCARD — (noise|slower)/);
    expect(rows(dir).at(-1)![1]).toBe("discard");
    expect(readFileSync(join(dir, "price.ts"), "utf8")).toBe(slowPrice);
    expect(git(dir, "log", "--oneline").trim().split("\n")).toHaveLength(1);
    expectUserWorkIntact(dir);
  });

  test("a guard failure reverts and allows two reworks, then discards", () => {
    const dir = preparedRepo("grep -q GUARD-OK price.ts");
    const attempt = (extra: string[]) => {
      writeFileSync(join(dir, "price.ts"), fastPrice);
      return xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "set", ...extra, ...speed], { cwd: dir });
    };
    const first = attempt([]);
    expect(first.code).toBe(6);
    expect(first.stderr).toContain("Guard: grep -q GUARD-OK price.ts ... FAILED");
    expect(first.stderr).toContain("rework 1/2 allowed");
    expect(readFileSync(join(dir, "price.ts"), "utf8")).toBe(slowPrice);
    const second = attempt(["--rework"]);
    expect(second.stderr).toContain("rework 1/2");
    expect(second.stderr).toContain("rework 2/2 allowed");
    const third = attempt(["--rework"]);
    expect(third.code).toBe(6);
    expect(third.stderr).toContain("guard still failing after 2 reworks");
    const fourth = attempt(["--rework"]);
    expect(fourth.code).toBe(2);
    expect(fourth.stderr).toContain("nothing to rework");
    writeFileSync(join(dir, "price.ts"), slowPrice);
    const experimentNumbers = rows(dir).map((r) => r[0]);
    expect(experimentNumbers).toEqual(["1", "2", "2", "2"]);
    expect(existsSync(join(dir, ".codeflash/discarded/exp-2-rework2.patch"))).toBe(true);
    expectUserWorkIntact(dir);
  });

  test("a change the target does not import is refused as not exercised by the benchmark", () => {
    const dir = preparedRepo();
    const before = readFileSync(join(dir, ".codeflash/results.tsv"), "utf8");
    const run = xloop(["experiment", "price.ts#total", "--pattern", "algorithm", "-m", "y"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("the benchmark does not exercise this change");
    expect(readFileSync(join(dir, ".codeflash/results.tsv"), "utf8")).toBe(before);
    expectUserWorkIntact(dir);
  });

  test("an interrupted experiment leaves the tree and the record as they were", async () => {
    const dir = preparedRepo();
    writeFileSync(join(dir, "price.ts"), fastPrice);
    const record = readFileSync(join(dir, ".codeflash/results.tsv"), "utf8");
    const child = spawn(compiledBinary, ["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "set", "--max-time", "60", "--min-rounds", "200"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let stderr = "";
    await new Promise<void>((resolve) => {
      child.stderr.on("data", (d) => {
        stderr += d;
        if (stderr.includes("Benchmarking...")) resolve();
      });
    });
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code).toBe(130);
    expect(readFileSync(join(dir, "price.ts"), "utf8")).toBe(fastPrice);
    expect(readFileSync(join(dir, ".codeflash/results.tsv"), "utf8")).toBe(record);
    expect(readdirSync(join(dir, ".codeflash/discarded"))).toEqual([]);
    expectUserWorkIntact(dir);
  });

  test("outside a git repository, and without init, the errors say what to do", () => {
    const dir = makeLoopRepo();
    const noInit = xloop(["experiment", "price.ts#total", "--pattern", "algorithm", "-m", "y"], { cwd: dir });
    expect(noInit.code).toBe(2);
    expect(noInit.stderr).toContain("xloop init");
    const missingPattern = xloop(["experiment", "price.ts#total", "-m", "y"], { cwd: dir });
    expect(missingPattern.code).toBe(2);
    expect(missingPattern.stderr).toContain("--pattern");
  });

  test("with a bench suite, a KEEP is measured end to end and the figures recorded", () => {
    const dir = preparedRepo();
    commit(
      dir,
      {
        "bench/price.bench.ts":
          'import { total } from "../price.ts";\nimport { cases } from "../cases.ts";\nexport function totals() {\n  let s = 0;\n  for (const [order, catalog] of cases) s += total(order as any, catalog as any);\n  return s;\n}\n',
      },
      "bench suite",
    );
    writeFileSync(join(dir, "price.ts"), fastPrice);
    const run = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "set", ...speed], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\[experiment 2\] E2E: .* -> .* \(\d+\.\d+x geometric mean over 1 benchmark\)/);
    // The experiment's own A/B is then the micro-benchmark, as the design prints it.
    expect(run.stderr).toContain("[experiment 2] Micro-benchmarking... (on ");
    const last = rows(dir).at(-1)!;
    expect(last[1]).toBe("keep");
    expect(Number(last[20])).toBeLessThan(1);
    expect(git(dir, "worktree", "list").trim().split("\n")).toHaveLength(1);
  });

  test("when end to end contradicts the micro-benchmark, the KEEP is undone and recorded as a discard", () => {
    const dir = preparedRepo();
    // The suite exercises something the change does not touch: end to end sees no gain.
    const head = commit(dir, { "bench/other.bench.ts": "export function other() {\n  let s = 0;\n  for (let i = 0; i < 20000; i++) s = (s + i * 7) | 0;\n  return s;\n}\n" }, "unrelated bench");
    writeFileSync(join(dir, "price.ts"), fastPrice);
    const run = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "set", ...speed], { cwd: dir });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain("E2E:");
    expect(run.stderr).toContain("not confirmed end to end");
    expect(revParse(dir)).toBe(head);
    expect(readFileSync(join(dir, "price.ts"), "utf8")).toBe(slowPrice);
    expect(existsSync(join(dir, ".codeflash/discarded/exp-2.patch"))).toBe(true);
    expect(rows(dir).at(-1)![1]).toBe("discard");
    expectUserWorkIntact(dir);

    // Asserting a profiler-confirmed hot path keeps a micro-only gain above 20%.
    writeFileSync(join(dir, "price.ts"), fastPrice);
    const hot = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "set", "--hot-path", ...speed], { cwd: dir });
    expect(hot.code).toBe(0);
    expect(rows(dir).at(-1)![17]).toContain("micro-only");
  });

  test("a milestone measures the baseline commit against HEAD for its cumulative figure", () => {
    const dir = preparedRepo();
    writeFileSync(join(dir, "price.ts"), fastPrice);
    expect(xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "set", ...speed], { cwd: dir }).code).toBe(0);
    const milestone = xloop(["milestone", "--round-time", "0.1", "--slice", "1ms"], { cwd: dir });
    expect(milestone.code).toBe(0);
    expect(milestone.stdout).toMatch(/^\[milestone\] v1 — 1\/1 kept, cumulative \+\d+\.\d% on price\.ts#total \(measured: baseline [0-9a-f]{7} against HEAD\)/);
    expect(milestone.stderr).toContain("against the baseline (product of kept ratios:");
    expect(git(dir, "branch", "--list", "codeflash/milestone-v1").trim()).toContain("codeflash/milestone-v1");
    expect(git(dir, "worktree", "list").trim().split("\n")).toHaveLength(1);
  });

  test("init never overwrites without --force", () => {
    const dir = makeLoopRepo();
    expect(xloop(["init", "--guard", "npm test"], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, ".codeflash/conventions.md"), "utf8")).toContain("## Guard\n\n`npm test`");
    const again = xloop(["init", "--guard", "other"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("--force");
    expect(readFileSync(join(dir, ".codeflash/conventions.md"), "utf8")).toContain("`npm test`");
    expect(xloop(["init", "--guard", "other", "--force"], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, ".codeflash/conventions.md"), "utf8")).toContain("`other`");
    const guard = xloop(["guard"], { cwd: dir });
    expect(guard.code).toBe(8);
  });
});
