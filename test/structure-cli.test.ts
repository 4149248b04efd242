import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { binaryOutsideRepo, runIn, tempDir } from "./helpers.ts";

/** A project whose import costs are known: a 30 ms top level behind a barrel, a cycle, a package. */
function project(): string {
  const dir = tempDir("xloop-imports-");
  const busy = (ms: number) => `const t0 = performance.now(); while (performance.now() - t0 < ${ms}) {}\n`;
  writeFileSync(join(dir, "slow.ts"), `import { a } from "./a.ts";\n${busy(30)}export const slow = a;\n`);
  writeFileSync(join(dir, "a.ts"), `import { b } from "./b.ts";\nexport const a = () => b;\n`);
  writeFileSync(join(dir, "b.ts"), `import { a } from "./a.ts";\nexport const b = 2;\nexport const useA = () => a;\n`);
  writeFileSync(join(dir, "index.ts"), `export { slow } from "./slow.ts";\nexport { a } from "./a.ts";\nexport { b } from "./b.ts";\n`);
  writeFileSync(join(dir, "lazy.ts"), `export const later = 1;\n`);
  mkdirSync(join(dir, "node_modules/fake-pkg"), { recursive: true });
  writeFileSync(join(dir, "node_modules/fake-pkg/package.json"), `{"name":"fake-pkg","main":"index.js"}\n`);
  writeFileSync(join(dir, "node_modules/fake-pkg/index.js"), `${busy(15)}exports.pkg = 1;\n`);
  writeFileSync(join(dir, "main.ts"), `import { slow } from "./index.ts";\nimport { a } from "./a.ts";\nimport pkg from "fake-pkg";\nexport const main = async () => slow + a() + pkg.pkg + (await import("./lazy.ts")).later;\n`);
  for (const ms of [10, 20]) writeFileSync(join(dir, `entry${ms}.mjs`), `${busy(ms)}export const x = 1;\n`);
  writeFileSync(join(dir, "entry10-copy.mjs"), `${busy(10)}export const x = 1;\n`);
  writeFileSync(join(dir, "throws.mjs"), `throw new Error("no config file");\n`);
  return dir;
}

const dir = project();

describe("xloop imports", () => {
  for (const runtime of ["node", "bun"]) {
    test(`on ${runtime}: the module with 30 ms of top-level work is measured near 30 ms of its own, and the barrel, the cycle, the package and the lazy import are reported`, () => {
      const run = runIn(binaryOutsideRepo(), ["imports", "main.ts", "--runs", "5", "--json", "--runtime", runtime], dir);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const doc = JSON.parse(run.stdout);
      expect(doc.command).toBe("imports");
      expect(doc.runs).toBe(5);
      const byName = Object.fromEntries(doc.modules.map((m: any) => [m.name, m]));
      expect(byName["slow.ts"].self.median).toBeGreaterThan(28);
      expect(byName["slow.ts"].self.median).toBeLessThan(60);
      // The entry's import includes the slow module and the package.
      expect(doc.total.median).toBeGreaterThan(byName["slow.ts"].self.median + 10);
      expect(byName["main.ts"].cumulative.median).toBeGreaterThanOrEqual(byName["index.ts"].cumulative.median);
      expect(byName["index.ts"].barrel).toBe(true);
      expect(byName["fake-pkg"].isPackage).toBe(true);
      expect(byName["fake-pkg"].self.median).toBeGreaterThan(12);
      expect(byName["lazy.ts"].self).toBeNull();
      expect(byName["main.ts"].lazyImports).toEqual(["lazy.ts"]);
      expect(byName["a.ts"].highFanIn).toBe(true);
      expect(doc.cycles).toEqual([["a.ts", "b.ts"]]);
      expect(doc.hints.some((h: string) => h.startsWith("top-level work: slow.ts"))).toBe(true);
      expect(doc.hints.some((h: string) => h.startsWith("heavy eager import: package fake-pkg"))).toBe(true);
      // Sorted by cumulative time, largest first.
      const cumulative = doc.modules.filter((m: any) => m.cumulative).map((m: any) => m.cumulative.median);
      expect([...cumulative].sort((x, y) => y - x)).toEqual(cumulative);
    });
  }

  test("the table shows self and cumulative per module, the cycle and the hints", () => {
    const run = runIn(binaryOutsideRepo(), ["imports", "main.ts", "--runs", "3"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^main\.ts: [\d.]+ ms to import \[95% CI/);
    expect(run.stdout).toMatch(/module\s+self ms \[95% CI\]\s+cumulative ms \[95% CI\]/);
    expect(run.stdout).toMatch(/index\.ts .* barrel/);
    expect(run.stdout).toMatch(/cycle: a\.ts -> b\.ts -> a\.ts/);
    expect(run.stdout).toMatch(/hint: top-level work: slow\.ts/);
  });

  test("a missing entry is one line and exit 2; a module that throws at import is one line and exit 3", () => {
    const missing = runIn(binaryOutsideRepo(), ["imports", "nope.ts", "--runs", "3"], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe("xloop: nope.ts: no such file; give the path of the module whose imports to measure, e.g. xloop imports src/index.ts");
    const throws = runIn(binaryOutsideRepo(), ["imports", "throws.mjs", "--runs", "3"], dir);
    expect(throws.code).toBe(3);
    expect(throws.stderr.trim()).toBe("xloop: throws.mjs: could not be imported: no config file");
  });
});

describe("xloop ab --domain structure", () => {
  test("an entry with twice the import work is called slower, its reverse faster, in the JSON", () => {
    const run = runIn(binaryOutsideRepo(), ["ab", "--domain", "structure", "entry10.mjs", "entry20.mjs", "--json", "--max-time", "30"], dir);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.domain).toBe("structure");
    expect(doc.unit).toBe("ms");
    expect(doc.verdict).toBe("slower");
    expect(doc.ratio).toBeGreaterThan(1.3);
    expect(doc.threshold).toBe(0.03);
    expect(doc.head.median).toBeGreaterThan(doc.base.median);
    const reverse = runIn(binaryOutsideRepo(), ["ab", "--domain", "structure", "entry20.mjs", "entry10.mjs", "--expect", "faster", "--max-time", "30"], dir);
    expect(reverse.code).toBe(0);
    expect(reverse.stdout).toMatch(/import time of the entry in a fresh process \(structure\)/);
  });

  test("the same import cost on both sides is never called faster or slower", () => {
    const run = runIn(binaryOutsideRepo(), ["ab", "--domain", "structure", "entry10.mjs", "entry10-copy.mjs", "--json", "--threshold", "0.1", "--max-time", "15"], dir);
    expect(run.code).toBe(0);
    expect(["same", "inconclusive"]).toContain(JSON.parse(run.stdout).verdict);
  });

  test("a target with #export is refused with a line saying to give module paths", () => {
    const run = runIn(binaryOutsideRepo(), ["ab", "--domain", "structure", "entry10.mjs#x", "entry20.mjs"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/give module paths without #export/);
  });
});
