/**
 * The experiment's keep/discard tree, branch by branch, through runExperiment on a real
 * git repository with real files, a real oracle and a real guard, but made-up worker
 * reports in place of timing (runAb's session seam): what each branch decides, what it
 * does to the repository, and the row it records. The real-timing suites
 * (experiment-cli, faults) show real reports reach the same branches.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SessionRunner } from "../src/ab/run-ab.ts";
import { initCommand } from "../src/commands/loop/setup.ts";
import { getDomain } from "../src/domains/domains.ts";
import { runExperiment, type ExperimentOutcome } from "../src/experiment/run-experiment.ts";
import { DEFAULT_MAX_BYTES } from "../src/oracle/encode.ts";
import { codeflashPaths } from "../src/project/codeflash-paths.ts";
import { readResults } from "../src/record/results-tsv.ts";
import { parseCases, parseTarget } from "../src/target/parse.ts";
import { git, removeTempFolders, shortRev } from "./fixtures/git-repo.ts";
import { fastPrice, makeLoopRepo, slowPrice, wrongPrice } from "./fixtures/loop-repo.ts";
import { madeUpAbSettings, madeUpSession } from "./fixtures/made-up-session.ts";

afterAll(removeTempFolders);

/** A loop repository after `xloop init` (with `guard` when given), price.ts changed to `change`. */
async function repoWithChange(change: string, guard?: string): Promise<string> {
  const repo = makeLoopRepo();
  const stderr = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await initCommand([], guard === undefined ? {} : { guard }, { cwd: repo, signal: new AbortController().signal, verbose: false });
  } finally {
    process.stderr.write = stderr;
  }
  writeFileSync(join(repo, "price.ts"), change);
  return repo;
}

/** Runs the experiment on price.ts#total with the made-up session; `log` collects its status lines. */
async function experiment(repo: string, session: SessionRunner, options: { rework?: boolean; fixedRounds?: number } = {}): Promise<{ outcome: ExperimentOutcome; log: string[] }> {
  const log: string[] = [];
  const signal = new AbortController().signal;
  const outcome = await runExperiment({
    cwd: repo,
    target: parseTarget("price.ts#total", repo),
    cases: parseCases({ cases: "cases.ts#cases" }, repo),
    pattern: "data-structure",
    description: "index catalog in a set",
    domain: getDomain("cpu"),
    ab: { ...madeUpAbSettings, stopRule: "keep", fixedRounds: options.fixedRounds },
    capture: { maxBytes: DEFAULT_MAX_BYTES, captureStdout: false, timeoutMs: 10_000, maxMemoryMb: 4096, signal },
    hotPath: false,
    rework: options.rework ?? false,
    force: false,
    signal,
    log: (line) => log.push(line),
    session,
    escalation: async () => [],
  });
  return { outcome, log };
}

/** The record's rows as read back from results.tsv. */
function recorded(repo: string) {
  return readResults(codeflashPaths(repo).results).rows;
}

/** A session that must not run: outputs that differ decide before any benchmark. */
const noSession: SessionRunner = async () => {
  throw new Error("the benchmark ran");
};

