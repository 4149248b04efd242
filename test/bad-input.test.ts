/**
 * The bad-input corpus: user mistakes across every command, each through the real
 * binary run from outside the repository. Each must end with the exit code the README
 * promises, one line on stderr that names the input and what to do, no stack trace —
 * and nothing written that was not asked for.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commit, git, initRepo, removeTempFolders, repoWith, tempFolder } from "./fixtures/git-repo.ts";
import { binaryOutsideRepo, runIn } from "./helpers.ts";

afterAll(removeTempFolders);

const lib = `export function sum(xs) { let s = 0; for (const x of xs) s += x; return s; }\nexport const notAFunction = 3;\n`;
const cases = `export const cases = [[[1, 2, 3]], [[4, 5]]];\nexport const notAnArray = { a: 1 };\n`;

interface Places {
  /** A committed project with `.codeflash/` (xloop init). */
  project: string;
  /** A folder that is not a git repository. */
  plain: string;
  /** A repository without commits. */
  empty: string;
  /** A repository on a detached HEAD. */
  detached: string;
}

interface Mistake {
  what: string;
  where: keyof Places;
  args: string[];
  code: number;
  /** Words the one stderr line must hold: the input it names, and the way out. */
  says: (string | RegExp)[];
  /** Runs before the command (e.g. writes a broken file). */
  before?: (dir: string) => void;
}

