import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, xloop } from "./helpers.ts";
import { removeTempFolders, tempFolder } from "./fixtures/git-repo.ts";

afterAll(removeTempFolders);

/** A target returning a URL per case: `?v=1` for every id, unless `changed` picks ids that get `?v=2`. */
function linkModule(changed = "false"): string {
  return [
    "export function link(id: number): URL {",
    `  const v = ${changed} ? 2 : 1;`,
    "  return new URL(`https://a.example/items/${id}?v=${v}`);",
    "}",
    "export const cases = Array.from({ length: 12 }, (_, id) => [id]);",
    "",
  ].join("\n");
}

/** A folder outside the repository holding links.ts. */
function project(changed?: string): string {
  const dir = tempFolder("xloop-builtins-cli-");
  writeFileSync(join(dir, "links.ts"), linkModule(changed));
  return dir;
}

/** The options that run the target on `runtime`; Deno is this repository's, not one on PATH. */
function onRuntime(runtime: string): string[] {
  return runtime === "deno" ? ["--runtime", "deno", "--runtime-path", join(repoRoot, "node_modules/.bin/deno")] : ["--runtime", runtime];
}

function oracleFile(dir: string): string {
  return join(dir, ".codeflash/oracle", readdirSync(join(dir, ".codeflash/oracle"))[0]!);
}

describe("xloop oracle on built-ins", () => {
  for (const runtime of ["bun", "node", "deno"]) {
    test(`a target returning a URL verifies as identical on ${runtime}, and a different URL is reported`, () => {
      const dir = project();
      const capture = xloop(["oracle", "capture", "links.ts#link", "--cases", "links.ts#cases", ...onRuntime(runtime)], { cwd: dir });
      expect(capture.stderr).toBe("");
      expect(capture.code).toBe(0);
      const stored = JSON.parse(readFileSync(oracleFile(dir), "utf8"));
      expect(stored.nondeterministic).toEqual([]);
      expect(stored.records[3].value).toEqual({ t: "serialized", kind: "URL", v: "https://a.example/items/3?v=1" });
      const same = xloop(["oracle", "verify", "links.ts#link", ...onRuntime(runtime)], { cwd: dir });
      expect(same.code).toBe(0);
      expect(same.stdout).toContain("identical (12 cases)");

      writeFileSync(join(dir, "links.ts"), linkModule("id === 3"));
      const changed = xloop(["oracle", "verify", "links.ts#link", ...onRuntime(runtime)], { cwd: dir });
      expect(changed.code).toBe(5);
      expect(changed.stdout).toContain("DIFFERENT in 1 of 12 cases");
      expect(changed.stdout).toContain(
        "case 3 return: URL(https://a.example/items/3?v=1) (original) vs URL(https://a.example/items/3?v=2) (now)  — different URLs",
      );
    });
  }

  test("--json lists every differing case in differingCases, beyond --limit", () => {
    const dir = project();
    expect(xloop(["oracle", "capture", "links.ts#link", "--cases", "links.ts#cases", "--runtime", "bun"], { cwd: dir }).code).toBe(0);
    writeFileSync(join(dir, "links.ts"), linkModule("id % 3 === 1"));
    const verify = xloop(["oracle", "verify", "links.ts#link", "--json", "--limit", "2", "--runtime", "bun"], { cwd: dir });
    expect(verify.code).toBe(5);
    const report = JSON.parse(verify.stdout);
    expect(report.differences.map((d: { case: number }) => d.case)).toEqual([1, 4]);
    expect(report.differingCases).toEqual([1, 4, 7, 10]);
    expect(report.casesDiffering).toBe(4);
    expect(report.totalDifferences).toBe(4);
  });

  test("an identical verification lists no differing case", () => {
    const dir = project();
    expect(xloop(["oracle", "capture", "links.ts#link", "--cases", "links.ts#cases", "--runtime", "bun"], { cwd: dir }).code).toBe(0);
    const report = JSON.parse(xloop(["oracle", "verify", "links.ts#link", "--json", "--runtime", "bun"], { cwd: dir }).stdout);
    expect(report.equal).toBe(true);
    expect(report.differingCases).toEqual([]);
  });

  test("an oracle of format 1, which stored URLs as unknown, still loads and reports them as different with a hint", () => {
    const dir = project();
    expect(xloop(["oracle", "capture", "links.ts#link", "--cases", "links.ts#cases", "--runtime", "bun"], { cwd: dir }).code).toBe(0);
    const file = oracleFile(dir);
    const stored = JSON.parse(readFileSync(file, "utf8"));
    expect(stored.version).toBe(2);
    // What xloop wrote before it read URLs: the same file, format 1, every URL unknown.
    stored.version = 1;
    for (const record of stored.records) record.value = { t: "unknown", tag: "URL" };
    writeFileSync(file, JSON.stringify(stored));
    const verify = xloop(["oracle", "verify", "links.ts#link", "--runtime", "bun"], { cwd: dir });
    expect(verify.code).toBe(5);
    expect(verify.stdout).toContain("DIFFERENT in 12 of 12 cases");
    expect(verify.stdout).toContain("case 0 return: [URL (not comparable)] (original) vs URL(https://a.example/items/0?v=1) (now)");
    expect(verify.stdout).toContain("re-capture the oracle");
    expect(verify.stderr).toContain("captured by an older xloop (format 1)");
    expect(verify.stderr.trim().split("\n")).toHaveLength(1);
    // Cases holding built-ins were fingerprinted by the old encoding too: the error says that may be why they differ.
    writeFileSync(file, JSON.stringify({ ...stored, casesFingerprint: "0".repeat(64) }));
    const refingerprinted = xloop(["oracle", "verify", "links.ts#link", "--runtime", "bun"], { cwd: dir });
    expect(refingerprinted.code).toBe(2);
    expect(refingerprinted.stderr).toContain("or the older xloop that captured it (format 1) encoded them differently");
    // Re-capturing writes the current format, and the same code verifies as identical again.
    expect(xloop(["oracle", "capture", "links.ts#link", "--cases", "links.ts#cases", "--runtime", "bun"], { cwd: dir }).code).toBe(0);
    expect(xloop(["oracle", "verify", "links.ts#link", "--runtime", "bun"], { cwd: dir }).code).toBe(0);
  });
});
