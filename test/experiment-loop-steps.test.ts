/**
 * The steps of docs/loop.md that issue 31 added, through the real compiled binary on real
 * temporary git repositories: the config audit after a KEEP, guard files an experiment
 * may not change, the guard on HEAD plus exactly the change, the cases' coverage of the
 * changed lines, the record's target states and the plateau stop they make reachable,
 * the rotation check of --pattern and the checklist's answers.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { newRow, type ResultRow } from "../src/record/columns.ts";
import { appendResult } from "../src/record/results-tsv.ts";
import { git, removeTempFolders, repoWith } from "./fixtures/git-repo.ts";
import { casesSource, fastPrice, slowPrice } from "./fixtures/loop-repo.ts";
import { xloop } from "./helpers.ts";

afterAll(removeTempFolders);

// The loop's flow is the subject here, not the measurement: 1 ms slices keep each comparison
// of the 6-case fixture about as short as its --round-time (lengthened slices have their own tests).
const speed = ["--round-time", "0.15", "--max-time", "15", "--slice", "1ms"];

/** A committed project with `.codeflash/` (its guard given) and a baseline of price.ts#total. */
function project(files: Record<string, string>, guard = "true"): string {
  const dir = repoWith({ "price.ts": slowPrice, "cases.ts": casesSource, ...files });
  expect(xloop(["init", "--guard", guard], { cwd: dir }).code).toBe(0);
  const baseline = xloop(["baseline", "price.ts#total", "--cases", "cases.ts#cases", "--time", "0.2", "--rounds", "3", "--slice", "1ms"], { cwd: dir });
  expect(baseline.stderr).toContain("[baseline]");
  expect(baseline.code).toBe(0);
  return dir;
}

function rows(dir: string): string[][] {
  return readFileSync(join(dir, ".codeflash/results.tsv"), "utf8").trim().split("\n").slice(1).map((l) => l.split("\t"));
}

describe("config audit after a KEEP", () => {
  test("a KEEP that removes the only reader of an environment variable and an option lists both where they are still set, and edits nothing", () => {
    const before = slowPrice.replace(
      "  let sum = 0;",
      "  const legacy = process.env.PRICE_LEGACY_SCAN === \"1\";\n  const limit = options.scanLimit ?? Infinity;\n  let sum = 0;",
    ).replace("catalog: string[])", "catalog: string[], options: { scanLimit?: number } = {})");
    const env = "PRICE_LEGACY_SCAN=1\nPORT=8080\n";
    const config = `{ "scanLimit": 50, "port": 8080 }\n`;
    const dir = project({ "price.ts": before, ".env.example": env, "settings.json": config, "server.ts": "export const port = process.env.PORT;\n" });
    writeFileSync(join(dir, "price.ts"), fastPrice);
    const run = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "index catalog in a set", "--json", ...speed], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("[experiment 2] Config audit: PRICE_LEGACY_SCAN in .env.example is no longer read");
    expect(run.stderr).toContain("[experiment 2] Config audit: scanLimit in settings.json is no longer read");
    // PORT is still read by server.ts: not stale.
    expect(run.stderr).not.toContain("PORT");
    const json = JSON.parse(run.stdout);
    expect(json.configAudit).toEqual([
      { key: "PRICE_LEGACY_SCAN", kind: "env", file: ".env.example" },
      { key: "scanLimit", kind: "option", file: "settings.json" },
    ]);
    expect(readFileSync(join(dir, ".env.example"), "utf8")).toBe(env);
    expect(readFileSync(join(dir, "settings.json"), "utf8")).toBe(config);
  });

  test("a KEEP that leaves every setting read says nothing stale was found, in the status lines and the markdown report", () => {
    const dir = project({});
    writeFileSync(join(dir, "price.ts"), fastPrice);
    const run = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "set", "--md", ...speed], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("[experiment 2] Config audit: nothing stale found");
    // The markdown report (--md, and the job summary) carries the fidelity and the audit too.
    expect(run.stdout).toMatch(/\| fidelity +\| every changed code line \(\d+\) is executed by the cases +\|/);
    expect(run.stdout).toMatch(/\| config audit +\| nothing stale found +\|/);
  });
});