const T = "src/lib.js#sum";
const mistakes: Mistake[] = [
  // Option values and units
  { what: "a negative --time", where: "project", args: ["bench", T, "--args", "[[1]]", "--time", "-1"], code: 2, says: ["--time", "-1"] },
  { what: "--time with an unknown unit", where: "project", args: ["bench", T, "--args", "[[1]]", "--time", "3parsecs"], code: 2, says: ["--time", "3parsecs"] },
  { what: "a negative --rounds", where: "project", args: ["bench", T, "--args", "[[1]]", "--rounds", "-3"], code: 2, says: ["--rounds", "at least 1"] },
  { what: "a fractional --rounds", where: "project", args: ["bench", T, "--args", "[[1]]", "--rounds", "2.5"], code: 2, says: ["--rounds", "whole number"] },
  { what: "--workers of zero", where: "project", args: ["bench", T, "--args", "[[1]]", "--workers", "0"], code: 2, says: ["--workers"] },
  { what: "--timeout that is not a duration", where: "project", args: ["bench", T, "--args", "[[1]]", "--timeout", "soon"], code: 2, says: ["--timeout", "soon"] },
  { what: "--max-memory below zero", where: "project", args: ["bench", T, "--args", "[[1]]", "--max-memory", "-5"], code: 2, says: ["--max-memory"] },
  { what: "--args that is not JSON", where: "project", args: ["bench", T, "--args", "[1"], code: 2, says: ["--args", "not valid JSON"] },
  { what: "--args that is not an array", where: "project", args: ["bench", T, "--args", '{"a":1}'], code: 2, says: ["--args", "array"] },
  { what: "an unknown option", where: "project", args: ["bench", T, "--frobnicate"], code: 2, says: ["frobnicate", "xloop --help"] },
  { what: "an unknown command", where: "project", args: ["benhc", T], code: 2, says: ["benhc", "xloop --help"] },
  { what: "an unknown --runtime", where: "project", args: ["bench", T, "--args", "[[1]]", "--runtime", "python"], code: 2, says: ["--runtime", "python", "node, bun, deno"] },
  { what: "a --runtime-path that is no executable", where: "project", args: ["bench", T, "--args", "[[1]]", "--runtime-path", "/no/such/node"], code: 2, says: ["--runtime-path", "/no/such/node"] },
  { what: "ab --expect with an unknown verdict", where: "project", args: ["ab", T, T, "--args", "[[1]]", "--expect", "quicker"], code: 2, says: ["--expect", "quicker"] },
  { what: "ab --domain that does not exist", where: "project", args: ["ab", T, T, "--args", "[[1]]", "--domain", "gpu"], code: 2, says: ["gpu", "cpu, memory, async, structure"] },
  { what: "ab --threshold below zero", where: "project", args: ["ab", T, T, "--args", "[[1]]", "--threshold", "-1"], code: 2, says: ["--threshold"] },
  // Targets and their files
  { what: "a target without #export", where: "project", args: ["bench", "src/lib.js", "--args", "[[1]]"], code: 2, says: ["src/lib.js", "path#export"] },
  { what: "a target file that does not exist", where: "project", args: ["bench", "src/nope.js#sum", "--args", "[[1]]"], code: 2, says: ["src/nope.js", "not found"] },
  { what: "an export that does not exist", where: "project", args: ["bench", "src/lib.js#nope", "--args", "[[1]]"], code: 2, says: ["nope", "exports: notAFunction, sum"] },
  { what: "an export that is not a function", where: "project", args: ["bench", "src/lib.js#notAFunction"], code: 2, says: ["notAFunction", "not a function"] },
  { what: "cases that are not an array", where: "project", args: ["bench", T, "--cases", "src/cases.js#notAnArray"], code: 2, says: ["notAnArray", "array"] },
  { what: "a cases file that does not exist", where: "project", args: ["bench", T, "--cases", "src/none.js#cases"], code: 2, says: ["src/none.js"] },
  { what: "ab with an odd number of targets", where: "project", args: ["ab", T], code: 2, says: ["pairs", "base then head"] },
  { what: "noise without a target", where: "project", args: ["noise"], code: 2, says: ["noise", "target"] },
  { what: "oracle with an unknown action", where: "project", args: ["oracle", "store", T], code: 2, says: ["store", "oracle capture"] },
  { what: "oracle verify before any capture", where: "project", args: ["oracle", "verify", T, "--cases", "src/cases.js#cases"], code: 2, says: ["oracle", "capture"] },
  // Refs and repositories
  { what: "compare against a ref that does not exist", where: "project", args: ["compare", "nope", "HEAD"], code: 2, says: ["nope", "not a commit"] },
  { what: "compare in a folder that is not a repository", where: "plain", args: ["compare"], code: 2, says: ["git"] },
  { what: "compare in a repository without commits", where: "empty", args: ["compare"], code: 2, says: ["commit"] },
  { what: "status outside a repository", where: "plain", args: ["status"], code: 2, says: ["git"] },
  { what: "status before xloop init", where: "empty", args: ["status"], code: 2, says: ["xloop init"] },
  { what: "history in a repository without commits", where: "empty", args: ["history"], code: 2, says: ["init"] },
  { what: "history -n that is not a number", where: "project", args: ["history", "-n", "many"], code: 2, says: ["--commits", "many"] },
  { what: "experiment on a detached HEAD", where: "detached", args: ["experiment", T, "--args", "[[1]]", "--pattern", "data-structure", "-m", "x"], code: 2, says: ["detached", "branch"], before: (dir) => writeFileSync(join(dir, "src/lib.js"), lib.replace("let s = 0", "let s = 0 ")) },
  { what: "experiment with nothing changed", where: "project", args: ["experiment", T, "--args", "[[1]]", "--pattern", "data-structure", "-m", "x"], code: 2, says: ["change"] },
  { what: "experiment --pattern outside the rotation", where: "project", args: ["experiment", T, "--args", "[[1]]", "--pattern", "fastr", "-m", "x"], code: 2, says: ["fastr"], before: (dir) => writeFileSync(join(dir, "src/lib.js"), lib.replace("let s = 0", "let s = 0 ")) },
  { what: "init again without --force", where: "project", args: ["init"], code: 2, says: ["--force"] },
  { what: "escalate without --to", where: "project", args: ["escalate", "--signal", "heap grows"], code: 2, says: ["--to"] },
  { what: "escalate to an unknown domain", where: "project", args: ["escalate", "--to", "gpu", "--signal", "x"], code: 2, says: ["gpu"] },
  { what: "domain that does not exist", where: "project", args: ["domain", "gpu"], code: 2, says: ["gpu", "cpu"] },
  { what: "target with an unknown action", where: "project", args: ["target", "finish", T], code: 2, says: ["finish", "done"] },
  // Corrupt state
  { what: "a results.tsv with a torn row", where: "project", args: ["status"], code: 2, says: ["results.tsv", /line \d+/, "fill missing cells"], before: (dir) => writeFileSync(join(dir, ".codeflash/results.tsv"), `${readFileSync(join(dir, ".codeflash/results.tsv"), "utf8")}7\tkeep\n`) },
  { what: "a config.json that is not JSON", where: "project", args: ["status"], code: 2, says: ["config.json"], before: (dir) => writeFileSync(join(dir, ".codeflash/config.json"), "{ runtime: node") },
  { what: "a config.json with an unknown runtime", where: "project", args: ["bench", T, "--args", "[[1]]"], code: 2, says: ["config.json", "runtime"], before: (dir) => writeFileSync(join(dir, ".codeflash/config.json"), '{"runtime": "python"}') },
  { what: "a bottlenecks.json that is not JSON", where: "project", args: ["targets"], code: 2, says: ["bottlenecks.json", "profile"], before: (dir) => writeFileSync(join(dir, ".codeflash/bottlenecks.json"), "{") },
  // More refs, empty repositories, the change's files, units (issue 28)
  { what: "compare with a head ref that does not exist", where: "project", args: ["compare", "HEAD", "nope"], code: 2, says: ["nope", "not a commit"] },
  { what: "compare --script against a ref that does not exist", where: "project", args: ["compare", "v9.9.9", "HEAD", "--script", "true"], code: 2, says: ["v9.9.9", "not a commit"] },
  { what: "compare against a ref past the first commit", where: "project", args: ["compare", "HEAD~5", "HEAD", "--script", "true"], code: 2, says: ["HEAD~5", "not a commit"] },
  { what: "compare --domain against a ref that does not exist", where: "project", args: ["compare", "nope", "HEAD", "--domain", "structure", "--target", "src/lib.js"], code: 2, says: ["nope", "not a commit"] },
  { what: "compare with --runs below one", where: "project", args: ["compare", "HEAD", "HEAD", "--script", "true", "--runs", "-2"], code: 2, says: ["--runs"] },
  { what: "compare --max-time with an unknown unit", where: "project", args: ["compare", "HEAD", "HEAD", "--max-time", "5parsecs"], code: 2, says: ["--max-time", "5parsecs"] },
  { what: "bench --warmup with an unknown unit", where: "project", args: ["bench", T, "--args", "[[1]]", "--warmup", "3x"], code: 2, says: ["--warmup", "3x"] },
  { what: "bench --slice with an unknown unit", where: "project", args: ["bench", T, "--args", "[[1]]", "--slice", "2furlongs"], code: 2, says: ["--slice", "2furlongs"] },
  { what: "a target path starting with a dash", where: "project", args: ["bench", "-lib.js#sum", "--args", "[[1]]"], code: 2, says: ["-lib.js#sum", "./-lib.js#sum"] },
  { what: "experiment in a repository without commits", where: "empty", args: ["experiment", T, "--args", "[[1]]", "--pattern", "data-structure", "-m", "x"], code: 2, says: ["commit"] },
  { what: "baseline in a repository without commits or init", where: "empty", args: ["baseline", T, "--args", "[[1]]"], code: 2, says: [".codeflash", "xloop init"] },
  { what: "milestone in a repository without commits", where: "empty", args: ["milestone"], code: 2, says: ["commit"] },
  { what: "recover outside a repository", where: "plain", args: ["recover"], code: 2, says: ["git"] },
  { what: "experiment --files naming a file without a change", where: "project", args: ["experiment", T, "--args", "[[1]]", "--pattern", "data-structure", "-m", "x", "--files", "src/cases.js"], code: 2, says: ["--files", "src/cases.js", "no change"], before: (dir) => writeFileSync(join(dir, "src/lib.js"), lib.replace("let s = 0", "let s = 0 ")) },
  { what: "experiment --rework when the last experiment did not fail its guard", where: "project", args: ["experiment", T, "--args", "[[1]]", "--pattern", "data-structure", "-m", "x", "--rework"], code: 2, says: ["--rework", "without --rework"], before: (dir) => writeFileSync(join(dir, "src/lib.js"), lib.replace("let s = 0", "let s = 0 ")) },
  { what: "a results.tsv whose last row was cut off mid-write", where: "project", args: ["status"], code: 2, says: ["results.tsv", /line \d+/, "cut short"], before: (dir) => writeFileSync(join(dir, ".codeflash/results.tsv"), `${readFileSync(join(dir, ".codeflash/results.tsv"), "utf8")}7\tkeep`) },
  { what: "a journal that is not JSON", where: "project", args: ["recover"], code: 2, says: ["journal.json", "delete"], before: (dir) => writeFileSync(join(dir, ".codeflash/journal.json"), "{") },
  // Profile
  { what: "profile with no workload", where: "project", args: ["profile"], code: 2, says: ["profile", "--"] },
  { what: "profile of a command that does not exist", where: "project", args: ["profile", "--", "no-such-tool-xloop"], code: 2, says: ["no-such-tool-xloop"] },
  { what: "imports of an entry that does not exist", where: "project", args: ["imports", "src/none.js"], code: 2, says: ["src/none.js"] },
];

