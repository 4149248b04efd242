/**
 * Targets that misbehave while measured: they write into the working tree, delete a
 * file of the user's, leave a timer running, print megabytes. The experiment still
 * reaches the right decision (the fast change is kept, exactly its file committed) and
 * every other file of the user's is as it was; one that changes its working folder is
 * refused with the reason.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { git, removeTempFolders } from "../fixtures/git-repo.ts";
import { casesSource, fastPrice, slowPrice } from "../fixtures/loop-repo.ts";
import { spawnSync } from "node:child_process";
import { compiledBinary, xloop } from "../helpers.ts";
import { repoWith } from "../fixtures/git-repo.ts";
import { speed, stateOf } from "./fault-driver.ts";

afterAll(removeTempFolders);

const SLOW = 180_000;

/** Each misbehaviour: code put at the top of the module and at the start of each call. */
const misbehaviours: Record<string, { top: string; call: string }> = {
  // Every 500th call: writing on every call made both sides mostly file I/O, hiding the speed-up the KEEP needs.
  "writes a file into the working tree while it runs": { top: 'import { writeFileSync as __w } from "node:fs"; let __n = 0;', call: 'if (__n++ % 500 === 0) __w("side-effect.txt", String(Math.random()));' },
  "deletes a file of the user's": { top: 'import { rmSync as __rm } from "node:fs";', call: '__rm("unrelated.ts", { force: true });' },
  "leaves a timer and an open handle behind": { top: 'setInterval(() => {}, 1000); import { createServer as __s } from "node:net"; __s().listen(0);', call: "" },
  "prints megabytes when loaded": { top: 'process.stdout.write("x".repeat(1 << 20)); console.error("e".repeat(1 << 18));', call: "" },
};

/** Runs the binary keeping all of its output, however large (the helper's buffer is not). */
function big(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(compiledBinary, args, { cwd, encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: "1" } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function withMisbehaviour(source: string, m: { top: string; call: string }): string {
  return `${m.top}\n${source.replace(/(export function total\([^)]*\) \{)/, `$1\n  ${m.call}`)}`;
}

describe("targets that misbehave", () => {
  test.each(Object.keys(misbehaviours))(
    "a target that %s is still kept for its speed, and the user's tree is as it was",
    (name) => {
      const m = misbehaviours[name]!;
      const dir = repoWith({ "price.ts": withMisbehaviour(slowPrice, m), "cases.ts": casesSource, "unrelated.ts": "export const untouched = 1;\n" });
      expect(xloop(["init", "--guard", "true"], { cwd: dir }).code).toBe(0);
      const baseline = big(["baseline", "price.ts#total", "--cases", "cases.ts#cases", "--time", "0.2", "--rounds", "3", "--slice", "1ms"], dir);
      expect(baseline.code).toBe(0);
      // What the baseline's runs did to the tree is not the point here: start from the user's state.
      rmSync(path.join(dir, "side-effect.txt"), { force: true });
      git(dir, "checkout", "--", "unrelated.ts");
      writeFileSync(path.join(dir, "notes.txt"), "my notes\n");
      writeFileSync(path.join(dir, "unrelated.ts"), "export const untouched = 2;\n");
      writeFileSync(path.join(dir, "price.ts"), withMisbehaviour(fastPrice, m));
      const before = stateOf(dir);
      // Its prints go to stderr: stdout holds the JSON document alone, however much it printed.
      const run = big(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "index catalog in a set", "--json", ...speed], dir);
      expect(run.stderr).toMatch(/KEEP {2}\(commit [0-9a-f]{7}\)/);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).decision.action).toBe("keep");
      expect(git(dir, "show", "--name-only", "--format=", "HEAD").trim()).toBe("price.ts");
      const after = stateOf(dir);
      expect(after.userFiles).toEqual(before.userFiles);
      expect(readFileSync(path.join(dir, "unrelated.ts"), "utf8")).toBe("export const untouched = 2;\n");
      expect(after.worktrees.split("\n").filter((l) => l.startsWith("worktree "))).toHaveLength(1);
    },
    SLOW,
  );
});

test("a target that changes process.cwd() is refused with the reason (workers have no chdir), before anything is recorded", () => {
  const source = slowPrice.replace("let sum = 0;", 'process.chdir("/");\n  let sum = 0;');
  const dir = repoWith({ "price.ts": source, "cases.ts": casesSource });
  expect(xloop(["init"], { cwd: dir }).code).toBe(0);
  const run = xloop(["baseline", "price.ts#total", "--cases", "cases.ts#cases", "--time", "0.2", "--rounds", "3", "--slice", "1ms"], { cwd: dir });
  expect(run.code).toBe(3);
  expect(run.stderr).toContain("xloop: price.ts#total: threw TypeError: process.chdir() is not supported in workers on the first call");
  expect(readFileSync(path.join(dir, ".codeflash/results.tsv"), "utf8").trim().split("\n")).toHaveLength(1);
}, SLOW);
