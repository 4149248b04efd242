/**
 * Keeps the README's examples true: every `$ xloop …` command README.md shows with its
 * output is run here with the real compiled binary, from outside the repository, on the
 * bundled example (example/) or a small fixture, and its output's shape is checked — the
 * columns, words and names the README shows, never the numbers. Options that only make a
 * run shorter (fewer rounds, a shorter budget) are added where the README's defaults would
 * take tens of seconds; they change how long a command measures, not what it prints.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { execFile } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commitAll, git, initRepo, removeTempFolders, tempFolder, writeFiles } from "./fixtures/git-repo.ts";
import { profileProjectFiles } from "./fixtures/profile-project.ts";
import { binaryOutsideRepo, repoRoot, type CliRun } from "./helpers.ts";

afterAll(removeTempFolders);

const SLOW = 120_000;
const example = join(repoRoot, "example");
const readme = readFileSync(join(repoRoot, "README.md"), "utf8");

/**
 * Runs the compiled binary without blocking, so the independent examples below run side
 * by side (their shapes do not depend on the machine being idle).
 */
function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(binaryOutsideRepo(), args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env }, timeout: SLOW, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A line of `text` matching each pattern, in order (the header, then the rows, …). */
function expectLines(text: string, ...patterns: RegExp[]): void {
  const lines = text.split("\n");
  let at = 0;
  for (const pattern of patterns) {
    const found = lines.findIndex((line, i) => i >= at && pattern.test(line));
    if (found < 0) throw new Error(`no line matching ${pattern} after line ${at} in:\n${text}`);
    at = found + 1;
  }
}

/** A column header: these words in this order, separated by spaces. */
function header(...columns: string[]): RegExp {
  return new RegExp(`^\\s*${columns.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\s+")}\\s*$`);
}

const num = String.raw`-?[\d.]+`;
const time = String.raw`${num} (?:ns|µs|ms|s)`;

/** A copy of the repository's example folder, as the README has the user make one (`cp -r example /tmp/slug`). */
function exampleFolder(): string {
  const dir = tempFolder();
  cpSync(example, dir, { recursive: true });
  return dir;
}

/** The repository `npm run example` makes (example/run-loop.ts): src/slugify.ts, its cases and its bench suite. */
function loopRepository(): string {
  const dir = initRepo();
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "bench"));
  copyFileSync(join(example, "slugify.ts"), join(dir, "src/slugify.ts"));
  copyFileSync(join(example, "slugify.cases.ts"), join(dir, "bench/slugify.cases.ts"));
  copyFileSync(join(example, "slugify.bench.ts"), join(dir, "bench/slugify.bench.ts"));
  commitAll(dir, "slugify");
  return dir;
}

/** The README's commands with output, exactly as it shows them; each is run below. */
const shown = [
  "xloop experiment src/slugify.ts#slugify --pattern allocation-reduction -m \"one pass over the characters\"",
  "xloop experiment src/slugify.ts#slugify --pattern allocation-reduction -m \"one pass over the characters, dropping _\"",
  "xloop bench slugify.ts#slugify attempts/single-pass.ts#slugify --cases slugify.cases.ts#cases",
  "xloop ab slugify.ts#slugify attempts/single-pass.ts#slugify --cases slugify.cases.ts#cases",
  "xloop oracle capture slugify.ts#slugify --cases slugify.cases.ts#cases",
  "cp attempts/single-pass-underscore.ts slugify.ts && xloop oracle verify slugify.ts#slugify",
  "xloop compare HEAD~1 HEAD",
  "xloop profile -- node src/main.js          # or: xloop profile --bench bench/",
  "xloop next",
  "xloop bench --domain memory mem.ts#alloc1k mem.ts#leak1k",
  "xloop bench --domain async aio.ts#sequential aio.ts#blocking --concurrency 1,8",
  "xloop ab --domain structure e10.mjs e12.mjs   # e12.mjs spends 2 ms more at its top level",
  "xloop imports main.ts",
  "xloop recover",
];

