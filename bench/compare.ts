/**
 * bench/compare: what `xloop compare` concludes and what it costs.
 *
 * 1. Suite mode on two temporary repositories, one whose head makes a function 2x
 *    faster and one whose head changes nothing measured: the verdict and speedup of
 *    each run, and the wall time of the whole command beyond the benchmarks'
 *    measurement (worktrees, listing, start-up, cleanup).
 * 2. Whole-process mode side by side with hyperfine on the same two commands (a
 *    script doing N and N/2 iterations of work): per repeat, each tool's speedup
 *    (xloop: paired ABBA estimate; hyperfine: ratio of means, all of A then all of B),
 *    then over the repeats their median, min-max and coefficient of variation.
 *
 *   XLOOP_BIN=dist/xloop node_modules/.bin/bun bench/compare.ts [--suite-repeats 3] [--repeats 10] [--runs 10] [--max-time 30]
 *
 * Needs hyperfine on PATH (Debian: apt-get install hyperfine).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cv, printTable, xloopBinary } from "./common.ts";
import { median } from "../src/stats/descriptive.ts";
import { sumSource } from "../test/fixtures/sum-kernel.ts";

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

const binary = process.env.XLOOP_BIN ?? xloopBinary;
const suiteRepeats = flag("suite-repeats", 3);
const repeats = flag("repeats", 10);
const runs = flag("runs", 10);
const maxTime = flag("max-time", 30);
const scratch = mkdtempSync(path.join(tmpdir(), "xloop-bench-compare-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", args, { cwd, stdio: "ignore" });
}

/** A repository with one commit per entry of `commits` (files written, then committed). */
function repository(name: string, commits: Record<string, string>[]): string {
  const repo = path.join(scratch, name);
  mkdirSync(repo, { recursive: true });
  git(repo, "init", "--quiet", "--initial-branch=main");
  git(repo, "config", "user.name", "bench");
  git(repo, "config", "user.email", "bench@example.com");
  git(repo, "config", "commit.gpgsign", "false");
  for (const files of commits) {
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      writeFileSync(path.join(repo, file), content);
    }
    git(repo, "add", "--all");
    git(repo, "commit", "--quiet", "-m", "change");
  }
  return repo;
}

