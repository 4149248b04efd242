/**
 * Keeps the documentation's examples true: every `$ xloop …` command README.md or a page
 * of docs/ shows with its output is run here with the real compiled binary, from outside
 * the repository, on the bundled example (example/) or a small fixture, and its output's
 * shape is checked — the columns, words and names the page shows, never the numbers.
 * Options that only make a run shorter (fewer rounds, a shorter budget) are added where the
 * shown defaults would take tens of seconds; they change how long a command measures, not
 * what it prints.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { execFile } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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
const bytes = String.raw`${num} (?:B|KiB|MiB|GiB)`;

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

/**
 * The small modules docs/method.md's domain and imports examples run on: allocations of
 * known sizes, a leak and a cache filled once; sequential, concurrent and blocking async
 * calls; entries with 10 and 12 ms of top-level work; a barrel, a cycle and a heavy module.
 */
function domainFolder(): string {
  const dir = tempFolder();
  writeFiles(dir, {
    "mem.ts": `const fill = (n: number) => { const a = new Array(n); for (let i = 0; i < n; i++) a[i] = 0; return a; };
export const alloc1k = () => fill(128);
export const alloc1m = () => fill(131072);
export const alloc16k = () => fill(2048);
const kept: unknown[] = [];
export const leak1k = () => { kept.push(fill(128)); return kept.length; };
let cache: unknown[] | undefined;
export const cacheOnce = () => (cache ??= fill(4096)).length;
`,
    "mem2.ts": `const fill = (n: number) => { const a = new Array(n); for (let i = 0; i < n; i++) a[i] = 0; return a; };
export const alloc20k = () => fill(2560);
`,
    "aio.ts": `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const sequential = async () => { await sleep(5); await sleep(5); };
export const concurrent = async () => { await Promise.all([sleep(5), sleep(5)]); };
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
  return dir;
}

/** The pages whose examples this file keeps true: the README and every page of docs/. */
const pages = ["README.md", ...readdirSync(join(repoRoot, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];

/** Each page's commands with output, exactly as it shows them (its `$ ` lines); each is run below. */
const shown: Record<string, string[]> = {
  "README.md": [
    "xloop experiment src/slugify.ts#slugify --pattern allocation-reduction -m \"one pass over the characters\"",
    "xloop experiment src/slugify.ts#slugify --pattern allocation-reduction -m \"one pass over the characters, dropping _\"",
    "xloop bench slugify.ts#slugify attempts/single-pass.ts#slugify --cases slugify.cases.ts#cases",
    "xloop ab slugify.ts#slugify attempts/single-pass.ts#slugify --cases slugify.cases.ts#cases",
    "xloop oracle capture slugify.ts#slugify --cases slugify.cases.ts#cases",
    "cp attempts/single-pass-underscore.ts slugify.ts && xloop oracle verify slugify.ts#slugify",
    "xloop compare HEAD~1 HEAD",
    "xloop profile -- node src/main.js          # or: xloop profile --bench bench/",
  ],
  "docs/method.md": [
    "xloop imports main.ts",
    "xloop ab --domain structure e10.mjs e12.mjs   # e12.mjs spends 2 ms more at its top level",
    "xloop bench --domain memory mem.ts#alloc1k mem.ts#alloc1m mem.ts#leak1k mem.ts#cacheOnce",
    "xloop ab --domain memory mem.ts#alloc16k mem2.ts#alloc20k",
    "xloop bench --domain async aio.ts#sequential aio.ts#concurrent aio.ts#blocking --concurrency 1,8",
    "xloop ab --domain async aio.ts#sequential aio.ts#concurrent --round-time 0.2",
    "xloop profile -- node src/main.js          # or: xloop profile --bench bench/",
    "xloop next",
  ],
  "docs/loop.md": ["xloop status", "xloop recover"],
};

describe("the README's and docs' examples", () => {
  test("every command a page shows with output is one this file runs", () => {
    for (const page of pages) {
      const onPage = [...readFileSync(join(repoRoot, page), "utf8").matchAll(/^\$ (.+)$/gm)].map((m) => m[1]);
      expect({ page, commands: onPage.sort() }).toEqual({ page, commands: [...(shown[page] ?? [])].sort() });
    }
    expect(pages).toEqual(expect.arrayContaining(Object.keys(shown)));
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

  test.concurrent("the loop on the example's repository: a DISCARD for a different output, a KEEP measured end to end, compare, then status and recover after a kill (docs/loop.md)", async () => {
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
    const status = await run(["status"], dir);
    expect(status.code).toBe(0);
    expectLines(
      status.stdout,
      /^Interrupted: experiment 4 on src\/slugify\.ts#slugify \(pid \d+, started \S+\) was killed before it finished; `xloop recover` puts the repository back as it was before it \(the next experiment does so too\)$/,
      /^Left behind: 1 worktree of killed xloops \(\S+\); `xloop recover` removes them$/,
      /^Loop status — cpu on \S+$/,
    );
    const recover = await run(["recover"], dir);
    expect(recover.code).toBe(0);
    expectLines(
      recover.stdout + recover.stderr,
      /^An experiment was killed before it finished: experiment 4 on src\/slugify\.ts#slugify \(pid \d+, started \S+\); put the repository back as it was before it$/,
      /^ {2}removed its worktree \S+$/,
    );
    expect(git(dir, "status", "--porcelain", "--", "src").trim()).toBe("M src/slugify.ts");
  }, SLOW);

  test.concurrent("profile ranks the profiled project's functions with the columns the README and docs/method.md show, and next names the first", async () => {
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

  test.concurrent("bench in the memory domain and imports print the columns, flags and hints docs/method.md shows", async () => {
    const dir = domainFolder();
    const memory = await run(["bench", "--domain", "memory", "mem.ts#alloc1k", "mem.ts#alloc1m", "mem.ts#leak1k", "mem.ts#cacheOnce", "--rounds", "1"], dir);
    expect(memory.code).toBe(0);
    expectLines(
      memory.stdout,
      header("target", "allocated/call [95% CI]", "retained", "growth/call", "peak heap", "peak RSS", "GCs"),
      /^mem\.ts#alloc1k\s+[\d.]+ KiB \[/,
      /^mem\.ts#alloc1m\s+[\d.]+ MiB \[/,
      /^mem\.ts#leak1k\s+[\d.]+ KiB \[.*\bLEAK\b/,
      new RegExp(`^mem\\.ts#cacheOnce\\s+${bytes} \\[${bytes}, ${bytes}\\]`),
      /^leak: mem\.ts#leak1k keeps [\d.]+ KiB more alive after every call \([\d.]+ MiB over the retention calls, after full GCs\)$/,
      /^measured on node \S+ in \d+ fresh processes per target; heap read as v8 used_heap_size \+ malloced_memory$/,
    );
    // A cache filled once, and a large allocation freed after each call, are not leaks.
    expect(memory.stdout).not.toMatch(/^mem\.ts#(alloc1k|alloc1m|cacheOnce)\s.*\bLEAK\b/m);

    const imports = await run(["imports", "main.ts", "--runs", "5"], dir);
    expect(imports.code).toBe(0);
    expectLines(
      imports.stdout,
      new RegExp(`^main\\.ts: ${time} to import \\[95% CI ${num}, ${num}\\], median of 5 cold processes on node \\S+$`),
      header("module", "self ms [95% CI]", "cumulative ms [95% CI]"),
    );
    // The rows are sorted by cumulative time, so modules of equal cost may come in either order.
    for (const [module, flag] of [["main.ts", ""], ["index.ts", "barrel"], ["heavy.mjs", ""], ["b.ts", ""], ["a.ts", "fan-in 3"]]) {
      expect(imports.stdout).toMatch(new RegExp(`^${module.replace(/\./g, "\\.")}\\s+${num} \\[${num}, ${num}\\]\\s+${num} \\[${num}, ${num}\\]${flag ? `\\s+${flag}` : ""}$`, "m"));
    }
    expect(imports.stdout).toMatch(/^cycle: a\.ts -> b\.ts -> a\.ts \(the member imported first carries the others' own time\)$/m);
    expect(imports.stdout).toMatch(/^hint: barrel file: index\.ts re-exports 3 modules; importing it for one name loads them all \([\d.]+ ms\); import from the module that defines the name$/m);
    expect(imports.stdout).toMatch(/^hint: top-level work: heavy\.mjs spends [\d.]+ ms of its own at import \(\d+% of the entry's import\); move that work into a function called when it is needed, or cache its result$/m);
    expect(imports.stdout).toMatch(/^hint: fan-in: a\.ts is imported by 3 of the other 4 modules; its import cost and its changes reach nearly everything$/m);
    expect(imports.stdout).toMatch(/^hint: import cycle: a\.ts -> b\.ts -> a\.ts; a module of it may see another's exports before they are set$/m);
  }, SLOW);

  test.concurrent("ab in the structure, memory and async domains prints the table, verdict line and note docs/method.md shows", async () => {
    const dir = domainFolder();
    /** The two rows `ab --domain` prints under its header, one a side, each with its median, interval and runs. */
    const sides = (base: string, head: string, value: string) =>
      [base, head].map((target, i) => new RegExp(`^${i ? "head" : "base"}\\s+${target.replace(/[.#]/g, "\\$&")}\\s+${value}\\s+\\[${value}, ${value}\\]\\s+\\d+ runs$`));
    const verdict = (words: string, threshold: string) => new RegExp(`^head/base ${num}x \\[${num}, ${num}\\] \\(${num}% CI, \\d+ pairs, ${num} s\\): ${words} \\(threshold ±${threshold}%\\)( — .*)?$`);

    // Run beside the other examples it may end undecided, and then says what its interval did show.
    const structure = await run(["ab", "--domain", "structure", "e10.mjs", "e12.mjs", "--max-time", "10"], dir);
    expect(structure.code).toBe(0);
    expectLines(
      structure.stdout,
      /^import time of the entry in a fresh process \(structure\), measured on node \S+$/,
      header("target", "median [95% CI]"),
      ...sides("e10.mjs", "e12.mjs", time),
      verdict("(slower|same|inconclusive)", "3\\.0"),
    );

    // Bytes per call do not depend on the machine's load: given the time, the verdict is decided.
    const memory = await run(["ab", "--domain", "memory", "mem.ts#alloc16k", "mem2.ts#alloc20k", "--max-time", "60"], dir);
    expect(memory.code).toBe(0);
    expectLines(
      memory.stdout,
      /^bytes allocated per call \(memory\), measured on node \S+$/,
      header("target", "median [95% CI]"),
      ...sides("mem.ts#alloc16k", "mem2.ts#alloc20k", bytes),
      verdict("larger \\(worse\\)", "2\\.0"),
      /^note: heap read as v8 used_heap_size \+ malloced_memory; each pair: one fresh process per side$/,
    );

    const async = await run(["ab", "--domain", "async", "aio.ts#sequential", "aio.ts#concurrent", "--round-time", "0.2", "--max-time", "60"], dir);
    expect(async.code).toBe(0);
    expectLines(
      async.stdout,
      /^throughput at concurrency 8 \(ratio: head\/base time per completed call\) \(async\), measured on node \S+$/,
      header("target", "median [95% CI]"),
      ...sides("aio.ts#sequential", "aio.ts#concurrent", `${num}k? calls/s`),
      verdict("more throughput \\(better\\)", "3\\.0"),
      /^note: each pair: one fresh process per side, 8 calls in flight for 200 ms in real time$/,
    );
  }, SLOW);
});

// Alone, not beside the concurrent examples above: the event-loop delay it prints is the
// machine's too, and four measuring tests at once on two cores put a waiting target's
// p99 delay over the 10 ms that flags a blocked loop (seen once in a clean-clone run).
describe("the README's and docs' examples, measured alone", () => {
  test("bench in the async domain prints the columns and flags docs/method.md shows", async () => {
    const dir = domainFolder();
    const async = await run(["bench", "--domain", "async", "aio.ts#sequential", "aio.ts#concurrent", "aio.ts#blocking", "--concurrency", "1,8", "--time", "0.3", "--rounds", "1"], dir);
    expect(async.code).toBe(0);
    const asyncRow = (target: string, level: number, flag = "") => new RegExp(`^aio\\.ts#${target}\\s+${level}\\s+${num}k? \\[${num}k?, ${num}k?\\]\\s+${time}\\s+${time}\\s+${time}${flag}\\s+\\d+%$`);
    expectLines(
      async.stdout,
      header("target", "concurrency", "calls/s [95% CI]", "p50", "p99", "loop delay p99", "waiting"),
      asyncRow("sequential", 1),
      asyncRow("sequential", 8),
      asyncRow("concurrent", 1),
      asyncRow("concurrent", 8),
      asyncRow("blocking", 1, " BLOCKED"),
      asyncRow("blocking", 8, " BLOCKED"),
      /^blocked: aio\.ts#blocking holds the event loop \(p99 delay .* at concurrency 1, .* idle\): synchronous work between its awaits delays every other task$/,
      /^measured on node \S+ in real time, \d+ fresh processes per target; event-loop delay from perf_hooks\.monitorEventLoopDelay \(resolution 1 ms\); waiting = share of wall time off the CPU$/,
    );
  }, SLOW);
});
