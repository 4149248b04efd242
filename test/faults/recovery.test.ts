/**
 * After a kill, the next xloop notices (status, recover, the next experiment), and two
 * runs at once in one repository: experiments are refused while one runs, comparisons
 * run side by side in worktrees of their own.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { git, removeTempFolders, worktrees } from "../fixtures/git-repo.ts";
import { fastPrice } from "../fixtures/loop-repo.ts";
import { compiledBinary, xloop } from "../helpers.ts";
import { alive, commandFor, freshRepo, leftoverWorktreeFolders, runToFault, stateOf, waitGone } from "./fault-driver.ts";

afterAll(removeTempFolders);

const SLOW = 180_000;

function recordRows(dir: string): string[] {
  return readFileSync(path.join(dir, ".codeflash/results.tsv"), "utf8").trim().split("\n").slice(1);
}

/** Starts xloop paused at `phase` and resolves with the process and the paused pid once it is there. */
function startPaused(args: string[], cwd: string, phase: string): Promise<{ child: ReturnType<typeof spawn>; pid: number; exited: Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(compiledBinary, args, { cwd, env: { ...process.env, NO_COLOR: "1", XLOOP_FAULT_AT: phase }, stdio: ["ignore", "ignore", "pipe"] });
    const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const match = /paused at \S+ \(pid (\d+)\)/.exec(stderr);
      if (match) resolve({ child, pid: Number(match[1]), exited });
    });
    void exited.then((code) => reject(new Error(`exited (${code}) before ${phase}: ${stderr}`)));
  });
}

describe("after a SIGKILL", () => {
  test("the next experiment takes back the unrecorded commit, says so, and runs the experiment again to a KEEP", async () => {
    const dir = freshRepo("keep");
    const before = stateOf(dir);
    const run = await runToFault(commandFor("keep"), dir, "record", "SIGKILL");
    expect(await waitGone(run.pausedPid!)).toBe(true);
    // Killed between the commit and the record: HEAD moved, the row is missing.
    expect(git(dir, "rev-parse", "HEAD").trim()).not.toBe(before.head);
    const next = xloop(commandFor("keep"), { cwd: dir });
    expect(next.stderr).toContain("xloop: an experiment was killed before it finished: experiment 2 on price.ts#total");
    expect(next.stderr).toMatch(/took back the commit [0-9a-f]{7} it made \(not recorded\)/);
    expect(next.code).toBe(0);
    expect(git(dir, "rev-list", "--count", `${before.head}..HEAD`).trim()).toBe("1");
    expect(recordRows(dir).map((r) => r.split("\t").slice(0, 2).join(" "))).toEqual(["1 baseline", "2 keep"]);
    expect(existsSync(path.join(dir, ".codeflash/journal.json"))).toBe(false);
    expect(leftoverWorktreeFolders(dir)).toEqual([]);
  }, SLOW);

  test("status reports the killed experiment in JSON and recover puts it back, leaving a file the user edited since alone", async () => {
    const dir = freshRepo("keep");
    const before = stateOf(dir);
    const run = await runToFault(commandFor("keep"), dir, "record", "SIGKILL");
    expect(await waitGone(run.pausedPid!)).toBe(true);
    const status = JSON.parse(xloop(["status", "--json"], { cwd: dir }).stdout);
    expect(status.interruption).toMatchObject({ state: "killed", experiment: 2, pid: run.pausedPid });
    expect(status.interruption.orphanWorktrees).toHaveLength(1);
    // The user went on editing the changed file after the kill: that edit is theirs.
    const edited = `${fastPrice}// more work\n`;
    writeFileSync(path.join(dir, "price.ts"), edited);
    const recover = JSON.parse(xloop(["recover", "--json"], { cwd: dir }).stdout);
    expect(recover.recovered).toBe(true);
    expect(recover.lines.join("\n")).toContain("left price.ts alone: it was edited after the experiment stopped");
    expect(readFileSync(path.join(dir, "price.ts"), "utf8")).toBe(edited);
    expect(git(dir, "rev-parse", "HEAD").trim()).toBe(before.head);
    expect(stateOf(dir).index).toBe(before.index);
    expect(xloop(["recover"], { cwd: dir }).stdout).toStartWith("Nothing to recover in ");
  }, SLOW);

  test("after commits on top of the experiment's own, recover leaves the commits, files and staging alone and says so", async () => {
    const dir = freshRepo("keep");
    const run = await runToFault(commandFor("keep"), dir, "record", "SIGKILL");
    expect(await waitGone(run.pausedPid!)).toBe(true);
    const kept = git(dir, "rev-parse", "HEAD").trim();
    git(dir, "commit", "--quiet", "--allow-empty", "-m", "the user's next commit");
    const before = stateOf(dir);
    const recover = xloop(["recover"], { cwd: dir });
    expect(recover.code).toBe(0);
    expect(recover.stdout).toContain(`left the commit ${kept.slice(0, 7)} and the files alone: HEAD has moved since`);
    const after = stateOf(dir);
    expect({ ...after, worktrees: "" }).toEqual({ ...before, loopFiles: after.loopFiles, worktrees: "" });
    expect(existsSync(path.join(dir, ".codeflash/journal.json"))).toBe(false);
    expect(leftoverWorktreeFolders(dir)).toEqual([]);
  }, SLOW);

  test("killing the process the user started stops its hosted child, which puts everything back itself", async () => {
    const dir = freshRepo("discard");
    const before = stateOf(dir);
    const { child, pid, exited } = await startPaused(commandFor("discard"), dir, "restore");
    // The experiment runs on Node in a child of the binary: the pid that paused is not the one started.
    expect(pid).not.toBe(child.pid);
    child.kill("SIGKILL");
    await exited;
    expect(await waitGone(pid)).toBe(true);
    expect(stateOf(dir)).toEqual(before);
    expect(leftoverWorktreeFolders(dir)).toEqual([]);
  }, SLOW);
});

