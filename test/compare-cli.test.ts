import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { git, removeTempFolders, repoWith, revParse, shortRev, worktrees, write } from "./fixtures/git-repo.ts";
import { compiledBinary, xloop, type CliRun } from "./helpers.ts";
import { sumSource } from "./fixtures/sum-kernel.ts";

// Real repositories in temporary folders, measured by the compiled binary (XLOOP_BIN).
/** Tests that measure get more than bun's default 5 s: a busy shared machine slows them. */
const SLOW = 120_000;
afterAll(removeTempFolders);


/**
 * Base: the slow sum, a bench file for it, and a module with a syntax error that a
 * second bench file imports. Head: the fast sum, the module fixed, and a bench file
 * base does not have.
 */
function suiteRepo(): string {
  return repoWith(
    {
      "src/sum.ts": sumSource(false),
      "bench/sum.bench.ts": 'import { total } from "../src/sum.ts";\nexport function sum() { return total(); }\nexport function withSize(n: number) { return n; }\n',
      "src/broken.ts": "export const broken = (;\n",
      "bench/broken.bench.ts": 'import { broken } from "../src/broken.ts";\nexport default { brokenBench: () => broken() };\n',
    },
    {
      "src/sum.ts": sumSource(true),
      "src/broken.ts": "export const broken = () => 42;\n",
      "bench/added.bench.ts": 'import { total } from "../src/sum.ts";\nexport default { added: () => total() };\n',
    },
  );
}