/** Runs `command` and returns stdout and its wall time in ms; throws with stderr on an unexpected exit. */
function timed(command: string, args: string[], cwd: string): { stdout: string; ms: number } {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr.slice(-800)}`);
  return { stdout: result.stdout, ms };
}

// --- 1. Suite mode: a 2x change and no change -------------------------------------

const benchFile = 'import { total } from "../src/sum.ts";\nexport function sum() { return total(); }\n';
const suites = {
  "2x faster": repository("twice", [{ "src/sum.ts": sumSource(false), "bench/sum.bench.ts": benchFile }, { "src/sum.ts": sumSource(true) }]),
  "no change": repository("same", [{ "src/sum.ts": sumSource(false), "bench/sum.bench.ts": benchFile, "README.md": "a\n" }, { "README.md": "b\n" }]),
};

const suiteRows: string[][] = [];
let suiteConfidence = 0.95;
for (const [name, repo] of Object.entries(suites)) {
  for (let r = 0; r < suiteRepeats; r++) {
    process.stderr.write(`\rsuite mode: ${name}, run ${r + 1}/${suiteRepeats}   `);
    const { stdout, ms } = timed(binary, ["compare", "HEAD~1", "HEAD", "--json", "--max-time", String(maxTime)], repo);
    const doc = JSON.parse(stdout);
    const b = doc.benchmarks[0];
    // The ab engine reports the confidence of its intervals (95% when it does not say).
    suiteConfidence = b.ab.confidence ?? 0.95;
    suiteRows.push([
      name,
      String(r + 1),
      b.verdict,
      `${b.speedup.toFixed(3)}x`,
      `[${b.speedup_ci[0].toFixed(3)}, ${b.speedup_ci[1].toFixed(3)}]`,
      String(b.ab.rounds),
      `${(doc.measure_ms / 1000).toFixed(2)} s`,
      `${(ms / 1000).toFixed(2)} s`,
      `${((ms - doc.measure_ms) / 1000).toFixed(2)} s`,
    ]);
  }
}
process.stderr.write("\n");
console.log(`Suite mode (--max-time ${maxTime} per benchmark, threshold ±1%):`);
printTable(["repository", "run", "verdict", "speedup", `${+(suiteConfidence * 100).toFixed(1)}% CI`, "pairs", "measuring", "compare wall", "beyond budget"], suiteRows);

// --- 2. Whole-process mode against hyperfine ---------------------------------------

/** A script doing `iterations` of integer work, so machine contention slows it as it would a real one. */
const work = (iterations: number) => `let x = 0;\nfor (let i = 0; i < ${iterations}; i++) x = (x + i * 7) % 1000003;\nif (x < 0) console.log(x);\n`;
const slowIterations = 60_000_000;
const processRepo = repository("process", [{ "work.js": work(slowIterations) }, { "work.js": work(slowIterations / 2) }]);
// hyperfine gets the same two files in plain folders (it has no notion of revisions).
for (const [side, iterations] of [["a", slowIterations], ["b", slowIterations / 2]] as const) {
  mkdirSync(path.join(scratch, side), { recursive: true });
  writeFileSync(path.join(scratch, side, "work.js"), work(iterations));
}

const xloopSpeedups: number[] = [];
const hyperfineSpeedups: number[] = [];
const processRows: string[][] = [];
for (let r = 0; r < repeats; r++) {
  process.stderr.write(`\rwhole process: repeat ${r + 1}/${repeats}   `);
  // Alternate which tool goes first so neither always meets the same machine phase.
  const order = r % 2 === 0 ? ["xloop", "hyperfine"] : ["hyperfine", "xloop"];
  const row: Record<string, string> = {};
  for (const tool of order) {
    if (tool === "xloop") {
      const { stdout, ms } = timed(binary, ["compare", "HEAD~1", "HEAD", "--script", "node work.js", "--runs", String(runs), "--warmup", "1", "--json"], processRepo);
      const doc = JSON.parse(stdout);
      xloopSpeedups.push(doc.speedup);
      row.xloop = `${doc.speedup.toFixed(3)}x [${doc.speedup_ci[0].toFixed(3)}, ${doc.speedup_ci[1].toFixed(3)}] ${doc.verdict}`;
      row.xloopWall = `${(ms / 1000).toFixed(1)} s`;
    } else {
      const out = path.join(scratch, `hyperfine-${r}.json`);
      const commands = ["a", "b"].map((side) => `node ${path.join(scratch, side, "work.js")}`);
      const { ms } = timed("hyperfine", ["--warmup", "1", "--runs", String(runs), "--style", "none", "--export-json", out, ...commands], scratch);
      const [a, b] = JSON.parse(readFileSync(out, "utf8")).results as { mean: number; stddev: number }[];
      const speedup = a.mean / b.mean;
      hyperfineSpeedups.push(speedup);
      // hyperfine's own spread of the ratio (its "± x" in the summary): propagated standard deviations.
      const spread = speedup * Math.sqrt((a.stddev / a.mean) ** 2 + (b.stddev / b.mean) ** 2);
      row.hyperfine = `${speedup.toFixed(3)}x ± ${spread.toFixed(3)}`;
      row.hyperfineWall = `${(ms / 1000).toFixed(1)} s`;
    }
  }
  processRows.push([String(r + 1), row.xloop, row.xloopWall, row.hyperfine, row.hyperfineWall]);
}
process.stderr.write("\n");
console.log(`\nWhole-process mode: node work.js with ${slowIterations} vs ${slowIterations / 2} iterations, ${runs} runs per side, 1 warm-up:`);
printTable(["repeat", "xloop speedup [95% CI] verdict", "xloop wall", "hyperfine speedup ± sd", "hyperfine wall"], processRows);
const summary = (values: number[]) => [`${median(values).toFixed(3)}x`, `${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}`, values.length > 1 ? `${(cv(values) * 100).toFixed(2)}%` : "-"];
console.log("");
printTable(["tool", "median speedup", "min–max", "CV over repeats"], [["xloop compare --script", ...summary(xloopSpeedups)], ["hyperfine", ...summary(hyperfineSpeedups)]]);
