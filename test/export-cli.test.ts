import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { BmfSchema, GabSchema, parseCsv } from "./fixtures/export-schemas.ts";
import { removeTempFolders, repoWith } from "./fixtures/git-repo.ts";
import { sumSource } from "./fixtures/sum-kernel.ts";
import { binaryOutsideRepo, runIn, tempDir, type CliRun } from "./helpers.ts";

const SLOW = 120_000;
afterAll(removeTempFolders);

const kernels = "export function f(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }\nexport function g(n) { let s = 0; for (let i = 0; i < n * 2; i++) s += i % 7; return s; }\n";
const exportFlags = (prefix: string) => ["--export-json", `${prefix}.json`, "--export-csv", `${prefix}.csv`, "--export-markdown", `${prefix}.md`, "--export-bmf", `${prefix}.bmf.json`, "--export-gab", `${prefix}.gab.json`, "--html", `${prefix}.html`];
const quickBench = ["--time", "0.1", "--rounds", "2", "--precision", "0"];
const quickAb = ["--round-time", "0.05", "--min-rounds", "3", "--max-time", "3"];

describe("exports of bench", () => {
  let dir: string;
  let run: CliRun;
  beforeAll(() => {
    dir = tempDir();
    // A file whose name holds a comma: the CSV must quote it.
    writeFileSync(join(dir, "we,ird.mjs"), kernels);
    run = runIn(binaryOutsideRepo(), ["bench", "we,ird.mjs#f", "we,ird.mjs#g", "--args", "[1000]", ...quickBench, ...exportFlags("bench")], dir, {}, SLOW);
  }, SLOW);
  const file = (name: string) => readFileSync(join(dir, name), "utf8");

  test("several exports at once leave stdout the human table and say on stderr which files they wrote", () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^target\s+median/);
    for (const name of ["bench.json", "bench.csv", "bench.md", "bench.bmf.json", "bench.gab.json", "bench.html"]) expect(run.stderr).toContain(`xloop: wrote ${name}`);
  });

  test("the JSON export is bench's --json document", () => {
    const doc = JSON.parse(file("bench.json"));
    expect(doc.command).toBe("bench");
    expect(doc.results.map((r: { target: string }) => r.target)).toEqual(["we,ird.mjs#f", "we,ird.mjs#g"]);
    expect(doc.results[0].stats.median).toBeGreaterThan(0);
  });

  test("the CSV quotes the targets that contain commas and reads back to the JSON's medians", () => {
    const text = file("bench.csv");
    expect(text.split("\n")[1].startsWith('"we,ird.mjs#f",')).toBe(true);
    const rows = parseCsv(text);
    const doc = JSON.parse(file("bench.json"));
    expect(rows.slice(1).map((r) => r[0])).toEqual(["we,ird.mjs#f", "we,ird.mjs#g"]);
    expect(Number(rows[1][1])).toBe(doc.results[0].stats.median);
  });

  test("the BMF and github-action-benchmark exports pass their schemas, with the medians in ns", () => {
    const bmf = JSON.parse(file("bench.bmf.json"));
    expect(v.safeParse(BmfSchema, bmf).success).toBe(true);
    const doc = JSON.parse(file("bench.json"));
    expect(bmf["we,ird.mjs#g"].latency.value).toBe(doc.results[1].stats.median);
    expect(bmf["we,ird.mjs#g"].latency.lower_value).toBe(doc.results[1].stats.ci[0]);
    const gab = JSON.parse(file("bench.gab.json"));
    expect(v.safeParse(GabSchema, gab).success).toBe(true);
    expect(gab.map((e: { name: string; unit: string }) => `${e.name} ${e.unit}`)).toEqual(["we,ird.mjs#f ns", "we,ird.mjs#g ns"]);
  });

  test("the markdown export is bench's --md table and the HTML names both targets", () => {
    expect(file("bench.md")).toStartWith("| target | median | 95% CI |");
    const html = file("bench.html");
    expect(html).toContain("we,ird.mjs#f");
    expect(html).toContain("<svg");
  });
});

describe("exports of ab", () => {
  test("ab writes every export with head's figures, the ratio and the verdict", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "k.mjs"), kernels);
    const run = runIn(binaryOutsideRepo(), ["ab", "k.mjs#f", "k.mjs#g", "--args", "[1000]", ...quickAb, ...exportFlags("ab")], dir, {}, SLOW);
    expect(run.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, "ab.json"), "utf8"));
    expect(doc.command).toBe("ab");
    const rows = parseCsv(readFileSync(join(dir, "ab.csv"), "utf8"));
    const row = Object.fromEntries(rows[0].map((h, i) => [h, rows[1][i]]));
    expect(row.name).toBe("k.mjs#g");
    expect(row.base).toBe("k.mjs#f");
    expect(Number(row.ratio)).toBe(doc.ratio);
    expect(row.verdict).toBe(doc.verdict);
    const bmf = JSON.parse(readFileSync(join(dir, "ab.bmf.json"), "utf8"));
    expect(v.safeParse(BmfSchema, bmf).success).toBe(true);
    expect(bmf["k.mjs#g"].latency.value).toBe(doc.head.stats.median);
    const gab = JSON.parse(readFileSync(join(dir, "ab.gab.json"), "utf8"));
    expect(v.safeParse(GabSchema, gab).success).toBe(true);
    expect(gab[0].extra).toContain(`vs k.mjs#f: ${doc.ratio.toFixed(3)}x`);
    expect(readFileSync(join(dir, "ab.md"), "utf8")).toContain(`| \`k.mjs#f\` → \`k.mjs#g\` |`);
    expect(readFileSync(join(dir, "ab.html"), "utf8")).toContain(`>${doc.verdict}<`);
  }, SLOW);
});