describe("user mistakes get one clear line, the promised exit code, and no stack trace", () => {
  const places = {} as Places;
  beforeAll(() => {
    places.project = repoWith({ "src/lib.js": lib, "src/cases.js": cases, "package.json": '{"type":"module"}' });
    expect(runIn(binaryOutsideRepo(), ["init"], places.project).code).toBe(0);
    commit(places.project, { ".codeflash/.keep": "" }, "init xloop");
    places.plain = tempFolder("xloop-bad-plain-");
    places.empty = initRepo(tempFolder("xloop-bad-empty-"));
    places.detached = repoWith({ "src/lib.js": lib, "package.json": '{"type":"module"}' }, { "src/lib.js": `${lib}\n` });
    git(places.detached, "checkout", "-q", "--detach", "HEAD~1");
    expect(runIn(binaryOutsideRepo(), ["init"], places.detached).code).toBe(0);
  });

  test("the corpus holds at least 40 mistakes across the commands", () => {
    expect(mistakes.length).toBeGreaterThanOrEqual(40);
    expect(new Set(mistakes.map((m) => m.args[0])).size).toBeGreaterThanOrEqual(15);
  });

  for (const mistake of mistakes) {
    test(`${mistake.what}: exit ${mistake.code}`, () => {
      const dir = mistake.before ? copyOf(places[mistake.where]) : places[mistake.where];
      mistake.before?.(dir);
      const run = runIn(binaryOutsideRepo(), mistake.args, dir, {}, 60_000);
      const lines = run.stderr.trim().split("\n").filter((l) => l.trim() !== "");
      expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: mistake.code });
      expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(lines.filter((l) => l.startsWith("xloop:")).length).toBe(1);
      for (const word of mistake.says) expect(run.stderr).toMatch(word);
    });
  }
});

/** A copy of a repository (its working tree and .git), for a mistake that changes files. */
function copyOf(dir: string): string {
  const copy = tempFolder("xloop-bad-copy-");
  require("node:fs").cpSync(dir, copy, { recursive: true });
  return copy;
}