describe("two at once", () => {
  test("a second experiment in the same repository is refused with one line naming the running one, and changes nothing", async () => {
    const dir = freshRepo("keep");
    const before = stateOf(dir);
    const first = await startPaused(commandFor("keep"), dir, "benchmark");
    const during = stateOf(dir);
    const second = xloop(commandFor("keep"), { cwd: dir });
    expect(second.code).toBe(10);
    expect(second.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^xloop: another experiment is running in .*: experiment 2 on price.ts#total \\(pid ${first.pid}, started .*\\); wait for it to finish, one experiment at a time per repository$`)),
    ]);
    expect(stateOf(dir)).toEqual(during);
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(130);
    expect(stateOf(dir)).toEqual(before);
  }, SLOW);

  test("two comparisons run side by side in four worktrees of their own and leave none behind", async () => {
    const dir = freshRepo("compare");
    const before = stateOf(dir);
    const a = await startPaused(commandFor("compare"), dir, "run");
    const b = await startPaused(commandFor("compare"), dir, "run");
    const trees = worktrees(dir).slice(1);
    expect(trees).toHaveLength(4);
    expect(new Set(trees).size).toBe(4);
    a.child.kill("SIGTERM");
    b.child.kill("SIGINT");
    expect([await a.exited, await b.exited]).toEqual([130, 130]);
    expect(stateOf(dir)).toEqual(before);
    // And unpaused, both finish.
    const runs = [0, 1].map(
      () =>
        new Promise<number | null>((done) => {
          const child = spawn(compiledBinary, commandFor("compare"), { cwd: dir, stdio: "ignore" });
          child.on("close", done);
        }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0]);
    expect(stateOf(dir)).toEqual(before);
    expect(alive(a.pid) || alive(b.pid)).toBe(false);
  }, SLOW);
});