describe("the guard cannot be gamed", () => {
  const testFile = `import { total } from "./price.ts";\nif (total({ lines: [] }, []) !== 0) throw new Error("empty order");\n`;

  test("a change touching a test file is refused before any measurement, naming the file; the tree and the record stay as they were", () => {
    const dir = project({ "price.test.ts": testFile });
    writeFileSync(join(dir, "price.ts"), fastPrice);
    writeFileSync(join(dir, "price.test.ts"), "// weakened\n");
    const before = rows(dir).length;
    const run = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "set", "--files", "price.ts,price.test.ts", ...speed], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("the change touches a file the guard exercises (price.test.ts)");
    expect(run.stderr).toContain("--allow-test-changes");
    expect(run.stderr).not.toContain("Benchmarking");
    expect(rows(dir)).toHaveLength(before);
    expect(readFileSync(join(dir, "price.ts"), "utf8")).toBe(fastPrice);
    expect(readFileSync(join(dir, "price.test.ts"), "utf8")).toBe("// weakened\n");
  });

  test("a path listed under ## Guard files is protected like a test file", () => {
    const dir = project({ "checks/golden.ts": "export const golden = 1;\n" });
    writeFileSync(join(dir, ".codeflash/conventions.md"), `${readFileSync(join(dir, ".codeflash/conventions.md"), "utf8")}\n## Guard files\n- checks/\n`);
    writeFileSync(join(dir, "price.ts"), fastPrice);
    writeFileSync(join(dir, "checks/golden.ts"), "export const golden = 2;\n");
    const run = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "set", "--files", "price.ts,checks/golden.ts", ...speed], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("(checks/golden.ts)");
  });

  test("with --allow-test-changes the change is measured and the record says the guard files changed", () => {
    const dir = project({ "price.test.ts": testFile });
    writeFileSync(join(dir, "price.ts"), fastPrice);
    writeFileSync(join(dir, "price.test.ts"), `${testFile}// one more check later\n`);
    const run = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "set", "--files", "price.ts,price.test.ts", "--allow-test-changes", ...speed], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("[experiment 2] Guard files changed, allowed by --allow-test-changes: price.test.ts");
    const last = rows(dir).at(-1)!;
    expect(last[1]).toBe("keep");
    expect(last[17]).toContain("[guard files changed: price.test.ts; --allow-test-changes]");
    expect(git(dir, "show", "--name-only", "--format=", "HEAD").trim().split("\n").sort()).toEqual(["price.test.ts", "price.ts"]);
  });

  test("a guard that would pass only because of an unrelated dirty file fails, because it runs on HEAD plus exactly the change", () => {
    const dir = project({ "check.mjs": 'import { ok } from "./flag.mjs";\nif (!ok) { console.log("flag is off"); process.exit(1); }\n', "flag.mjs": "export const ok = false;\n" }, "node check.mjs");
    // The user's unrelated work makes the guard pass in their tree...
    writeFileSync(join(dir, "flag.mjs"), "export const ok = true;\n");
    expect(xloop(["guard"], { cwd: dir }).code).toBe(0);
    writeFileSync(join(dir, "price.ts"), fastPrice);
    const run = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "set", ...speed], { cwd: dir });
    // ...but not on HEAD plus the change, which is what a KEEP would commit.
    expect(run.code).toBe(6);
    expect(run.stderr).toContain("[experiment 2] Guard: node check.mjs ... (on HEAD plus the change)");
    expect(run.stderr).toContain("[experiment 2] Guard: node check.mjs ... FAILED (exit 1)");
    expect(run.stderr).toContain("flag is off");
    const last = rows(dir).at(-1)!;
    expect([last[1], last[14]]).toEqual(["discard", "guard_fail"]);
    // The user's file is theirs, untouched; the change is restored from its patch as usual.
    expect(readFileSync(join(dir, "flag.mjs"), "utf8")).toBe("export const ok = true;\n");
    expect(readFileSync(join(dir, "price.ts"), "utf8")).toBe(slowPrice);
  });
});

