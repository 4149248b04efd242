import { afterAll, describe, expect, test } from "bun:test";
import { binaryOutsideRepo, runIn } from "./helpers.ts";
import { removeTempFolders, repoWith } from "./fixtures/git-repo.ts";

afterAll(removeTempFolders);

const busy = (ms: number) => `const t0 = performance.now(); while (performance.now() - t0 < ${ms}) {}\n`;
const fill = (n: number) => `export function make(x: number) { const a = new Array(${n}); for (let i = 0; i < ${n}; i++) a[i] = x; return a; }\n`;

describe("xloop compare --domain", () => {
  const repo = repoWith({ "entry.ts": `${busy(25)}export const x = 1;\n`, "make.ts": fill(512) }, { "entry.ts": "export const x = 1;\n", "make.ts": fill(2048) });

  test("structure: the revision that dropped 25 ms of top-level work imports faster, its worktrees gone afterwards", () => {
    const run = runIn(binaryOutsideRepo(), ["compare", "HEAD~1", "HEAD", "--domain", "structure", "--target", "entry.ts", "--json"], repo);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.command).toBe("compare");
    expect(doc.domain).toBe("structure");
    expect(doc.verdict).toBe("faster");
    expect(doc.base.median).toBeGreaterThan(doc.head.median + 15);
    expect(doc.revisions.base.ref).toBe("HEAD~1");
    expect(runIn("git", ["worktree", "list"], repo).stdout.trim().split("\n")).toHaveLength(1);
  });

  test("memory: four times the array is about four times the bytes per call, called slower (larger)", () => {
    const run = runIn(binaryOutsideRepo(), ["compare", "HEAD~1", "HEAD", "--domain", "memory", "--target", "make.ts#make", "--args", "[1]", "--json", "--runtime", "bun"], repo);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.verdict).toBe("slower");
    expect(doc.ratio).toBeGreaterThan(2.5);
  });

  test("without --target, or with a target one revision lacks, one line and exit 2", () => {
    const none = runIn(binaryOutsideRepo(), ["compare", "--domain", "structure"], repo);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe("xloop: compare --domain structure: name what to compare with --target, e.g. --target src/index.ts");
    const missing = runIn(binaryOutsideRepo(), ["compare", "HEAD~1", "HEAD", "--domain", "structure", "--target", "nope.ts"], repo);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--target nope\.ts: nope\.ts does not exist in base [0-9a-f]+/);
  });
});
