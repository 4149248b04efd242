import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { xloop } from "./helpers.ts";
import { git, removeTempFolders, repoWith } from "./fixtures/git-repo.ts";

afterAll(removeTempFolders);

const busy = (ms: number) => `const t0 = performance.now(); while (performance.now() - t0 < ${ms}) {}\n`;

function rows(dir: string): string[][] {
  return readFileSync(join(dir, ".codeflash/results.tsv"), "utf8").trim().split("\n").slice(1).map((l) => l.split("\t"));
}

function prepared(files: Record<string, string>, target: string): string {
  const dir = repoWith(files);
  expect(xloop(["init", "--guard", "true"], { cwd: dir }).code).toBe(0);
  const baseline = xloop(["baseline", target, "--args", "[3]", "--time", "0.2", "--rounds", "3"], { cwd: dir });
  expect(baseline.code).toBe(0);
  return dir;
}

describe("xloop experiment in the structure, memory and async domains", () => {
  test("structure: moving 30 ms of top-level work out of the module is kept on its import time, the row in the structure domain", () => {
    const dir = prepared({ "price.ts": `${busy(30)}export function total(x: number) { return x * 2; }\n` }, "price.ts#total");
    writeFileSync(join(dir, "price.ts"), `export function total(x: number) { return x * 2; }\n`);
    const run = xloop(["experiment", "price.ts#total", "--domain", "structure", "--pattern", "defer-top-level-work", "-m", "no work at import", "--args", "[3]", "--max-time", "20"], { cwd: dir });
    expect(run.stderr).toMatch(/KEEP/);
    expect(run.code).toBe(0);
    expect(git(dir, "log", "-1", "--format=%s").trim()).toBe("structure: no work at import");
    const last = rows(dir).at(-1)!;
    expect(last[1]).toBe("keep");
    expect(last[9]).toBe("structure");
    // Import times in the record: tens of ms before, a few after.
    expect(last[4]).toMatch(/ms/);
    expect(Number(last[10])).toBeLessThan(0.5);
  });

  test("memory: a change allocating four times the bytes per call is discarded as larger", () => {
    const fill = (n: number) => `export function total(x: number) { const a = new Array(${n}); for (let i = 0; i < ${n}; i++) a[i] = x; return a[0]; }\n`;
    const dir = prepared({ "price.ts": fill(512) }, "price.ts#total");
    writeFileSync(join(dir, "price.ts"), fill(2048));
    const run = xloop(["experiment", "price.ts#total", "--domain", "memory", "--pattern", "compact-representation", "-m", "bigger buffer", "--args", "[3]", "--max-time", "30"], { cwd: dir });
    expect(run.stderr).toMatch(/DISCARD/);
    expect(run.code).toBe(6);
    const last = rows(dir).at(-1)!;
    expect(last[9]).toBe("memory");
    expect(last[4]).toMatch(/KiB/);
    expect(Number(last[10])).toBeGreaterThan(3);
  });

  test("cpu: a target whose module takes 30 ms to import is measured on its calls, and the structure signal is said, with the escalate command, in the lines and the JSON", () => {
    // A call of about 2 µs beside an import of 30 ms: the import is worth thousands of calls.
    const before = `${busy(30)}export function total(x: number) { let s = 0; for (let i = 0; i < 2000; i++) s += i % (x + 1); return s; }\n`;
    const after = `${busy(30)}export function total(x: number) { let s = 0; for (let i = 0; i < 1000; i++) s += i % (x + 1); for (let j = 1000; j < 2000; j++) s += j % (x + 1); return s; }\n`;
    const dir = prepared({ "price.ts": before }, "price.ts#total");
    writeFileSync(join(dir, "price.ts"), after);
    const run = xloop(["experiment", "price.ts#total", "--pattern", "algorithm", "-m", "same work, two loops", "--args", "[3]", "--json", "--max-time", "10", "--round-time", "0.1"], { cwd: dir });
    expect(run.stderr).toMatch(/Signal: importing price\.ts takes \d+ ms, as long as [\d,]+ calls of price\.ts#total: a structure issue\? \(xloop escalate --to structure --from cpu --signal "importing price\.ts/);
    const doc = JSON.parse(run.stdout);
    expect(doc.escalation).toHaveLength(1);
    expect(doc.escalation[0].to).toBe("structure");
  });

  test("cpu: a target that keeps 1 KiB alive per call gets the memory signal", () => {
    const leak = (body: string) => `const kept: unknown[] = [];\nexport function total(x: number) { kept.push(new Array(128).fill(x)); ${body} }\n`;
    const dir = prepared({ "price.ts": leak("return x * 2;") }, "price.ts#total");
    writeFileSync(join(dir, "price.ts"), leak("return x + x;"));
    const run = xloop(["experiment", "price.ts#total", "--pattern", "algorithm", "-m", "add instead of multiply", "--args", "[3]", "--json", "--max-time", "10", "--round-time", "0.1"], { cwd: dir });
    expect(run.stderr).toMatch(/Signal: price\.ts#total keeps \d+ bytes alive after every call \(heap growing with the calls\): a memory issue\? \(xloop escalate --to memory --from cpu/);
    expect(JSON.parse(run.stdout).escalation.map((h: { to: string }) => h.to)).toContain("memory");
  });
});