describe("xloop compare, suite mode", () => {
  let repo: string;
  let json: CliRun;
  let doc: any;
  beforeAll(() => {
    repo = suiteRepo();
    // The user's own uncommitted work, which compare must leave exactly as it is.
    write(repo, "notes.txt", "untracked\n");
    write(repo, "src/sum.ts", `${sumSource(true)}// editing\n`);
    git(repo, "add", "src/sum.ts");
    write(repo, "src/sum.ts", `${sumSource(true)}// editing more\n`);
    json = xloop(["compare", "HEAD~1", "HEAD", "--max-time", "5", "--json"], { cwd: repo });
    doc = JSON.parse(json.stdout);
  }, SLOW);

  const benchmark = (id: string) => doc.benchmarks.find((b: { id: string }) => b.id === id);

  test("a function made twice as fast is judged faster, with a speedup of about 2 to 3 and its interval above 1", () => {
    const sum = benchmark("bench/sum.bench.ts#sum");
    expect(sum.verdict).toBe("faster");
    expect(sum.speedup).toBeGreaterThan(1.4);
    // Half the loop work, but the fast side's lone pass(1) can compile better than the
    // slow side's pair: measured 2.4–2.9 in four runs during the host's spells, once 3.08
    // in CI. Below 4 still rejects a speedup the change cannot explain.
    expect(sum.speedup).toBeLessThan(4);
    expect(sum.speedup_ci[0]).toBeGreaterThan(1);
    expect(sum.base_source).toBe("base");
    expect(sum.ab.base.ok && sum.ab.head.ok).toBe(true);
    expect(sum.ratio).toBeCloseTo(1 / sum.speedup, 6);
  });

  test("functions that take parameters are not benchmarks", () => {
    expect(benchmark("bench/sum.bench.ts#withSize")).toBeUndefined();
  });

  test("a bench file only head has runs from head's copy on both sides, and the report says so", () => {
    const added = benchmark("bench/added.bench.ts#added");
    expect(added.base_source).toBe("head-copy");
    expect(added.verdict).toBe("faster");
    expect(doc.notes.join("\n")).toContain(`bench/added.bench.ts is not in base ${shortRev(repo, "HEAD~1")}: head's copy is used for both sides`);
  });

  test("a revision that fails to import marks its benchmark failed and names it, the others still run, and the exit code is 3", () => {
    expect(json.code).toBe(3);
    const broken = benchmark("bench/broken.bench.ts#brokenBench");
    expect(broken.failure.side).toBe("base");
    expect(broken.failure.message).toContain(`(base ${shortRev(repo, "HEAD~1")})`);
    expect(broken.failure.message).toContain("failed to import");
    expect(json.stderr).toContain("bench/broken.bench.ts#brokenBench");
    expect(doc.failed).toBe(true);
    expect(doc.overall.benchmarks).toBe(2);
    expect(doc.overall.speedup).toBeGreaterThan(1.4);
  });

  test("the JSON names both revisions and keeps the full ab result of each benchmark", () => {
    expect(doc.command).toBe("compare");
    expect(doc.mode).toBe("suite");
    expect(doc.base).toEqual({ ref: "HEAD~1", commit: revParse(repo, "HEAD~1"), short: shortRev(repo, "HEAD~1") });
    expect(doc.head.short).toBe(shortRev(repo, "HEAD"));
    const sum = benchmark("bench/sum.bench.ts#sum");
    expect(sum.ab.rounds).toBeGreaterThanOrEqual(6);
    expect(sum.ab.round_ratios.length).toBe(sum.ab.rounds);
    expect(doc.wall_ms).toBeGreaterThanOrEqual(doc.measure_ms);
  });

  test("the user's working tree, index and branch are untouched and only the main worktree remains", () => {
    expect(git(repo, "symbolic-ref", "--short", "HEAD").trim()).toBe("main");
    expect(git(repo, "status", "--porcelain")).toBe("MM src/sum.ts\n?? notes.txt\n");
    expect(readFileSync(path.join(repo, "src/sum.ts"), "utf8")).toEndWith("// editing more\n");
    expect(worktrees(repo)).toEqual([repo]);
  });

  test("--md -o writes markdown whose heading names both short commits, with the pull-request table and a Speedup row", () => {
    // No refs: on main, the default base is HEAD~1.
    // On Node (the default in a project without Bun files) fresh workers start slower than on Bun: 15 s allows ab's ten pairs.
    const run = xloop(["compare", "--filter", "sum\\.bench", "--max-time", "15", "--md", "-o", "report.md"], { cwd: repo });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("wrote report.md");
    const md = readFileSync(path.join(repo, "report.md"), "utf8");
    const [base, head] = [shortRev(repo, "HEAD~1"), shortRev(repo, "HEAD")];
    const lines = md.split("\n");
    expect(lines[0]).toBe(`## xloop compare: base \`${base}\` → head \`${head}\``);
    expect(md).toContain(`Base: ${base} (HEAD~1), head: ${head} (HEAD).`);
    const table = lines.indexOf("| | Min | Median | Mean | OPS | Rounds |");
    expect(lines[table - 2]).toBe("### `bench/sum.bench.ts#sum`");
    expect(lines[table + 1]).toBe("| --- | ---: | ---: | ---: | ---: | ---: |");
    expect(lines[table + 2]).toMatch(new RegExp(`^\\| base \`${base}\` \\| [\\d.]+ [nµm]?s \\| .+ \\| \\d+ \\|$`));
    expect(lines[table + 3]).toMatch(new RegExp(`^\\| head \`${head}\` \\| `));
    expect(lines[table + 4]).toMatch(/^\| \*\*Speedup\*\* \| [\d.]+x \| [\d.]+x \[[\d.]+, [\d.]+\] \| [\d.]+x \| [\d.]+x \| faster \|$/);
    expect(md).toMatch(/\*\*Overall: [\d.]+x \(geometric-mean speedup of 1 benchmark: 1 faster\)\*\*/);
    expect(md).not.toContain("broken");
    expect(worktrees(repo)).toEqual([repo]);
  }, SLOW);

  test("the text report shows the failed import on its own line under a heading naming both revisions", () => {
    const run = xloop(["compare", "HEAD~1", "HEAD", "--filter", "broken"], { cwd: repo });
    expect(run.code).toBe(3);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(`xloop compare: base ${shortRev(repo, "HEAD~1")} (HEAD~1) -> head ${shortRev(repo, "HEAD")} (HEAD)`);
    expect(run.stdout).toMatch(/\nbench\/broken\.bench\.ts#brokenBench\nfailed: bench\/broken\.bench\.ts \(base \w+\): .*failed to import/);
    expect(run.stdout).toContain("Overall: no benchmark could be compared; 1 failed");
  });

  test("a --filter that matches nothing lists the benchmarks there are", () => {
    const run = xloop(["compare", "HEAD~1", "HEAD", "--filter", "nothing-like-this"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("bench/sum.bench.ts#sum");
    expect(worktrees(repo)).toEqual([repo]);
  });
});

describe("xloop compare, revisions and options", () => {
  let repo: string;
  beforeAll(() => {
    repo = repoWith({ "src/a.ts": "export const a = 1;\n" }, { "src/a.ts": "export const a = 2;\n" });
  });

  test("a ref that is not a commit is refused before anything is checked out", () => {
    const run = xloop(["compare", "no-such-branch", "HEAD"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"no-such-branch" is not a commit');
    expect(worktrees(repo)).toEqual([repo]);
  });

  test("a revision after -- (where options cannot hide it) is refused as an option-like ref", () => {
    const run = xloop(["compare", "--", "--orphan=x", "HEAD"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('a revision never starts with "-"');
    expect(worktrees(repo)).toEqual([repo]);
  });

  test("a project without a bench suite is told how to add one or to use --script", () => {
    const run = xloop(["compare"], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no bench suite in head");
    expect(run.stderr).toContain("bench/**/*.bench.{ts,js,mjs}");
    expect(run.stderr).toContain("--script");
    expect(worktrees(repo)).toEqual([repo]);
  });

  test("whole-process options without --script, and suite options with it, are refused", () => {
    const runs = xloop(["compare", "--runs", "3"], { cwd: repo });
    expect(runs.code).toBe(2);
    expect(runs.stderr).toContain("--runs applies to whole-process mode");
    const filter = xloop(["compare", "--script", "true", "--filter", "x"], { cwd: repo });
    expect(filter.code).toBe(2);
    const both = xloop(["compare", "--script", "true", "--md", "--json"], { cwd: repo });
    expect(both.code).toBe(2);
    const one = xloop(["compare", "--script", "true", "--runs", "1"], { cwd: repo });
    expect(one.code).toBe(2);
    expect(one.stderr).toContain("--runs: must be at least 2");
  });
});

/** A script doing `busyMs` of computation and `sleepMs` of waiting, refusing to run unless prepared. */
const workScript = (busyMs: number, sleepMs: number) => `const fs = require("fs");
if (!fs.existsSync("prepared")) { console.error("not prepared"); process.exit(9); }
fs.unlinkSync("prepared");
const end = Date.now() + ${busyMs};
let x = 0;
while (Date.now() < end) x++;
setTimeout(() => {}, ${sleepMs});
`;

describe("xloop compare --script (whole-process mode)", () => {
  let repo: string;
  beforeAll(() => {
    repo = repoWith({ "work.js": workScript(120, 40) }, { "work.js": workScript(40, 10) });
  });

  test("the faster script is judged faster, with wall, user, system and peak memory per side, prepare running before every run", () => {
    const run = xloop(["compare", "HEAD~1", "HEAD", "--script", "node work.js", "--prepare", "touch prepared", "--runs", "5", "--json"], { cwd: repo });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.mode).toBe("script");
    expect(doc.script).toBe("node work.js");
    expect(doc.verdict).toBe("faster");
    expect(doc.speedup).toBeGreaterThan(1.5);
    expect(doc.speedup_ci[0]).toBeGreaterThan(1);
    expect(doc.pair_ratios).toHaveLength(5);
    expect(doc.runs.base).toHaveLength(5);
    expect(doc.runs.head).toHaveLength(5);
    // The compiled binary is Bun: exact figures from wait4.
    expect(doc.usage).toEqual({ cpu: "wait4", memory: "wait4" });
    for (const side of [doc.stats.base, doc.stats.head]) {
      expect(side.wall.median).toBeGreaterThan(0);
      expect(side.userMs).toBeGreaterThan(0);
      expect(side.systemMs).toBeGreaterThanOrEqual(0);
      expect(side.maxRssBytes).toBeGreaterThan(10 * 2 ** 20);
    }
    expect(doc.stats.base.wall.median).toBeGreaterThan(doc.stats.head.wall.median);
    expect(doc.stats.base.userMs).toBeGreaterThan(doc.stats.head.userMs);
    expect(worktrees(repo)).toEqual([repo]);
    expect(git(repo, "status", "--porcelain")).toBe("");
  }, SLOW);

  test("the markdown report has one row per side and a Speedup row with the interval and verdict", () => {
    const run = xloop(["compare", "--script", "node work.js", "--prepare", "touch prepared", "--runs", "2", "--warmup", "0", "--md"], { cwd: repo });
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(`## xloop compare: base \`${shortRev(repo, "HEAD~1")}\` → head \`${shortRev(repo, "HEAD")}\``);
    const table = lines.indexOf("| | Wall (mean ± σ) | Min | Median | User | System | Peak memory | Runs |");
    expect(table).toBeGreaterThan(0);
    expect(lines[table + 2]).toStartWith(`| base \`${shortRev(repo, "HEAD~1")}\` | `);
    expect(lines[table + 3]).toStartWith(`| head \`${shortRev(repo, "HEAD")}\` | `);
    expect(lines[table + 4]).toMatch(/^\| \*\*Speedup\*\* \| .* \| [\d.]+x \[[\d.]+, [\d.]+\] \| .* \| (faster|same|slower|inconclusive) \|$/);
  }, SLOW);

  test("a command failing on one side is reported with its exit code and output tail, and the comparison stops cleanly", () => {
    const failing = repoWith({ "run.js": "console.log('fine');\n" }, { "run.js": "console.log('starting');\nconsole.error('boom: no config');\nprocess.exit(3);\n" });
    const run = xloop(["compare", "--script", "node run.js", "--runs", "3"], { cwd: failing });
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`failed: head ${shortRev(failing, "HEAD")}: \`node run.js\` exited with code 3 (warm-up 1); the comparison stopped`);
    expect(run.stdout).toContain("  starting\n  boom: no config");
    expect(run.stdout).not.toContain("Speedup");
    expect(worktrees(failing)).toEqual([failing]);
  }, SLOW);
});

/** Runs the compiled binary in the background; resolves with its exit code. */
function background(args: string[], cwd: string) {
  const child = spawn(compiledBinary, args, { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited };
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await Bun.sleep(100);
  }
}

function processesMatching(marker: string): boolean {
  try {
    execFileSync("pgrep", ["-f", marker], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("xloop compare after an interrupt", () => {
  test("SIGINT during a suite comparison removes both worktrees and exits 130", async () => {
    const repo = suiteRepo();
    // Head against itself with a threshold no interval can fit in: still running when interrupted.
    const run = background(["compare", "HEAD", "HEAD", "--filter", "sum", "--max-time", "60", "--threshold", "0.00001"], repo);
    await waitFor(() => worktrees(repo).length === 3);
    const checkouts = worktrees(repo).slice(1);
    await Bun.sleep(1500);
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(130);
    expect(worktrees(repo)).toEqual([repo]);
    for (const folder of checkouts) expect(existsSync(folder)).toBe(false);
    expect(git(repo, "status", "--porcelain")).toBe("");
  }, SLOW);

  test("SIGINT while a --script command runs also ends that command", async () => {
    const marker = `xloop-compare-test-${process.pid}-${Date.now()}`;
    const repo = repoWith({ "wait.js": "setTimeout(() => {}, 60000);\n" }, { "wait.js": "setTimeout(() => {}, 60000); // head\n" });
    const run = background(["compare", "--script", `node wait.js ${marker}`], repo);
    // Anchored: xloop's own command line and the shell's contain the command too.
    const command = `^node wait\\.js ${marker}`;
    await waitFor(() => processesMatching(command));
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(130);
    expect(worktrees(repo)).toEqual([repo]);
    await waitFor(() => !processesMatching(command), 5000);
  }, SLOW);
});

describe("xloop compare --install", () => {
  test("each revision gets a fresh install instead of the checkout's node_modules", () => {
    // The project depends on a local package; the user's checkout has nothing installed.
    const files = {
      "package.json": '{ "name": "app", "version": "1.0.0", "private": true, "dependencies": { "dep": "file:./vendor/dep" } }\n',
      "vendor/dep/package.json": '{ "name": "dep", "version": "1.0.0", "main": "index.js" }\n',
      "vendor/dep/index.js": "module.exports = { twice: (n) => n * 2 };\n",
      "bench/dep.bench.ts": 'import dep from "dep";\nexport function useDep() { return dep.twice(21); }\n',
    };
    const repo = repoWith(files, { "README.md": "head\n" });
    const linked = xloop(["compare", "--max-time", "2"], { cwd: repo });
    expect(linked.code).toBe(3);
    expect(linked.stdout).toContain("failed to import");
    const installed = xloop(["compare", "--max-time", "2", "--install"], { cwd: repo });
    expect(installed.stderr).toBe("");
    expect(installed.code).toBe(0);
    expect(installed.stdout).toContain("--install: ran `npm install --no-audit --no-fund` in base");
    expect(installed.stdout).toContain("bench/dep.bench.ts#useDep");
    expect(installed.stdout).not.toContain("failed");
    expect(worktrees(repo)).toEqual([repo]);
    expect(existsSync(path.join(repo, "node_modules"))).toBe(false);
  }, SLOW);
});