describe("a faster change", () => {
  test("10% faster with the guard passing is kept: exactly its file committed, and a keep row with its ratio, the guard's pass and the gain", async () => {
    const repo = await repoWithChange(fastPrice, "true");
    writeFileSync(join(repo, "unrelated.ts"), "export const untouched = 2;\n");
    const { outcome } = await experiment(repo, madeUpSession(1000, 0.9, 0.01));
    expect(outcome.decision).toEqual({ action: "keep", reason: expect.stringMatching(/^\d+\.\d% faster$/) });
    expect(outcome.guard).toMatchObject({ passed: true, exitCode: 0 });
    expect(outcome.commit).toBe(shortRev(repo));
    expect(git(repo, "show", "--name-only", "--format=%s", "HEAD").trim().split("\n")).toEqual(["cpu: index catalog in a set", "", "price.ts"]);
    expect(git(repo, "status", "--porcelain", "--", "unrelated.ts").trim()).toBe("M unrelated.ts");
    const [row] = recorded(repo);
    expect(row).toMatchObject({ experiment: 1, status: "keep", target: "price.ts#total", guard: "guard_pass", commit: outcome.commit, files: "price.ts", reason: outcome.decision.reason });
    expect(Number(row!.ratio)).toBeCloseTo(0.9, 2);
    expect(row!.improvement).toMatch(/^\+(9\.\d|10\.\d)%$/);
    expect(row!.before).toMatch(/^1\.\d+µs±/);
  });

  test("a gain beyond the noise but under the 5% keep threshold is kept, the reason saying the interval confirmed it", async () => {
    const repo = await repoWithChange(fastPrice, "true");
    const { outcome } = await experiment(repo, madeUpSession(1000, 0.97, 0.002));
    expect(outcome.decision.action).toBe("keep");
    expect(outcome.decision.reason).toMatch(/^\d\.\d% faster \(below the 5\.0% keep threshold, confirmed beyond noise by the interval\)$/);
    expect(recorded(repo)[0]).toMatchObject({ status: "keep", guard: "guard_pass" });
  });

  test("with no guard configured it is kept, the log says where the guard would have run, and the row holds no guard", async () => {
    const repo = await repoWithChange(fastPrice);
    const { outcome, log } = await experiment(repo, madeUpSession(1000, 0.9, 0.01));
    expect(outcome.decision.action).toBe("keep");
    expect(outcome.guard).toBeNull();
    expect(log.some((line) => line.includes("Guard: none —") && line.includes("no ## Guard section"))).toBe(true);
    expect(recorded(repo)[0]).toMatchObject({ status: "keep", guard: "-" });
  });

  test("a guard that fails discards it with two reworks, counted from the record, then refuses a fourth attempt", async () => {
    const repo = await repoWithChange(fastPrice, "false");
    const reasons: string[] = [];
    for (const rework of [false, true, true]) {
      if (rework) writeFileSync(join(repo, "price.ts"), fastPrice);
      const { outcome } = await experiment(repo, madeUpSession(1000, 0.9, 0.01), { rework });
      expect(outcome.guard).toMatchObject({ passed: false, exitCode: 1 });
      expect(readFileSync(join(repo, "price.ts"), "utf8")).toBe(slowPrice);
      reasons.push(outcome.decision.reason);
    }
    expect(reasons).toEqual([
      "guard failed: reverted; rework 1/2 allowed (fix the implementation, never the guard, then rerun with --rework)",
      "guard failed: reverted; rework 2/2 allowed (fix the implementation, never the guard, then rerun with --rework)",
      "guard still failing after 2 reworks",
    ]);
    expect(recorded(repo).map((r) => [r.experiment, r.status, r.guard])).toEqual([
      [1, "discard", "guard_fail"],
      [1, "discard", "guard_fail"],
      [1, "discard", "guard_fail"],
    ]);
    const discarded = codeflashPaths(repo).discarded;
    expect(["exp-1.patch", "exp-1-rework1.patch", "exp-1-rework2.patch"].map((f) => existsSync(join(discarded, f)))).toEqual([true, true, true]);
    writeFileSync(join(repo, "price.ts"), fastPrice);
    await expect(experiment(repo, madeUpSession(1000, 0.9, 0.01), { rework: true })).rejects.toThrow("used its 2 reworks");
  });

  test("a guard failure written by hand in the status column counts as a used rework", async () => {
    const repo = await repoWithChange(fastPrice, "false");
    const results = codeflashPaths(repo).results;
    writeFileSync(results, `${readFileSync(results, "utf8")}1\tdiscard guard_fail\tdata-structure\tprice.ts#total\t-\t-\t-\t-\t-\n`);
    const { outcome } = await experiment(repo, madeUpSession(1000, 0.9, 0.01), { rework: true });
    expect(outcome.experiment).toBe(1);
    expect(outcome.decision.reason).toStartWith("guard failed: reverted; rework 2/2 allowed");
  });
});

