/**
 * Corrupt state: the loop's own files damaged by a crash or a hand edit. Each is named
 * in one line on stderr with the line or field and the fix (exit 2, no stack trace),
 * the damaged file is not rewritten, and the experiment changes nothing else.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { removeTempFolders } from "../fixtures/git-repo.ts";
import { xloop, type CliRun } from "../helpers.ts";
import { commandFor, freshRepo, stateOf } from "./fault-driver.ts";

afterAll(removeTempFolders);

const SLOW = 180_000;

/** The error lines of a run: stderr without xloop's notes. */
function errorLines(run: CliRun): string[] {
  return run.stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("xloop: note:"));
}

function oracleFile(dir: string): string {
  const folder = path.join(dir, ".codeflash/oracle");
  return path.join(folder, readdirSync(folder)[0]!);
}

/**
 * Damages `file` (relative to the repository) with `damage`, runs `args`, and checks the
 * one line, exit 2, and that the repository (the damaged file included) is exactly as
 * the damage left it.
 */
function expectNamed(file: (dir: string) => string, damage: (text: string) => string, args: string[], line: RegExp): void {
  const dir = freshRepo("keep");
  const target = file(dir);
  writeFileSync(target, damage(readFileSync(target, "utf8")));
  const before = stateOf(dir);
  const run = xloop(args, { cwd: dir });
  expect(run.code).toBe(2);
  expect(errorLines(run)).toEqual([expect.stringMatching(line)]);
  expect(run.stderr).not.toContain("    at ");
  expect(stateOf(dir)).toEqual(before);
}

const results = (dir: string) => path.join(dir, ".codeflash/results.tsv");

describe("corrupt state", () => {
  test("a results.tsv whose last row was cut off mid-write names the line and the fix; the experiment does not start", () => {
    expectNamed(results, (text) => text.slice(0, -40), commandFor("keep"), /^xloop: .*\.codeflash\/results\.tsv line 2: the row is cut short \(\d+ of \d+ columns and no line end\): a write was interrupted; complete the row or delete the line$/);
  }, SLOW);

  test("a hand-edited results.tsv names the line and the column's rule", () => {
    expectNamed(results, (text) => text.replace(/\n1\t/, "\none\t"), ["status"], /^xloop: .*results\.tsv line 2: experiment "one" is not a whole number; the experiment column numbers the experiments 1, 2, 3, …$/);
  }, SLOW);

  test("a truncated oracle names its file and says to re-capture it", () => {
    expectNamed(oracleFile, (text) => text.slice(0, 200), commandFor("keep"), /^xloop: .*\.codeflash\/oracle\/price\.ts_total\.[0-9a-f]{8}\.json: the oracle file is corrupt \(.*\); re-capture it with `xloop oracle capture price\.ts#total`$/);
  }, SLOW);

  test("an oracle missing a field names the field", () => {
    expectNamed(oracleFile, (text) => text.replace(/"casesFingerprint":"[0-9a-f]+",/, ""), ["oracle", "verify", "price.ts#total"], /^xloop: .*\.json: the oracle file is corrupt \(casesFingerprint: .*\); re-capture it with `xloop oracle capture price\.ts#total`$/);
  }, SLOW);

  test("an oracle of the older format 1 still verifies (its differences carry a re-capture note)", () => {
    const dir = freshRepo("keep");
    const file = oracleFile(dir);
    writeFileSync(file, readFileSync(file, "utf8").replace('"version":2', '"version":1'));
    const before = readFileSync(file);
    const run = xloop(["oracle", "verify", "price.ts#total"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(readFileSync(file)).toEqual(before);
  }, SLOW);

  test("an oracle from a newer xloop says to upgrade", () => {
    expectNamed(oracleFile, (text) => text.replace('"version":2', '"version":9'), ["oracle", "verify", "price.ts#total"], /^xloop: .*\.json: written by a newer xloop \(format 9, this one reads 2\); upgrade xloop or re-capture$/);
  }, SLOW);

  test("a noise.json with a wrong field names the field and says to rerun xloop noise", () => {
    expectNamed(
      (dir) => {
        const file = path.join(dir, ".codeflash/noise.json");
        writeFileSync(file, JSON.stringify({ version: 1, targets: { "price.ts#total": { floor: "high" } } }));
        return file;
      },
      (text) => text,
      commandFor("keep"),
      /^xloop: .*\.codeflash\/noise\.json: not a noise file this xloop understands \(targets\.price\.ts#total\.[a-z]+: .*\); delete it and rerun `xloop noise`$/i,
    );
  }, SLOW);

  test("a config.json that is not JSON, or has a wrong value, is named with the field", () => {
    const config = (dir: string) => path.join(dir, ".codeflash/config.json");
    expectNamed(config, (text) => text.slice(0, 30), commandFor("keep"), /^xloop: .*\.codeflash\/config\.json is not valid JSON \(.*\); fix it or delete it to use the defaults$/);
    expectNamed(config, (text) => text.replace('"rotateAfter": 3', '"rotateAfter": -3'), commandFor("keep"), /^xloop: .*\.codeflash\/config\.json: rotateAfter: .*$/);
  }, SLOW);

  test("a conventions.md without a ## Guard section lets the experiment go on and says so where the guard would run", () => {
    const dir = freshRepo("keep");
    writeFileSync(path.join(dir, ".codeflash/conventions.md"), "# Conventions\n\nNo guard here.\n");
    const run = xloop(commandFor("keep"), { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\[experiment 2\] Guard: none — .*\.codeflash\/conventions\.md has no ## Guard section; add one holding the command that must pass \(e\.g\. npm test\)\n/);
    expect(readFileSync(path.join(dir, ".codeflash/conventions.md"), "utf8")).toBe("# Conventions\n\nNo guard here.\n");
  }, SLOW);
});
