import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeTempFolders, repoWith } from "./fixtures/git-repo.ts";
import { decodePng, inkAndColours } from "./fixtures/png.ts";
import { sumSource } from "./fixtures/sum-kernel.ts";
import { chromium, keep, pageText, screenshot } from "./fixtures/chromium.ts";
import { binaryOutsideRepo, runIn, tempDir } from "./helpers.ts";

const SLOW = 180_000;
afterAll(removeTempFolders);

const kernels = "export function f(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }\nexport function g(n) { let s = 0; for (let i = 0; i < n * 2; i++) s += i % 7; return s; }\n";

if (!chromium.path) console.warn(`html-report-chromium: skipped: ${chromium.why}`);

describe.skipIf(!chromium.path)("HTML reports in headless Chromium", () => {
  const reports: Record<string, { file: string; verdicts: string[]; names: string[] }> = {};
  beforeAll(() => {
    const dir = tempDir();
    writeFileSync(join(dir, "k.mjs"), kernels);
    const bench = runIn(binaryOutsideRepo(), ["bench", "k.mjs#f", "k.mjs#g", "--args", "[1000]", "--time", "0.1", "--rounds", "2", "--precision", "0", "--html", "bench.html"], dir, {}, SLOW);
    expect(bench.code).toBe(0);
    reports.bench = { file: join(dir, "bench.html"), verdicts: [], names: ["k.mjs#f", "k.mjs#g"] };
    const ab = runIn(binaryOutsideRepo(), ["ab", "k.mjs#f", "k.mjs#g", "--args", "[1000]", "--round-time", "0.05", "--min-rounds", "3", "--max-time", "3", "--html", "ab.html", "--json"], dir, {}, SLOW);
    expect(ab.code).toBe(0);
    reports.ab = { file: join(dir, "ab.html"), verdicts: [JSON.parse(ab.stdout).verdict], names: ["k.mjs#g"] };
    const repo = repoWith(
      { "src/sum.ts": sumSource(false), "bench/sum.bench.ts": 'import { total } from "../src/sum.ts";\nexport function sum() { return total(); }\nexport function same() { return 42; }\n' },
      { "src/sum.ts": sumSource(true) },
    );
    const compare = runIn(binaryOutsideRepo(), ["compare", "HEAD~1", "HEAD", "--max-time", "3", "--html", "compare.html", "--json"], repo, {}, SLOW);
    expect(compare.code).toBe(0);
    const doc = JSON.parse(compare.stdout);
    reports.compare = { file: join(repo, "compare.html"), verdicts: doc.benchmarks.map((b: { verdict: string }) => b.verdict), names: doc.benchmarks.map((b: { id: string }) => b.id) };
  }, SLOW);

  for (const kind of ["bench", "ab", "compare"]) {
    test(`the ${kind} report renders to a picture that is not blank, and its text names the targets and verdicts`, () => {
      const report = reports[kind];
      const text = pageText(report.file);
      expect(text).toContain(`xloop ${kind}`);
      for (const name of report.names) expect(text).toContain(name);
      for (const verdict of report.verdicts) expect(text).toContain(verdict);
      const png = screenshot(report.file, `${report.file}.png`);
      keep(png, `${kind}.png`);
      const pixels = decodePng(readFileSync(png));
      expect(pixels.width).toBe(1000);
      const { ink, colours } = inkAndColours(pixels);
      // Text, table lines and pictures: a blank or failed page is all white (or one colour).
      expect(ink).toBeGreaterThan(0.01);
      expect(colours).toBeGreaterThan(20);
    }, SLOW);
  }
});