describe("benchmark fidelity: the cases must execute the changed lines", () => {
  const withBulk = slowPrice
    .replace("    if (catalog.indexOf", "    if (line.qty > 1000) {\n      sum += bulk(line);\n      continue;\n    }\n    if (catalog.indexOf")
    .concat("function bulk(line: { qty: number; price: number }): number {\n  return line.qty * line.price * 0.9;\n}\n");

  test("a change to a branch no case reaches is refused as not exercised, its lines named, the tree left as it was", () => {
    const dir = project({ "price.ts": withBulk });
    const changed = withBulk.replace("  return line.qty * line.price * 0.9;", "  const qty = line.qty;\n  return qty * line.price * 0.9;");
    writeFileSync(join(dir, "price.ts"), changed);
    const before = rows(dir).length;
    const run = xloop(["experiment", "price.ts#total", "--pattern", "algorithm", "-m", "bulk", ...speed], { cwd: dir });
    expect(run.code).toBe(2);
    const lines = changed.split("\n");
    const first = lines.indexOf("  const qty = line.qty;") + 1;
    expect(run.stderr).toContain(`[experiment 2] Fidelity: price.ts lines ${first}-${first + 1} are executed by no case`);
    expect(run.stderr).toContain(`the benchmark does not exercise this change: no case executes its changed lines (price.ts lines ${first}-${first + 1})`);
    expect(run.stderr).not.toContain("Benchmarking");
    expect(rows(dir)).toHaveLength(before);
    expect(readFileSync(join(dir, "price.ts"), "utf8")).toBe(changed);
  });

  test("a change only some cases reach names the cases that miss it, and goes on", () => {
    const bulkCases = `const catalog = ["a", "b"];
export const cases = [
  [{ lines: [{ sku: "a", qty: 2, price: 1 }] }, catalog],
  [{ lines: [{ sku: "a", qty: 2000, price: 1 }] }, catalog],
  [{ lines: [{ sku: "b", qty: 3, price: 2 }] }, catalog],
];
`;
    const dir = project({ "price.ts": withBulk, "cases.ts": bulkCases });
    writeFileSync(join(dir, "price.ts"), withBulk.replace("  return line.qty * line.price * 0.9;", "  const qty = line.qty;\n  return qty * line.price * 0.9;"));
    const run = xloop(["experiment", "price.ts#total", "--pattern", "algorithm", "-m", "bulk", ...speed], { cwd: dir });
    expect([0, 6]).toContain(run.code ?? -1);
    expect(run.stderr).toContain("[experiment 2] Fidelity: cases 1, 3 of 3 execute none of the changed lines");
    expect(run.stderr).toContain("[experiment 2] Benchmarking...");
  });

  test("a change the cases execute says so and goes on to the benchmark", () => {
    const dir = project({});
    writeFileSync(join(dir, "price.ts"), fastPrice);
    const run = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "set", ...speed], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\[experiment 2\] Fidelity: every changed code line \(\d+\) is executed by the cases/);
    expect(run.stderr).toContain("[experiment 2] Benchmarking...");
  });
});

describe("--pattern and the checklist", () => {
  test("a pattern outside the domain's rotation is refused with the nearest names, and accepted with --pattern-free", () => {
    const dir = project({});
    writeFileSync(join(dir, "price.ts"), fastPrice);
    const refused = xloop(["experiment", "price.ts#total", "--pattern", "set-lookup", "-m", "set", ...speed], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--pattern set-lookup: not a cpu rotation pattern (nearest:");
    expect(refused.stderr).toContain("--pattern-free");
    const free = xloop(["experiment", "price.ts#total", "--pattern", "set-lookup", "--pattern-free", "-m", "set", ...speed], { cwd: dir });
    expect(free.code).toBe(0);
    expect(rows(dir).at(-1)!.slice(1, 3)).toEqual(["keep", "set-lookup"]);
  });

  test("checklist answers in the message body are stored with the experiment; status says which experiments skipped it", () => {
    const dir = project({});
    writeFileSync(join(dir, "price.ts"), fastPrice);
    const message = "index catalog in a set\n\n## Checklist\n- Hot path: the indexOf scan, 90% of self time\n- Complexity: O(n·m) to O(n)";
    const run = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", message, ...speed], { cwd: dir });
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, ".codeflash/checklists/exp-2.md"), "utf8")).toBe("- Hot path: the indexOf scan, 90% of self time\n- Complexity: O(n·m) to O(n)\n");
    expect(git(dir, "log", "-1", "--format=%s").trim()).toBe("cpu: index catalog in a set");
    expect(git(dir, "log", "-1", "--format=%b")).toContain("## Checklist");
    expect(rows(dir).at(-1)![16]).toBe("index catalog in a set");
    // A second experiment without answers.
    writeFileSync(join(dir, "price.ts"), fastPrice.replace("let sum = 0;", "let sum = 0; // same"));
    const second = xloop(["experiment", "price.ts#total", "--pattern", "hoisting", "-m", "comment", "--force", ...speed], { cwd: dir });
    expect([0, 6]).toContain(second.code ?? -1);
    const status = xloop(["status"], { cwd: dir });
    expect(status.stdout).toContain("checklist       skipped for experiment 3 (answer the domain's checklist with experiment --checklist <file>)");
    const history = xloop(["history"], { cwd: dir });
    expect(history.stdout).toContain("experiment 2 (data-structure, keep): Hot path: the indexOf scan, 90% of self time; Complexity: O(n·m) to O(n)");
    const learnings = xloop(["learnings"], { cwd: dir });
    expect(learnings.stdout).toContain("### Checklist answers\n- experiment 2 (data-structure, keep): Hot path: the indexOf scan");
  });

  test("--checklist reads the answers from a file; a missing file is refused before anything runs", () => {
    const dir = project({});
    writeFileSync(join(dir, "price.ts"), fastPrice);
    const missing = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "set", "--checklist", "answers.md", ...speed], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--checklist answers.md: no such file");
    writeFileSync(join(dir, "answers.md"), "1. the scan is the hot path\n");
    const run = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "set", "--checklist", "answers.md", ...speed], { cwd: dir });
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, ".codeflash/checklists/exp-2.md"))).toBe(true);
  });
});

