/**
 * Hostile paths and names: a repository and a target whose paths hold spaces, quotes,
 * `#`, unicode, `$(...)` and a leading dash; refs and targets that look like options or
 * shell; a guard with shell metacharacters. Each works or is refused with a reason, and
 * nothing runs that the user did not write (no marker file ever appears).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { git, initRepo, commitAll, removeTempFolders, tempFolder } from "../fixtures/git-repo.ts";
import { casesSource, fastPrice, slowPrice } from "../fixtures/loop-repo.ts";
import { xloop } from "../helpers.ts";
import { speed } from "./fault-driver.ts";

afterAll(removeTempFolders);

const SLOW = 180_000;

/**
 * Files named PWNED* anywhere under `dir`, or directly in the folders a shell would have
 * run in (the temporary folder, this process's): a command the user did not write ran.
 */
function injected(dir: string): string[] {
  const deep = readdirSync(dir, { recursive: true }).map(String);
  const shallow = [tmpdir(), process.cwd()].flatMap((d) => readdirSync(d));
  return [...deep, ...shallow].filter((f) => path.basename(f).startsWith("PWNED"));
}

describe("hostile paths and names", () => {
  const outer = tempFolder("xloop-hostile-");
  const repo = path.join(outer, `-my repo #1 "q" 'a' ü $(touch PWNED1) \`touch PWNED2\``);
  const target = `pr ice#1 ü $(touch PWNED3).ts`;

  test("a repository and a target with spaces, quotes, #, unicode, $() and a leading dash: baseline and a KEEP work, the message is committed as written", () => {
    mkdirSync(repo);
    initRepo(repo);
    writeFileSync(path.join(repo, target), slowPrice);
    writeFileSync(path.join(repo, "cases.ts"), casesSource);
    commitAll(repo, "initial");
    const guard = `echo "a;b" > "guard out.txt" && test -f '${target}' && echo $((1+1)) | grep -q 2`;
    expect(xloop(["init", "--guard", guard], { cwd: repo }).code).toBe(0);
    const baseline = xloop(["baseline", `./${target}#total`, "--cases", "cases.ts#cases", "--time", "0.2", "--rounds", "3", "--slice", "1ms"], { cwd: repo });
    expect(baseline.code).toBe(0);
    writeFileSync(path.join(repo, target), fastPrice);
    writeFileSync(path.join(repo, "untracked -n #.txt"), "mine\n");
    const message = "index it $(touch PWNED4) `touch PWNED5`; rm -rf / #";
    const run = xloop(["experiment", `./${target}#total`, "--pattern", "data-structure", "-m", message, ...speed], { cwd: repo });
    expect(run.stderr).toContain(`Guard: ${guard} ... passed`);
    expect(run.code).toBe(0);
    expect(git(repo, "log", "-1", "--format=%s").trim()).toBe(`cpu: ${message}`);
    expect(git(repo, "show", "--name-only", "--format=", "HEAD").trim()).toBe(`"pr ice#1 \\303\\274 $(touch PWNED3).ts"`);
    expect(readFileSync(path.join(repo, "untracked -n #.txt"), "utf8")).toBe("mine\n");
    // The guard ran in the temporary worktree, not in the user's tree.
    expect(existsSync(path.join(repo, "guard out.txt"))).toBe(false);
    expect(git(repo, "worktree", "list", "--porcelain").split("\n").filter((l) => l.startsWith("worktree "))).toHaveLength(1);
    expect(injected(outer)).toEqual([]);
  }, SLOW);

  test("a target path starting with a dash is refused with the ./ form, not read as options (-h was --help)", () => {
    copyFileSync(path.join(repo, target), path.join(repo, "-dash.ts"));
    const run = xloop(["bench", "-dash.ts#total", "--args", "[{\"lines\":[]},[]]"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('xloop: -dash.ts#total: a path starting with "-" reads as options; write it as ./-dash.ts#total\n');
  });

  test("refs that look like options or shell are refused before git or a shell sees them", () => {
    const cases: [string[], RegExp][] = [
      [["compare", "--", "-oops", "HEAD", "--script", "true"], /a revision never starts with "-"/],
      [["compare", "HEAD;touch PWNED6", "HEAD", "--script", "true"], /"HEAD;touch PWNED6" is not a commit in .*: give a branch, tag or commit hash/],
      [["compare", "HEAD", "HEAD $(touch PWNED7)", "--script", "true"], /"HEAD \$\(touch PWNED7\)" is not a commit in/],
      [["compare", "--upload-pack=touch PWNED8", "HEAD", "--script", "true"], /Unknown option `--uploadPack`/],
    ];
    for (const [args, line] of cases) {
      const run = xloop(args, { cwd: repo });
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(line)]);
    }
    expect(injected(outer)).toEqual([]);
  });

  test("git refuses a branch named like an option, so no xloop command can meet one", () => {
    expect(() => git(repo, "branch", "--", "--force")).toThrow(/not a valid branch name/);
  });
});
