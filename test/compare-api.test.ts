import { afterAll, describe, expect, test } from "bun:test";
import { DEFAULT_BENCH_GLOB, readBenchGlob } from "../src/compare/config.ts";
import { benchmarkNames } from "../src/compare/exports.ts";
import { globToRegExp } from "../src/compare/glob.ts";
import { compareRevisions } from "../src/compare/suite.ts";
import { UserError } from "../src/errors.ts";
import { git, removeTempFolders, repoWith, revParse, tempFolder, write } from "./fixtures/git-repo.ts";

afterAll(removeTempFolders);

describe("globToRegExp", () => {
  const matches = (glob: string, file: string) => globToRegExp(glob).test(file);

  test("the default suite glob finds bench files at any depth under bench/, in TypeScript and JavaScript", () => {
    expect(matches(DEFAULT_BENCH_GLOB, "bench/parse.bench.ts")).toBe(true);
    expect(matches(DEFAULT_BENCH_GLOB, "bench/deep/er/parse.bench.mjs")).toBe(true);
    expect(matches(DEFAULT_BENCH_GLOB, "bench/parse.bench.js")).toBe(true);
  });

  test("the default suite glob ignores other files and other folders", () => {
    expect(matches(DEFAULT_BENCH_GLOB, "bench/parse.ts")).toBe(false);
    expect(matches(DEFAULT_BENCH_GLOB, "bench/parse.bench.tsx")).toBe(false);
    expect(matches(DEFAULT_BENCH_GLOB, "src/bench/parse.bench.ts")).toBe(false);
    expect(matches(DEFAULT_BENCH_GLOB, "benchmarks/parse.bench.ts")).toBe(false);
  });

  test("a single star stays within a folder, question marks and classes match one character, dots are literal", () => {
    expect(matches("perf/*.perf.js", "perf/a.perf.js")).toBe(true);
    expect(matches("perf/*.perf.js", "perf/x/a.perf.js")).toBe(false);
    expect(matches("perf/?.js", "perf/a.js")).toBe(true);
    expect(matches("perf/[ab].js", "perf/b.js")).toBe(true);
    expect(matches("perf/[!ab].js", "perf/b.js")).toBe(false);
    expect(matches("perf/a.js", "perf/aXjs")).toBe(false);
    expect(matches("./perf/**", "perf/x/y.js")).toBe(true);
  });
});

describe("readBenchGlob", () => {
  test("without .codeflash/config.json, or without the key, the default glob is used", () => {
    const root = tempFolder();
    expect(readBenchGlob(root)).toEqual({ glob: DEFAULT_BENCH_GLOB, source: "default" });
    write(root, ".codeflash/config.json", '{ "targets": {}, "rotateAfter": 3 }');
    expect(readBenchGlob(root).source).toBe("default");
  });

  test("benchGlob in .codeflash/config.json chooses the suite beside the loop's other keys", () => {
    const root = tempFolder();
    write(root, ".codeflash/config.json", '{ "targets": {}, "rotateAfter": 3, "benchGlob": " perf/**/*.perf.ts " }');
    expect(readBenchGlob(root)).toEqual({ glob: "perf/**/*.perf.ts", source: ".codeflash/config.json" });
  });

  test("a misspelt key is a user error naming it, not silently ignored", () => {
    const root = tempFolder();
    write(root, ".codeflash/config.json", '{ "benchGlb": "perf/**" }');
    expect(() => readBenchGlob(root)).toThrow(UserError);
    expect(() => readBenchGlob(root)).toThrow("benchGlb");
  });

  test("a benchGlob that is not a string is a user error naming the file", () => {
    const root = tempFolder();
    write(root, ".codeflash/config.json", '{ "benchGlob": 3 }');
    expect(() => readBenchGlob(root)).toThrow(UserError);
    expect(() => readBenchGlob(root)).toThrow("benchGlob");
  });
});