describe("target states and the plateau stop", () => {
  const targets = ["src/a.ts#a", "src/b.ts#b", "src/c.ts#c"];

  /** A project whose record ends in a plateau: four discards in a row across three patterns on three targets. */
  function plateau(): string {
    const dir = repoWith({ "src/a.ts": "export const a = () => 1;\n", "src/b.ts": "export const b = () => 2;\n", "src/c.ts": "export const c = () => 3;\n" });
    expect(xloop(["init"], { cwd: dir }).code).toBe(0);
    const file = join(dir, ".codeflash/results.tsv");
    let n = 1;
    const add = (fields: Partial<ResultRow> & Pick<ResultRow, "status">) => appendResult(file, newRow({ domain: "cpu", ...fields, experiment: n++ }));
    for (const target of targets) add({ status: "baseline", target, before: "2.00µs±0.01µs" });
    add({ status: "keep", pattern: "algorithm", target: targets[0], ratio: "0.8", improvement: "+20.0%" });
    for (const [i, pattern] of ["hoisting", "caching", "batching"].entries()) add({ status: "discard", pattern, target: targets[i], ratio: "1.0", reason: "noise" });
    return dir;
  }

  test("at a plateau with unjudged targets, status asks for the check and names them", () => {
    const dir = plateau();
    const status = xloop(["status", "--continue"], { cwd: dir });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("Next: plateau-check");
    expect(status.stdout).toContain("xloop target done <path#export> --reason");
  });

  test("three targets marked non-optimizable: status says stop, exits 7 with --continue, and reports what is left", () => {
    const dir = plateau();
    for (const target of targets) {
      const done = xloop(["target", "done", target, "--reason", `${target} is already O(n)`], { cwd: dir });
      expect(done.code).toBe(0);
      expect(done.stderr).toContain(`recorded ${target} as non-optimizable`);
    }
    const status = xloop(["status", "--continue"], { cwd: dir });
    expect(status.code).toBe(7);
    expect(status.stdout).toContain("Next: stop — plateau: 3 discards in a row across hoisting ×1, caching ×1, batching ×1, and the top 3 remaining targets are non-optimizable");
    for (const target of targets) expect(status.stdout).toContain(`- ${target}: ${target} is already O(n)`);
    const json = JSON.parse(xloop(["status", "--json"], { cwd: dir }).stdout);
    expect(json.next).toMatchObject({ action: "stop", criterion: "non-optimizable" });
    expect(json.targets.source).toBe("record");
    // Judging one optimizable again lets the loop go on there.
    expect(xloop(["target", "open", targets[1]!], { cwd: dir }).code).toBe(0);
    const again = xloop(["status", "--continue"], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${targets[1]} is still optimizable`);
  });

  test("the profile's ranked list, when present, is the one the plateau reads", () => {
    const dir = plateau();
    const candidates = ["src/c.ts#c", "src/b.ts#b", "src/a.ts#a", "src/d.ts#d"].map((target, i) => ({
      rank: i + 1, name: target.split("#")[1], file: target.split("#")[0], line: 1, target, selfShare: 0.3, totalShare: 0.4, domain: "cpu", category: "loop", impact: 0.3,
    }));
    writeFileSync(join(dir, ".codeflash/bottlenecks.json"), JSON.stringify({ schema: 1, commit: "abc", createdAt: "2026-01-01T00:00:00Z", command: "node x.js", candidates }));
    for (const target of ["src/c.ts#c", "src/b.ts#b", "src/a.ts#a"]) expect(xloop(["target", "done", target, "--reason", "I/O bound"], { cwd: dir }).code).toBe(0);
    const status = xloop(["status", "--continue"], { cwd: dir });
    expect(status.code).toBe(7);
    expect(status.stdout).toContain("ranked by the profile (.codeflash/bottlenecks.json)");
  });

  test("target needs an action it knows and, for done, a reason", () => {
    const dir = plateau();
    expect(xloop(["target", "close", "src/a.ts#a"], { cwd: dir }).stderr).toContain('target: unknown action "close"');
    const noReason = xloop(["target", "done", "src/a.ts#a"], { cwd: dir });
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("--reason is required");
  });
});