describe("a change that is not faster", () => {
  test("one within the noise is discarded as noise: the file restored, the change saved as a patch, no guard run", async () => {
    const repo = await repoWithChange(fastPrice, "true");
    const { outcome } = await experiment(repo, madeUpSession(1000, 1, 0.002));
    expect(outcome.decision.action).toBe("discard");
    expect(outcome.decision.reason).toStartWith("noise: ");
    expect(outcome.guard).toBeNull();
    expect(readFileSync(join(repo, "price.ts"), "utf8")).toBe(slowPrice);
    // The saved change applies again to the restored file (git throws when it does not).
    git(repo, "apply", "--check", outcome.patch!);
    expect(readFileSync(outcome.patch!, "utf8")).toContain("new Set(catalog)");
    expect(recorded(repo)[0]).toMatchObject({ status: "discard", guard: "-", commit: "-", reason: outcome.decision.reason });
  });

  test("one 5% slower is discarded as slower, with its ratio and interval in the reason", async () => {
    const repo = await repoWithChange(fastPrice, "true");
    const { outcome } = await experiment(repo, madeUpSession(1000, 1.05, 0.01));
    expect(outcome.decision.reason).toMatch(/^slower: ratio 1\.0[45]\d \[1\.\d{3}, 1\.\d{3}\]$/);
    const [row] = recorded(repo);
    expect(row).toMatchObject({ status: "discard", guard: "-" });
    expect(row!.improvement).toMatch(/^-[45]\.\d%$/);
  });

  test("an undecided comparison whose interval reaches below the threshold is discarded: the gain could not be confirmed", async () => {
    const repo = await repoWithChange(fastPrice, "true");
    const { outcome } = await experiment(repo, madeUpSession(1000, 0.99, 0.01, 0.03), { fixedRounds: 12 });
    expect(outcome.benchmark?.verdict).toBe("inconclusive");
    expect(outcome.decision.reason).toStartWith("noise: the gain could not be confirmed beyond ±1.0% in the time allowed");
    expect(recorded(repo)[0]).toMatchObject({ status: "discard" });
  });

  test("an undecided comparison whose interval rules out a gain is discarded as noise, saying so", async () => {
    const repo = await repoWithChange(fastPrice, "true");
    const { outcome } = await experiment(repo, madeUpSession(1000, 1.01, 0.01, 0.03));
    expect(outcome.benchmark?.verdict).toBe("inconclusive");
    expect(outcome.decision.reason).toStartWith("noise: the interval rules out a gain beyond 1.0%");
  });
});

describe("a change that fails before it is compared", () => {
  test("outputs that differ from the original are discarded before any benchmark, and the row holds no figures", async () => {
    const repo = await repoWithChange(wrongPrice, "true");
    const { outcome } = await experiment(repo, noSession);
    expect(outcome.decision.reason).toStartWith("output differs from the original (correctness regression): case ");
    expect(outcome.benchmark).toBeNull();
    expect(readFileSync(join(repo, "price.ts"), "utf8")).toBe(slowPrice);
    expect(recorded(repo)[0]).toMatchObject({ status: "discard", before: "-", after: "-", ratio: "-", guard: "-" });
  });

  test("a head that throws while measured is discarded with the crash as the reason", async () => {
    const repo = await repoWithChange(fastPrice, "true");
    const { outcome } = await experiment(repo, madeUpSession(1000, 0.9, 0.01, 0, { slot: 1, kind: "threw" }));
    expect(outcome.decision.reason).toBe("the target crashed: price.ts#total: made-up threw");
    expect(recorded(repo)[0]).toMatchObject({ status: "discard", before: "-", after: "-", ratio: "-", guard: "-" });
  });
});