describe("benchmarkNames", () => {
  test("named zero-argument functions and a default object's functions are benchmarks; helpers with parameters and classes are not", () => {
    const mod = {
      parse: () => 1,
      build: (n: number) => n,
      Parser: class {},
      rows: [1, 2],
      default: { fromDefault: () => 2, parse: () => 3, sized: (n: number) => n },
    };
    expect(benchmarkNames(mod)).toEqual(["parse", "fromDefault"]);
  });

  test("a default-exported function is the benchmark named default", () => {
    expect(benchmarkNames({ default: () => 1 })).toEqual(["default"]);
  });
});

describe("compareRevisions", () => {
  test("a project without a bench suite comes back as no-suite quickly, without checking anything out", async () => {
    const repo = repoWith({ "src/a.ts": "export const a = 1;\n" }, { "src/a.ts": "export const a = 2;\n" });
    const started = Date.now();
    const report = await compareRevisions(repo, "HEAD~1", "HEAD");
    expect(report.kind).toBe("no-suite");
    expect(report.glob).toBe(DEFAULT_BENCH_GLOB);
    expect(report.head.commit).toBe(revParse(repo));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(git(repo, "worktree", "list").trim().split("\n")).toHaveLength(1);
  });

  test("used programmatically it returns each benchmark's ratio, interval and verdict, and the overall geometric mean", async () => {
    const slow = "export function work() { let s = 0; for (let i = 0; i < 3000; i++) s += i % 7; for (let i = 0; i < 3000; i++) s += i % 7; return s; }\n";
    const fast = "export function work() { let s = 0; for (let i = 0; i < 3000; i++) s += i % 7; return s * 2; }\n";
    const repo = repoWith({ "src/work.ts": slow, "bench/work.bench.ts": 'import { work } from "../src/work.ts";\nexport const run = () => work();\n' }, { "src/work.ts": fast });
    const report = await compareRevisions(repo, "HEAD~1", "HEAD", { maxTimeSec: 5 });
    if (report.kind !== "suite") throw new Error("expected a suite report");
    expect(report.benchmarks.map((b) => b.id)).toEqual(["bench/work.bench.ts#run"]);
    const [run] = report.benchmarks;
    expect(run.verdict).toBe("faster");
    expect(run.ratio).toBeLessThan(0.8);
    expect(run.ci[1]).toBeLessThan(1);
    expect(run.speedup).toBeCloseTo(1 / run.ratio, 9);
    expect(report.overall?.speedup).toBeCloseTo(run.speedup, 9);
    expect(report.overall?.verdicts.faster).toBe(1);
    expect(report.failed).toBe(false);
    expect(git(repo, "worktree", "list").trim().split("\n")).toHaveLength(1);
  }, 60_000);

  test("a benchmark new in an existing bench file runs from head's copy beside base's, and one that throws only in head fails on head's side", async () => {
    const repo = repoWith(
      { "bench/mixed.bench.ts": "export const kept = () => [3, 1, 2].sort();\nexport const thrower = () => 1;\n" },
      { "bench/mixed.bench.ts": 'export const kept = () => [3, 1, 2].sort();\nexport const added = () => [1, 2].map((x) => x * 2);\nexport const thrower = () => { throw new Error("broken in head"); };\n' },
    );
    const report = await compareRevisions(repo, "HEAD~1", "HEAD", { maxTimeSec: 2 });
    if (report.kind !== "suite") throw new Error("expected a suite report");
    const byName = Object.fromEntries(report.benchmarks.map((b) => [b.name, b]));
    expect(Object.keys(byName).sort()).toEqual(["added", "kept", "thrower"]);
    expect(byName.kept.baseSource).toBe("base");
    expect(byName.added.baseSource).toBe("head-copy");
    expect(byName.added.failure).toBeNull();
    expect(report.notes.join("\n")).toContain("bench/mixed.bench.ts#added is not in base");
    expect(byName.thrower.failure?.side).toBe("head");
    expect(byName.thrower.failure?.message).toContain("broken in head");
    expect(report.failed).toBe(true);
    expect(report.overall?.benchmarks).toBe(2);
    expect(git(repo, "worktree", "list").trim().split("\n")).toHaveLength(1);
  }, 60_000);
});
