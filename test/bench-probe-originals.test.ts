import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { binaryOutsideRepo, runIn } from "./helpers.ts";
import { removeTempFolders, tempFolder } from "./fixtures/git-repo.ts";

afterAll(removeTempFolders);

/**
 * A target that refuses any argument but the cases' own object: a probe on copies would
 * show the code objects of other hidden classes than every later call's.
 */
function project(): string {
  const dir = tempFolder("xloop-probe-");
  writeFileSync(join(dir, "cases.mjs"), "export const input = { items: [3, 1, 2] };\nexport const cases = [[input]];\n");
  writeFileSync(
    join(dir, "target.mjs"),
    'import { input } from "./cases.mjs";\nexport function total(x) {\n  if (x !== input) throw new Error("called with a copy of the case");\n  return x.items[0] + x.items[1] + x.items[2];\n}\n',
  );
  writeFileSync(join(dir, "sorter.mjs"), "export function sortInPlace(x) { x.items.sort((a, b) => a - b); return x.items[0]; }\n");
  return dir;
}

describe("the first call, which learns whether a target mutates", () => {
  for (const runtime of ["node", "bun"]) {
    test(`is made on the cases themselves, not on copies (${runtime})`, () => {
      const dir = project();
      const run = runIn(binaryOutsideRepo(), ["bench", "target.mjs#total", "--cases", "cases.mjs#cases", "--json", "--time", "0.1", "--rounds", "2", "--precision", "0", "--runtime", runtime], dir);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout).results[0];
      expect(result.ok).toBe(true);
      expect(result.facts.mutatesArgs).toBe(false);
    });
  }

  test("still finds a target that mutates, which then gets a fresh copy of the original case per call", () => {
    const dir = project();
    const run = runIn(binaryOutsideRepo(), ["bench", "sorter.mjs#sortInPlace", "--cases", "cases.mjs#cases", "--json", "--time", "0.1", "--rounds", "2", "--precision", "0"], dir);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout).results[0];
    expect(result.facts.mutatesArgs).toBe(true);
    expect(result.facts.clonesArgs).toBe(true);
  });
});
