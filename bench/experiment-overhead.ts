/**
 * bench/experiment-overhead: xloop's own time per experiment beyond the benchmark
 * budget (worktree, oracle capture and verification, guard, git), in a repository of
 * 1,000 files. Each trial makes the same slow-to-fast change and runs
 * `xloop experiment --json`; overhead = wall time - the benchmark's own wall time.
 * Goal: under 1 s.
 *
 *   npm run build && node_modules/.bin/bun bench/experiment-overhead.ts [--trials 5]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { argsFrom, printTable, requireBinary, xloopBinary } from "./common.ts";
import { median } from "../src/stats/descriptive.ts";
import { casesSource, fastPrice, slowPrice } from "../test/fixtures/loop-repo.ts";

requireBinary();
const trials = Number(argsFrom("--trials") ?? 5);
const repo = realpathSync(mkdtempSync(join(tmpdir(), "xloop-overhead-")));
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "ignore" });
git("init", "-q", "-b", "main");
git("config", "user.email", "b@b");
git("config", "user.name", "b");
for (let i = 0; i < 1000; i++) {
  const dir = join(repo, "lib", `m${Math.floor(i / 50)}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `f${i}.ts`), `export const value${i} = ${i};\nexport function f${i}(x: number) { return x + value${i}; }\n`);
}
writeFileSync(join(repo, "price.ts"), slowPrice);
writeFileSync(join(repo, "cases.ts"), casesSource);
git("add", ".");
git("commit", "-q", "-m", "1,000 files");

const xloop = (args: string[]) => spawnSync(xloopBinary, args, { cwd: repo, encoding: "utf8" });
xloop(["init", "--guard", "true"]);
xloop(["baseline", "price.ts#total", "--cases", "cases.ts#cases", "--time", "0.3"]);

const rows: string[][] = [];
const overheads: number[] = [];
for (let t = 0; t < trials; t++) {
  writeFileSync(join(repo, "price.ts"), fastPrice);
  const started = Date.now();
  const run = xloop(["experiment", "price.ts#total", "--pattern", "set-lookup", "-m", `set ${t}`, "--json"]);
  const wall = Date.now() - started;
  const doc = JSON.parse(run.stdout);
  const benchmarkMs = doc.benchmark.wall_ms;
  overheads.push(wall - benchmarkMs);
  rows.push([String(t + 1), doc.decision.action, `${wall} ms`, `${benchmarkMs} ms`, `${wall - benchmarkMs} ms`]);
  // Undo the kept commit so the next trial makes the same change again.
  git("reset", "-q", "--hard", "HEAD~1");
}
console.log(`bench/experiment-overhead: ${trials} experiments in a repository of 1,000 files (guard: true)`);
printTable(["trial", "decision", "wall", "benchmark", "overhead"], rows);
const medianOverhead = median(overheads);
console.log(`median overhead ${medianOverhead.toFixed(0)} ms: ${medianOverhead < 1000 ? "meets" : "MISSES"} the 1 s goal`);