describe("the README's examples", () => {
  test("every command the README shows with output is one this file runs", () => {
    const inReadme = [...readme.matchAll(/^\$ (.+)$/gm)].map((m) => m[1]);
    expect(inReadme.sort()).toEqual([...shown].sort());
  });

  test("the set-up section keeps its two commands", () => {
    expect(readme).toContain("npm install && npm run example");
    expect(readme).toContain("npm install && npm test");
  });

  test.concurrent("bench, ab and the oracle on the example folder print the README's columns and words", async () => {
    const dir = exampleFolder();
    const targets = ["slugify.ts#slugify", "attempts/single-pass.ts#slugify", "--cases", "slugify.cases.ts#cases"];
    const bench = await run(["bench", ...targets, "--rounds", "3", "--precision", "0", "--time", "0.3"], dir);
    expect(bench.code).toBe(0);
    expectLines(
      bench.stdout,
      header("target", "median", "95% CI", "mean", "p75", "p99", "min", "ops/s", "samples", "batch", "outliers"),
      new RegExp(`^slugify\\.ts#slugify\\s+${time}\\s+${time} … ${time}`),
      new RegExp(`^attempts/single-pass\\.ts#slugify\\s+${time}\\s+${time} … ${time}`),
      /^measured on node \S+, pinned to CPU \d+ .*fresh workers per target, each taking turns with \d+ copies of its target, targets interleaved slice by slice/,
    );

    const ab = await run(["ab", ...targets, "--max-time", "20"], dir);
    expect(ab.code).toBe(0);
    expectLines(
      ab.stdout,
      header("medians", "ratio", "99.61% CI", "verdict", "threshold", "replicates"),
      new RegExp(`^slugify\\s+base ${time} -> head ${time}\\s+${num}x\\s+\\[${num}, ${num}\\]\\s+faster\\s+±1\\.0%\\s+\\d+ pairs, ${num} s$`),
      /^measured on node \S+$/,
    );

    const capture = await run(["oracle", "capture", "slugify.ts#slugify", "--cases", "slugify.cases.ts#cases"], dir);
    expect(capture.code).toBe(0);
    expect(capture.stdout).toMatch(/^slugify\.ts#slugify: captured 4 cases into \.codeflash\/oracle\/slugify\.ts_slugify\.[0-9a-f]+\.json$/m);
    copyFileSync(join(dir, "attempts/single-pass-underscore.ts"), join(dir, "slugify.ts"));
    const verify = await run(["oracle", "verify", "slugify.ts#slugify"], dir);
    expect(verify.code).toBe(5);
    expectLines(
      verify.stdout,
      /^slugify\.ts#slugify: DIFFERENT in 1 of 4 cases$/,
      /^ {2}case 2 return: "the-quick-brown-fox-jumps-over-the-lazy-dogagain" \(original\) vs "the-quick-brown-fox-jumps-over-the-lazy-dog-again" \(now\) {2}— values differ$/,
    );
  }, SLOW);

  test.concurrent("the loop on the example's repository: a DISCARD for a different output, a KEEP measured end to end, compare, then recover after a kill", async () => {
    const dir = loopRepository();
    expect((await run(["init", "--guard", "git diff --quiet HEAD -- bench"], dir)).code).toBe(0);
    const baseline = await run(["baseline", "src/slugify.ts#slugify", "--cases", "bench/slugify.cases.ts#cases", "--rounds", "3", "--precision", "0", "--time", "0.3"], dir);
    expect(baseline.code).toBe(0);

    copyFileSync(join(example, "attempts/single-pass-underscore.ts"), join(dir, "src/slugify.ts"));
    const first = await run(["experiment", "src/slugify.ts#slugify", "--pattern", "allocation-reduction", "-m", "one pass over the characters"], dir);
    expect(first.code).toBe(6);
    expectLines(
      first.stderr,
      /^\[experiment 2\] Verifying output equivalence\.\.\. DIFFERENT in 1 of 4 cases$/,
      /^\[experiment 2\] {3}case 2 return: "the-quick-brown-fox-jumps-over-the-lazy-dogagain" \(original\) vs "the-quick-brown-fox-jumps-over-the-lazy-dog-again" \(now\)$/,
      /^\[experiment 2\] DISCARD — output differs from the original \(correctness regression\): case 2 return: /,
    );

    copyFileSync(join(example, "attempts/single-pass.ts"), join(dir, "src/slugify.ts"));
    const second = await run(["experiment", "src/slugify.ts#slugify", "--pattern", "allocation-reduction", "-m", "one pass over the characters, dropping _", "--max-time", "20"], dir);
    expect(second.code).toBe(0);
    expectLines(
      second.stderr,
      /^\[experiment 3\] Verifying output equivalence\.\.\. identical \(4 cases\)$/,
      /^\[experiment 3\] Fidelity: every changed code line \(\d+\) is executed by the cases$/,
      new RegExp(`^\\[experiment 3\\] Micro-benchmarking\\.\\.\\. ${time} -> ${time}  ${num}x \\[${num}, ${num}\\] faster$`),
      /^\[experiment 3\] Guard: git diff --quiet HEAD -- bench \.\.\. passed$/,
      new RegExp(`^\\[experiment 3\\] E2E: ${time} -> ${time} \\(${num}x geometric mean over 1 benchmark\\)$`),
      /^\[experiment 3\] Config audit: nothing stale found$/,
      /^\[experiment 3\] KEEP {2}\(commit [0-9a-f]{7}\)$/,
    );

    const compare = await run(["compare", "HEAD~1", "HEAD", "--max-time", "20"], dir);
    expect(compare.code).toBe(0);
    expectLines(
      compare.stdout,
      /^xloop compare: base [0-9a-f]{7} \(HEAD~1\) -> head [0-9a-f]{7} \(HEAD\)$/,
      /^bench\/slugify\.bench\.ts#slugifyAll$/,
      header("Min", "Median", "Mean", "OPS", "Rounds"),
      new RegExp(`^base [0-9a-f]{7}\\s+${time}\\s+${time}\\s+${time}\\s+\\S+\\s+\\d+$`),
      new RegExp(`^head [0-9a-f]{7}\\s+${time}\\s+${time}\\s+${time}\\s+\\S+\\s+\\d+$`),
      new RegExp(`^Speedup\\s+${num}x\\s+${num}x \\[${num}, ${num}\\]\\s+${num}x\\s+${num}x\\s+faster$`),
      new RegExp(`^Overall: ${num}x \\(geometric-mean speedup of 1 benchmark: 1 faster\\)$`),
    );

    // A third experiment killed while it benchmarks, as a SIGKILL or a crash would stop it.
    writeFileSync(join(dir, "src/slugify.ts"), `${readFileSync(join(dir, "src/slugify.ts"), "utf8")}\nexport const unused = 1;\n`);
    const killed = await run(["experiment", "src/slugify.ts#slugify", "--pattern", "hoisting", "-m", "killed", "--force"], dir, { XLOOP_FAULT_AT: "benchmark:kill" });
    expect(killed.code).not.toBe(0);
    const recover = await run(["recover"], dir);
    expect(recover.code).toBe(0);
    expectLines(
      recover.stdout + recover.stderr,
      /^An experiment was killed before it finished: experiment 4 on src\/slugify\.ts#slugify \(pid \d+, started \S+\); put the repository back as it was before it$/,
      /^ {2}removed its worktree \S+$/,
    );
    expect(git(dir, "status", "--porcelain", "--", "src").trim()).toBe("M src/slugify.ts");
  }, SLOW);

  test.concurrent("profile ranks the profiled project's functions with the README's columns, and next names the first", async () => {
    const dir = tempFolder();
    writeFiles(dir, profileProjectFiles());
    initRepo(dir);
    commitAll(dir, "project");
    const profile = await run(["profile", "--", "node", "src/main.js"], dir);
    expect(profile.code).toBe(0);
    expectLines(
      profile.stdout,
      header("rank", "self", "total", "self ms", "total ms", "calls", "allocated", "function", "file:line", "called from", "domain", "category", "est. impact"),
      /^1\s+[\d.]+%\s+[\d.]+%.*\bdedupe\s+src\/lib\.js:1\s+main\s+cpu\s+membership test in a loop \(O\(n\^2\): a Set or Map fits\)\s+up to [\d.]+% of CPU time$/,
    );
    const next = await run(["next"], dir);
    expect(next.code).toBe(0);
    expectLines(
      next.stdout + next.stderr,
      /^\[experiment 1\] Target: dedupe in src\/lib\.js:1 \(membership test in a loop \(O\(n\^2\): a Set or Map fits\), up to [\d.]+% of CPU time\)$/,
      /^ {2}why: rank 1 of the profile, [\d.]+% of CPU time$/,
      /^ {2}target: src\/lib\.js#dedupe {3}\(xloop bench src\/lib\.js#dedupe; xloop experiment src\/lib\.js#dedupe\)$/,
    );
  }, SLOW);

  test.concurrent("the memory, async and structure domains and imports print the README's columns, flags and verdict line", async () => {
    const dir = tempFolder();
    writeFiles(dir, {
      "mem.ts": `const fill = (n: number) => { const a = new Array(n); for (let i = 0; i < n; i++) a[i] = 0; return a; };
export const alloc1k = () => fill(128);
const kept: unknown[] = [];
export const leak1k = () => { kept.push(fill(128)); return kept.length; };
`,
      "aio.ts": `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const sequential = async () => { await sleep(5); await sleep(5); };
export const blocking = async () => { const t0 = performance.now(); while (performance.now() - t0 < 20) {} await sleep(1); };
`,
      "e10.mjs": "const t0 = performance.now(); while (performance.now() - t0 < 10) {}\nexport const e = 1;\n",
      "e12.mjs": "const t0 = performance.now(); while (performance.now() - t0 < 12) {}\nexport const e = 1;\n",
      "heavy.mjs": "const t0 = performance.now(); while (performance.now() - t0 < 20) {}\nexport const heavy = 1;\n",
      "a.ts": `import { b } from "./b.ts";\nexport const a = () => b;\n`,
      "b.ts": `import { a } from "./a.ts";\nexport const b = 2;\nexport const c = () => a;\n`,
      "index.ts": `export { heavy } from "./heavy.mjs";\nexport { a } from "./a.ts";\nexport { b } from "./b.ts";\n`,
      "main.ts": `import { heavy } from "./index.ts";\nimport { a } from "./a.ts";\nexport const main = () => heavy + a();\n`,
    });

    const memory = await run(["bench", "--domain", "memory", "mem.ts#alloc1k", "mem.ts#leak1k", "--rounds", "1"], dir);
    expect(memory.code).toBe(0);
    expectLines(
      memory.stdout,
      header("target", "allocated/call [95% CI]", "retained", "growth/call", "peak heap", "peak RSS", "GCs"),
      /^mem\.ts#alloc1k\s+[\d.]+ KiB \[/,
      /^mem\.ts#leak1k\s+[\d.]+ KiB \[.*\bLEAK\b/,
      /^leak: mem\.ts#leak1k keeps [\d.]+ KiB more alive after every call \([\d.]+ MiB over the retention calls, after full GCs\)$/,
    );

    const async = await run(["bench", "--domain", "async", "aio.ts#sequential", "aio.ts#blocking", "--concurrency", "1", "--time", "0.3", "--rounds", "1"], dir);
    expect(async.code).toBe(0);
    expectLines(
      async.stdout,
      header("target", "concurrency", "calls/s [95% CI]", "p50", "p99", "loop delay p99", "waiting"),
      new RegExp(`^aio\\.ts#sequential\\s+1\\s+${num} \\[${num}, ${num}\\]\\s+${time}\\s+${time}\\s+${time}\\s+\\d+%$`),
      new RegExp(`^aio\\.ts#blocking\\s+1\\s+${num} \\[${num}, ${num}\\]\\s+${time}\\s+${time}\\s+${time} BLOCKED\\s+\\d+%$`),
      /^blocked: aio\.ts#blocking holds the event loop \(p99 delay .* at concurrency 1\): synchronous work between its awaits delays every other task$/,
    );

    // Run beside the other examples it may end undecided, and then says what its interval did show.
    const structure = await run(["ab", "--domain", "structure", "e10.mjs", "e12.mjs", "--max-time", "10"], dir);
    expect(structure.code).toBe(0);
    expect(structure.stdout).toMatch(new RegExp(`^head/base ${num}x \\[${num}, ${num}\\] \\(${num}% CI, \\d+ pairs, ${num} s\\): (slower|same|inconclusive) \\(threshold ±3\\.0%\\)( — .*)?$`, "m"));

    const imports = await run(["imports", "main.ts", "--runs", "5"], dir);
    expect(imports.code).toBe(0);
    expectLines(
      imports.stdout,
      new RegExp(`^main\\.ts: ${time} to import \\[95% CI ${num}, ${num}\\], median of 5 cold processes on node \\S+$`),
      header("module", "self ms [95% CI]", "cumulative ms [95% CI]"),
    );
    expect(imports.stdout).toMatch(/^index\.ts\s+.*\bbarrel$/m);
    expect(imports.stdout).toMatch(/^heavy\.mjs\s+[\d.]+ \[/m);
    expect(imports.stdout).toMatch(/^hint: top-level work: heavy\.mjs spends [\d.]+ ms of its own at import \(\d+% of the entry's import\); move that work into a function called when it is needed, or cache its result$/m);
  }, SLOW);
});