describe("export paths", () => {
  test("a path whose folder does not exist is one error line naming the option, exit 2, before anything is measured", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "k.mjs"), kernels);
    for (const [command, flag] of [["bench", "--export-csv"], ["ab", "--html"], ["bench", "--export-bmf"]] as const) {
      const targets = command === "ab" ? ["k.mjs#f", "k.mjs#g"] : ["k.mjs#f"];
      const started = Date.now();
      const run = runIn(binaryOutsideRepo(), [command, ...targets, "--args", "[1000]", flag, "missing/out.file"], dir, {}, SLOW);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr.trim().split("\n")).toEqual([`xloop: ${flag} missing/out.file: the folder missing does not exist`]);
      // Nothing was measured: a measurement takes seconds, a refusal well under.
      expect(Date.now() - started).toBeLessThan(5000);
    }
  }, SLOW);
});

/** One benchmark made twice as fast between the two commits. */
function sumRepo(): string {
  return repoWith(
    { "src/sum.ts": sumSource(false), "bench/sum.bench.ts": 'import { total } from "../src/sum.ts";\nexport function sum() { return total(); }\n' },
    { "src/sum.ts": sumSource(true) },
  );
}

describe("exports of compare and the GitHub job summary", () => {
  test("compare writes every export, and appends to GITHUB_STEP_SUMMARY the same markdown as --md", () => {
    const repo = sumRepo();
    const summary = join(tempDir(), "summary.md");
    writeFileSync(summary, "# earlier step\n");
    const run = runIn(binaryOutsideRepo(), ["compare", "HEAD~1", "HEAD", "--max-time", "3", ...exportFlags("cmp")], repo, { GITHUB_STEP_SUMMARY: summary }, SLOW);
    expect(run.code).toBe(0);
    const markdown = readFileSync(join(repo, "cmp.md"), "utf8");
    expect(markdown).toStartWith("## xloop compare: base `");
    expect(readFileSync(summary, "utf8")).toBe(`# earlier step\n${markdown.trimEnd()}\n\n`);
    expect(run.stderr).toContain("appended the report to GITHUB_STEP_SUMMARY");
    const doc = JSON.parse(readFileSync(join(repo, "cmp.json"), "utf8"));
    expect(doc.command).toBe("compare");
    const bmf = JSON.parse(readFileSync(join(repo, "cmp.bmf.json"), "utf8"));
    expect(v.safeParse(BmfSchema, bmf).success).toBe(true);
    expect(Object.keys(bmf)).toEqual(["bench/sum.bench.ts#sum"]);
    const gab = JSON.parse(readFileSync(join(repo, "cmp.gab.json"), "utf8"));
    expect(v.safeParse(GabSchema, gab).success).toBe(true);
    const html = readFileSync(join(repo, "cmp.html"), "utf8");
    expect(html).toContain("Speedups (base time / head time)");
    expect(html).toContain(`>${doc.benchmarks[0].verdict}<`);
    expect(parseCsv(readFileSync(join(repo, "cmp.csv"), "utf8"))[1][0]).toBe("bench/sum.bench.ts#sum");
  }, SLOW);

  test("--no-summary leaves GITHUB_STEP_SUMMARY untouched, and a folder that does not exist is refused before checking out", () => {
    const repo = sumRepo();
    const summary = join(tempDir(), "summary.md");
    const run = runIn(binaryOutsideRepo(), ["compare", "HEAD~1", "HEAD", "--max-time", "2", "--no-summary"], repo, { GITHUB_STEP_SUMMARY: summary }, SLOW);
    expect(run.code).toBe(0);
    expect(existsSync(summary)).toBe(false);
    const refused = runIn(binaryOutsideRepo(), ["compare", "HEAD~1", "HEAD", "--export-gab", "nowhere/x.json"], repo, {}, SLOW);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe("xloop: --export-gab nowhere/x.json: the folder nowhere does not exist");
  }, SLOW);
});

describe("exports of compare --script", () => {
  test("a whole-process comparison exports its command as one benchmark: head's median wall time in ns, the runs' distributions and the paired ratio", () => {
    const script = (ms: number) => `const end = Date.now() + ${ms}; let x = 0; while (Date.now() < end) x++;\n`;
    const repo = repoWith({ "work.js": script(60) }, { "work.js": script(20) });
    const run = runIn(binaryOutsideRepo(), ["compare", "HEAD~1", "HEAD", "--script", "node work.js", "--runs", "3", "--export-csv", "p.csv", "--export-bmf", "p.bmf.json", "--html", "p.html", "--export-json", "p.json"], repo, {}, SLOW);
    expect(run.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(repo, "p.json"), "utf8"));
    expect(doc.mode).toBe("script");
    const bmf = JSON.parse(readFileSync(join(repo, "p.bmf.json"), "utf8"));
    expect(v.safeParse(BmfSchema, bmf).success).toBe(true);
    // No interval on one side's absolute time: the value alone.
    expect(bmf["node work.js"].latency).toEqual({ value: doc.stats.head.wall.median * 1e6 });
    const rows = parseCsv(readFileSync(join(repo, "p.csv"), "utf8"));
    const row = Object.fromEntries(rows[0].map((h, i) => [h, rows[1][i]]));
    expect(row.name).toBe("node work.js");
    expect(Number(row.ratio)).toBe(doc.ratio);
    expect(Number(row.pairs)).toBe(3);
    const html = readFileSync(join(repo, "p.html"), "utf8");
    expect(html).toContain("Each run's wall time");
    expect(html).toContain(`>${doc.verdict}<`);
  }, SLOW);
});

