import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { binaryOutsideRepo, runIn } from "./helpers.ts";
import { removeTempFolders, tempFolder } from "./fixtures/git-repo.ts";

afterAll(removeTempFolders);

/** A TypeScript project of the kinds Node users have, measured with --runtime node. */
function tsProject(packageJson: object): string {
  const dir = tempFolder("xloop-ts-node-");
  writeFileSync(join(dir, "package.json"), JSON.stringify(packageJson));
  writeFileSync(join(dir, "words.ts"), "export const upper = (s: string): string => s.toUpperCase();\n");
  writeFileSync(join(dir, "count.ts"), "export function count(s: string): number { return s.length; }\n");
  writeFileSync(
    join(dir, "target.ts"),
    [
      'import { upper } from "./words";', // extensionless, as bundlers and tsx allow
      'import { count } from "./count.js";', // TypeScript's own convention for count.ts
      "interface Shout { text: string; n: number }",
      "export function shout(s: string): Shout { return { text: upper(s), n: count(s) }; }",
      'export function where(): string { return require("node:path").basename(__dirname) + "/" + require("node:path").basename(__filename); }',
    ].join("\n"),
  );
  writeFileSync(join(dir, "legacy.ts"), "const api = { twice(n: number): number { return 2 * n; } };\nexport = api;\n");
  return dir;
}

function xl(args: string[], cwd: string) {
  return runIn(binaryOutsideRepo(), [...args, "--runtime", "node"], cwd);
}

describe("TypeScript on Node", () => {
  for (const [kind, manifest] of [["an ESM", { type: "module" }], ["a CommonJS", {}]] as const) {
    test(`${kind} package's TypeScript loads in fresh workers with every copy, resolving ./a and ./a.js to a.ts`, () => {
      const dir = tsProject(manifest);
      const bench = xl(["bench", "target.ts#shout", "--args", '["hello"]', "--json", "--time", "0.1", "--rounds", "2", "--precision", "0"], dir);
      expect(bench.stderr).toBe("");
      expect(bench.code).toBe(0);
      const doc = JSON.parse(bench.stdout);
      expect(doc.runtime.name).toBe("node");
      expect(doc.results[0].ok).toBe(true);
      expect(doc.results[0].facts.copies).toEqual({ asked: 4, made: 4 });
    });
  }

  test("a CommonJS package's TypeScript keeps require, __dirname and __filename", () => {
    const dir = tsProject({});
    expect(xl(["oracle", "capture", "target.ts#where"], dir).code).toBe(0);
    const verify = xl(["oracle", "verify", "target.ts#where", "--json"], dir);
    expect(verify.code).toBe(0);
    const stored = runIn("sh", ["-c", "cat .codeflash/oracle/target.ts_where.*.json"], dir).stdout;
    expect(JSON.parse(stored).records[0].value).toMatch(/^xloop-ts-node-\w+\/target\.ts$/);
  });

  test("`export =`, which ESM cannot express, still loads (through tsx)", () => {
    const dir = tsProject({});
    const capture = xl(["oracle", "capture", "legacy.ts#twice", "--args", "[21]"], dir);
    expect(capture.stdout).toContain("captured 1 cases");
    expect(capture.code).toBe(0);
  });
});
