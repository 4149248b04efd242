/**
 * The loop-state commands through the real compiled binary, against real temporary git
 * repositories whose records are built row by row, so each rule of docs/loop.md
 * shows through what a user or an agent sees: output, files, branches and exit codes.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getDomain } from "../src/domains/domains.ts";
import { newRow, type ResultRow } from "../src/record/columns.ts";
import { appendResult } from "../src/record/results-tsv.ts";
import { commit, git, initRepo, removeTempFolders, repoWith, revParse, shortRev, tempFolder } from "./fixtures/git-repo.ts";
import { xloop, type CliRun } from "./helpers.ts";

const TARGET = "src/price.ts#total";

afterAll(removeTempFolders);

/** A committed project with `.codeflash/` made by `xloop init`. */
function project(): string {
  const dir = repoWith({ "src/price.ts": "export const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);\n" });
  const init = xloop(["init"], { cwd: dir });
  if (init.code !== 0) throw new Error(`xloop init failed: ${init.stderr}`);
  return dir;
}

/** Writes `content` to `file`, commits it, and returns the short hash: a kept experiment's commit. */
function commitChange(dir: string, file: string, content: string, message: string): string {
  return shortRev(dir, commit(dir, { [file]: content }, message));
}

/** The record of one project, appended row by row as xloop's own commands would. */
class Record {
  private next = 1;
  constructor(readonly dir: string) {}

  get file(): string {
    return join(this.dir, ".codeflash/results.tsv");
  }

  private add(fields: Partial<ResultRow> & Pick<ResultRow, "status">): this {
    appendResult(this.file, newRow({ domain: "cpu", target: TARGET, ...fields, experiment: this.next++ }));
    return this;
  }

  baseline(target = TARGET, commit = shortRev(this.dir)): this {
    return this.add({ status: "baseline", target, before: "2.00µs±0.01µs", after: "2.00µs±0.01µs", commit });
  }

  keep(pattern: string, options: { ratio?: number; target?: string; commit?: string; description?: string } = {}): this {
    const ratio = options.ratio ?? 0.9;
    return this.add({
      status: "keep",
      pattern,
      target: options.target ?? TARGET,
      ratio: String(ratio),
      improvement: `+${((1 - ratio) * 100).toFixed(1)}%`,
      commit: options.commit ?? "-",
      description: options.description ?? `${pattern} change`,
      reason: "faster beyond the noise threshold",
    });
  }

  discard(pattern: string, reason = "within noise"): this {
    return this.add({ status: "discard", pattern, ratio: "0.998", reason, description: `${pattern} attempt` });
  }

  discards(...patterns: string[]): this {
    for (const pattern of patterns) this.discard(pattern);
    return this;
  }
}

function run(dir: string, ...args: string[]): CliRun {
  return xloop(args, { cwd: dir });
}

/** `xloop status --json`, parsed; fails the test on a non-zero exit. */
function statusJson(dir: string): any {
  const result = run(dir, "status", "--json");
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

function continueCode(dir: string): number | null {
  return run(dir, "status", "--continue").code;
}

/**
 * Each command is refused (exit 2, its message on stderr), and none of them changes the
 * record or writes HANDOFF.md.
 */
function expectRefused(dir: string, refusals: [args: string[], message: string][]): void {
  const file = join(dir, ".codeflash/results.tsv");
  const before = readFileSync(file, "utf8");
  for (const [args, message] of refusals) {
    const result = run(dir, ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  }
  expect(readFileSync(file, "utf8")).toBe(before);
  expect(existsSync(join(dir, ".codeflash/HANDOFF.md"))).toBe(false);
}

/** The commit `branch` points at, or null when there is no such branch. */
function branchTip(dir: string, branch: string): string | null {
  try {
    return git(dir, "rev-parse", "--verify", "--quiet", `refs/heads/${branch}`).trim();
  } catch {
    return null;
  }
}

describe("status: where the loop stands and the one next action", () => {
  test("without .codeflash/ it says to run xloop init, and creates nothing", () => {
    const dir = initRepo();
    const result = run(dir, "status");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("run `xloop init`");
    expect(existsSync(join(dir, ".codeflash"))).toBe(false);
  });

  test("outside a git repository it says so", () => {
    const result = run(tempFolder(), "status");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not inside a git repository");
  });

  test("counts experiments, keeps and discards, the streaks, and the cumulative improvement per target labelled as a product of kept ratios", () => {
    const dir = project();
    new Record(dir).baseline().keep("algorithm", { ratio: 0.9 }).keep("caching", { ratio: 0.9 }).keep("hoisting", { ratio: 0.8, target: "src/tax.ts#rate" }).discards("hoisting", "caching");
    const status = statusJson(dir);
    expect([status.experiments, status.keeps, status.discards]).toEqual([5, 3, 2]);
    expect(status.discardStreak).toBe(2);
    expect(status.streakPatterns).toEqual(["hoisting", "caching"]);
    expect(status.patternStreaks).toMatchObject({ hoisting: 1, caching: 1, algorithm: 0 });
    const byTarget = Object.fromEntries(status.cumulative.map((c: any) => [c.target, c]));
    expect(byTarget[TARGET].improvement).toBeCloseTo(0.19, 10);
    expect(byTarget["src/tax.ts#rate"].improvement).toBeCloseTo(0.2, 10);
    expect(byTarget[TARGET].label).toBe("product of kept ratios");

    const text = run(dir, "status").stdout;
    expect(text).toContain("5: 3 kept, 2 discarded");
    expect(text).toContain("2 in a row (hoisting ×1, caching ×1)");
    expect(text).toContain(`${TARGET}  +19.0% over 2 keeps (product of kept ratios)`);
    expect(text).toContain("src/tax.ts#rate  +20.0% over 1 keep (product of kept ratios)");
    expect(text).toContain("Next: milestone");
  });

  test("two discards of one pattern in a row continue; the third rotates to the next pattern of the cpu rotation", () => {
    const dir = project();
    const record = new Record(dir).baseline().keep("algorithm").discards("hoisting", "hoisting");
    expect(statusJson(dir).next).toMatchObject({ action: "continue", pattern: "hoisting" });
    expect(run(dir, "status").stdout).toContain("hoisting: 2 of 3 before rotating");

    record.discard("hoisting");
    const next = statusJson(dir).next;
    expect(next).toMatchObject({ action: "rotate", from: "hoisting", to: "specialization" });
    const text = run(dir, "status").stdout;
    expect(text).toContain("Next: rotate — hoisting was discarded 3 times in a row: switch to specialization, next in the cpu rotation");
    expect(text).toContain(`  xloop experiment ${TARGET} --pattern specialization -m "<what the change does>"\n`);
    expect(continueCode(dir)).toBe(0);
  });

  test("two discards across patterns continue; the third is a plateau asking for the non-optimizable check", () => {
    const dir = project();
    const record = new Record(dir).baseline().keep("algorithm").discards("hoisting", "caching");
    expect(statusJson(dir).next.action).toBe("continue");

    record.discard("batching");
    const status = statusJson(dir);
    expect(status.next).toMatchObject({ action: "plateau-check", streakPatterns: ["hoisting", "caching", "batching"] });
    const text = run(dir, "status").stdout;
    expect(text).toContain("Next: plateau-check — plateau: 3 discards in a row across hoisting ×1, caching ×1, batching ×1");
    expect(text).toContain(`  - ${getDomain("cpu").nonOptimizable[0]}`);
    expect(continueCode(dir)).toBe(0);
  });

  test("five discards in a row start the recovery protocol, and three more without a keep stop the loop (exit 7)", () => {
    const dir = project();
    const record = new Record(dir).baseline().keep("algorithm", { description: "index lines by sku" }).discards("hoisting", "caching", "batching", "specialization");
    expect(statusJson(dir).next.action).toBe("plateau-check");

    record.discard("hoisting");
    const recovering = statusJson(dir).next;
    expect(recovering).toMatchObject({ action: "recover", experimentsLeft: 3, recoveryStartedAt: 7 });
    const text = run(dir, "status").stdout;
    expect(text).toContain("stuck: 5 discards in a row (recovery from experiment 7); follow the recovery protocol — 3 experiments left before stopping");
    expect(text).toContain("1. Re-read every in-scope file from scratch");
    expect(text).toContain("Only one change was kept (index lines by sku, experiment 2): try variants of it on other targets.");
    expect(continueCode(dir)).toBe(0);

    record.discards("caching", "batching");
    expect(statusJson(dir).next).toMatchObject({ action: "recover", experimentsLeft: 1 });
    expect(continueCode(dir)).toBe(0);

    record.discard("specialization");
    const stopped = run(dir, "status", "--continue");
    expect(stopped.code).toBe(7);
    expect(stopped.stdout).toContain("Next: stop — stuck: 8 discards in a row, 3 experiments of recovery brought no keep; stop and report");
    expect(stopped.stdout).toContain("The loop should stop here (status --continue exits 7).");
    expect(statusJson(dir).next).toMatchObject({ action: "stop", criterion: "recovery-exhausted", shouldContinue: false });
  });

  test("a milestone is due at three keeps since the last one and overdue at five", () => {
    const dir = project();
    const record = new Record(dir).baseline().keep("algorithm").keep("caching");
    expect(statusJson(dir).next.action).toBe("continue");

    record.keep("hoisting");
    expect(statusJson(dir).next).toMatchObject({ action: "milestone", version: 1, keepsSinceMilestone: 3, overdue: false });
    expect(run(dir, "status").stdout).toContain("milestone due: 3 keeps since the last one (every 3-5); run the full benchmark of the baseline against HEAD and create codeflash/milestone-v1\n  xloop milestone");

    record.keep("batching").keep("specialization");
    expect(statusJson(dir).next).toMatchObject({ action: "milestone", keepsSinceMilestone: 5, overdue: true });
  });

  test("a user goal in .codeflash/config.json, once reached, stops the loop", () => {
    const dir = project();
    writeFileSync(join(dir, ".codeflash/config.json"), JSON.stringify({ targets: { [TARGET]: "15%" } }));
    const record = new Record(dir).baseline().keep("algorithm", { ratio: 0.9 });
    expect(continueCode(dir)).toBe(0);
    expect(run(dir, "status").stdout).toContain("goal 15%: 5% to go");

    record.keep("caching", { ratio: 0.9 });
    const result = run(dir, "status", "--continue");
    expect(result.code).toBe(7);
    expect(result.stdout).toContain(`user target reached: ${TARGET} +19.0% ≥ 15% (product of kept ratios)`);
  });

  test("a config.json that is not valid JSON is one clear error", () => {
    const dir = project();
    writeFileSync(join(dir, ".codeflash/config.json"), "{ targets: ");
    const result = run(dir, "status");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("config.json is not valid JSON");
  });

  test("a hand-edited broken row is an error naming its line, and the record is never rewritten", () => {
    const dir = project();
    const record = new Record(dir).baseline().keep("algorithm");
    writeFileSync(record.file, `${readFileSync(record.file, "utf8")}3\tkept-ish\thoisting\t${TARGET}\t-\t-\t-\t-\t-\n`);
    const error = 'results.tsv line 4: unknown status "kept-ish"';
    expectRefused(dir, [
      [["status"], error],
      [["escalate", "--to", "memory", "--signal", "GC pauses"], error],
      [["handoff"], error],
    ]);
  });

  test("a hand-edited row with stray trailing tabs and odd case is read as meant", () => {
    const dir = project();
    const record = new Record(dir).baseline();
    writeFileSync(record.file, `${readFileSync(record.file, "utf8")}2\tDISCARD\tHoisting\t${TARGET}\t-\t-\t-\t-\t-\t\t\t\n`);
    const status = statusJson(dir);
    expect([status.experiments, status.discards]).toEqual([1, 1]);
    expect(status.patternStreaks).toEqual({ hoisting: 1 });
  });
});

describe("milestone: a branch at HEAD with the cumulative figure", () => {
  function keptThree(dir: string): Record {
    const record = new Record(dir).baseline();
    for (const [index, pattern] of ["algorithm", "caching", "hoisting"].entries()) {
      const commit = commitChange(dir, "src/price.ts", `export const total = () => ${index};\n`, `cpu: ${pattern}`);
      record.keep(pattern, { ratio: 0.9, commit });
    }
    return record;
  }

  test("creates codeflash/milestone-v1 at HEAD, records it, and prints the milestone line of docs/loop.md; the milestone is then no longer due", () => {
    const dir = project();
    const record = keptThree(dir);
    record.discard("batching");
    const result = run(dir, "milestone");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`[milestone] v1 — 3/4 kept, cumulative +27.1% on ${TARGET} (product of kept ratios)\n`);
    expect(branchTip(dir, "codeflash/milestone-v1")).toBe(revParse(dir));
    const last = readFileSync(record.file, "utf8").trimEnd().split("\n").at(-1)!.split("\t");
    expect(last.slice(0, 4)).toEqual(["6", "measurement", "milestone", "codeflash/milestone-v1"]);
    expect(last[6]).toBe("+27.1%");

    const status = statusJson(dir);
    expect(status.milestones).toEqual([6]);
    expect(status.keepsSinceMilestone).toBe(0);
    expect(status.next.action).toBe("continue");
  });

  test("an existing milestone branch is never moved: the next unused version is created", () => {
    const dir = project();
    const initial = revParse(dir);
    git(dir, "branch", "codeflash/milestone-v1", initial);
    keptThree(dir);
    expect(statusJson(dir).next).toMatchObject({ action: "milestone", version: 2 });

    const result = run(dir, "milestone");
    expect(result.code).toBe(0);
    expect(result.stdout).toStartWith("[milestone] v2 — 3/3 kept");
    expect(branchTip(dir, "codeflash/milestone-v1")).toBe(initial);
    expect(branchTip(dir, "codeflash/milestone-v2")).toBe(revParse(dir));
  });

  test("a second milestone at the same commit is refused, and nothing is recorded", () => {
    const dir = project();
    const record = keptThree(dir);
    expect(run(dir, "milestone").code).toBe(0);
    const before = readFileSync(record.file, "utf8");
    const again = run(dir, "milestone");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("is already milestone codeflash/milestone-v1");
    expect(readFileSync(record.file, "utf8")).toBe(before);
    expect(branchTip(dir, "codeflash/milestone-v2")).toBeNull();
  });

  test("a detached HEAD is refused with a clear error, and no branch or row is created", () => {
    const dir = project();
    const record = keptThree(dir);
    git(dir, "checkout", "-q", "--detach");
    const before = readFileSync(record.file, "utf8");
    const result = run(dir, "milestone");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("HEAD is detached");
    expect(result.stderr).toContain("git switch");
    expect(branchTip(dir, "codeflash/milestone-v1")).toBeNull();
    expect(readFileSync(record.file, "utf8")).toBe(before);
  });

  test("an early milestone is created but says it is early", () => {
    const dir = project();
    new Record(dir).baseline().keep("algorithm", { commit: commitChange(dir, "src/price.ts", "export const total = () => 1;\n", "cpu: one") });
    const result = run(dir, "milestone");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("1 keep since the last milestone; milestones are due every 3-5 keeps");
    expect(result.stdout).toBe(`[milestone] v1 — 1/1 kept, cumulative +10.0% on ${TARGET} (product of kept ratios)\n`);
  });
});

describe("escalate: the real bottleneck is in another domain", () => {
  test("records the escalation, writes it into HANDOFF.md, asks the user, and status names it until an experiment carries on", () => {
    const dir = project();
    const record = new Record(dir).baseline().keep("algorithm");
    const result = run(dir, "escalate", "--to", "memory", "--signal", "peak heap dominates runtime");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("I'm finding that the real bottleneck is peak heap dominates runtime — this is a memory issue, not cpu. Want me to switch?");
    const row = readFileSync(record.file, "utf8").trimEnd().split("\n").at(-1)!.split("\t");
    expect(row.slice(0, 4)).toEqual(["3", "escalate", "peak heap dominates runtime", "suggests memory"]);

    const handoff = readFileSync(join(dir, ".codeflash/HANDOFF.md"), "utf8");
    expect(handoff).toContain("## Open escalations\n- experiment 3: peak heap dominates runtime — suggests memory (from cpu)\n");

    const status = run(dir, "status", "--continue");
    expect(status.code).toBe(7);
    expect(status.stdout).toContain('OPEN: experiment 3: "peak heap dominates runtime" suggests memory (from cpu)');
    expect(status.stdout).toContain("Next: escalated");
    expect(statusJson(dir).openEscalations).toEqual([{ experiment: 3, signal: "peak heap dominates runtime", suggests: "memory", from: "cpu" }]);

    record.discard("hoisting");
    expect(continueCode(dir)).toBe(0);
  });

  test("an unknown domain, a missing signal or the session's own domain are refused, and nothing is recorded", () => {
    const dir = project();
    new Record(dir).baseline();
    expectRefused(dir, [
      [["escalate", "--to", "gpu", "--signal", "kernels"], '--to: unknown domain "gpu"; use one of cpu, memory, async, structure'],
      [["escalate", "--to", "memory"], "--signal is required"],
      [["escalate", "--to", "cpu", "--signal", "hot loop"], "already a cpu session"],
    ]);
  });

  test("an escalation rewrites HANDOFF.md but keeps the targets a person ranked there", () => {
    const dir = project();
    new Record(dir).baseline().keep("algorithm");
    expect(run(dir, "handoff", "--target", "src/tax.ts#rate", "--target", "src/io.ts#load").code).toBe(0);
    expect(run(dir, "escalate", "--to", "async", "--signal", "sequential awaits in load").code).toBe(0);
    const handoff = readFileSync(join(dir, ".codeflash/HANDOFF.md"), "utf8");
    expect(handoff).toContain("1. src/tax.ts#rate\n2. src/io.ts#load\n");
    expect(handoff).toContain("- experiment 3: sequential awaits in load — suggests async (from cpu)");
  });
});

describe("handoff: HANDOFF.md for the next session", () => {
  test("names the first baseline's commit, the state, and the targets left ranked by how far they are from their goals", () => {
    const dir = project();
    const first = shortRev(dir);
    writeFileSync(
      join(dir, ".codeflash/config.json"),
      JSON.stringify({ targets: { [TARGET]: 0.3, "src/tax.ts#rate": 0.3, "src/done.ts#f": 0.1 } }),
    );
    const later = commitChange(dir, "src/tax.ts", "export const rate = 1;\n", "add tax");
    new Record(dir)
      .baseline(TARGET, first)
      .baseline("src/tax.ts#rate", later)
      .keep("algorithm", { ratio: 0.9, description: "sort once" })
      .keep("caching", { ratio: 0.8, target: "src/done.ts#f" })
      .discard("hoisting", "slower on small inputs");
    const result = run(dir, "handoff");
    expect(result.code).toBe(0);
    const text = readFileSync(join(dir, ".codeflash/HANDOFF.md"), "utf8");
    expect(result.stdout).toBe(text);
    expect(text).toContain(`## Baseline\n- commit ${first}\n`);
    expect(text).toContain("- 3 experiments: 2 kept, 1 discarded; 0 escalations");
    expect(text).toContain("## Open escalations\n- none\n");
    expect(text).toContain(
      "## Remaining targets (ranked)\n1. src/tax.ts#rate (est. 30% more to reach the 30% goal)" +
        ` — +0.0% so far (product of kept ratios)\n2. ${TARGET} (est. 20% more to reach the 30% goal) — +10.0% so far (product of kept ratios); 1 discarded since\n\n`,
    );
    expect(text).not.toContain("1. src/done.ts#f");
    expect(text).toContain(`- sort once (algorithm) on ${TARGET} gave +10.0%`);
    expect(text).toContain(`- hoisting attempt (hoisting) on ${TARGET} — slower on small inputs`);
  });
});

describe("learnings: appended, never rewritten", () => {
  test("appends a dated section drafted from the record and the insights, leaving earlier sections byte-identical", () => {
    const dir = project();
    const file = join(dir, ".codeflash/learnings.md");
    const earlier = "## 2024-01-02 — memory session on old-branch\n\n### What worked\n- hand-written note\n";
    writeFileSync(file, earlier);
    const record = new Record(dir).baseline().keep("algorithm", { ratio: 0.8, description: "index lines by sku" }).discard("hoisting", "slower on small inputs");

    const first = run(dir, "learnings", "--insight", "the ORM layer dominates runtime");
    expect(first.code).toBe(0);
    const afterFirst = readFileSync(file, "utf8");
    expect(afterFirst.startsWith(earlier)).toBe(true);
    const section = afterFirst.slice(earlier.length);
    expect(section).toMatch(/^\n## \d{4}-\d{2}-\d{2} — cpu session on main\n/);
    expect(section).toContain(`### What worked\n- index lines by sku (algorithm) on ${TARGET} gave +20.0% (0.8x; experiment 2)\n`);
    expect(section).toContain(`### What didn't work\n- hoisting attempt (hoisting) on ${TARGET} — slower on small inputs (+0.2%; 0.998x; experiment 3)\n`);
    expect(section).toContain("### Codebase insights\n- the ORM layer dominates runtime\n");
    expect(first.stdout).toBe(section.slice(1));

    record.keep("caching", { ratio: 0.9, description: "memoize tax table" });
    expect(run(dir, "learnings").code).toBe(0);
    const afterSecond = readFileSync(file, "utf8");
    expect(afterSecond.startsWith(afterFirst)).toBe(true);
    const second = afterSecond.slice(afterFirst.length);
    expect(second).toContain("memoize tax table (caching)");
    expect(second).not.toContain("index lines by sku");
    expect(second).toContain("### What didn't work\n- nothing was discarded this session\n");
  });

  test("with nothing new in the record and no insight, it refuses rather than append an empty section", () => {
    const dir = project();
    new Record(dir).baseline().keep("algorithm");
    expect(run(dir, "learnings").code).toBe(0);
    const file = join(dir, ".codeflash/learnings.md");
    const before = readFileSync(file, "utf8");
    const again = run(dir, "learnings");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("nothing new to learn");
    expect(readFileSync(file, "utf8")).toBe(before);
  });
});

describe("history: what git and the record say together", () => {
  /** Three kept experiments on src/price.ts, one unrelated commit on src/other.ts, three caching discards. */
  function history(dir: string): void {
    const record = new Record(dir).baseline();
    for (let i = 1; i <= 3; i++) {
      const commit = commitChange(dir, "src/price.ts", `export const total = () => ${i};\n`, `cpu: price step ${i}`);
      record.keep(i === 2 ? "caching" : "algorithm", { commit, description: `price step ${i}` });
      record.discard("caching", i === 1 ? "within noise" : "slower");
    }
    commitChange(dir, "src/other.ts", "export const other = 1;\n", "unrelated work");
  }

  test("finds the files and folders touched by three improving commits, the patterns failed three times, the kept techniques and the last change", () => {
    const dir = project();
    history(dir);
    const result = run(dir, "history", "--json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.analysis.hotspots.map((h: any) => [h.path, h.kind, h.commits])).toEqual([
      ["src/price.ts", "file", 3],
      ["src/", "folder", 3],
    ]);
    expect(report.analysis.failedPatterns).toEqual([
      { pattern: "caching", discards: 3, keeps: 1, experiments: [3, 5, 7], reasons: ["within noise", "slower"] },
    ]);
    expect(report.analysis.techniques.map((t: any) => t.technique)).toEqual(["price step 1", "price step 2", "price step 3"]);
    expect(report.analysis.lastCommit).toMatchObject({ subject: "unrelated work", files: ["src/other.ts"] });
    expect(report.analysis.lastCommit.experiment).toBeUndefined();
    expect(report.lastChangeStat).toContain("src/other.ts | 1 +");

    const text = run(dir, "history").stdout;
    expect(text).toContain("History — the last 5 commits (the whole history), 3 of them kept experiments");
    expect(text).toMatch(/ {2}src\/price\.ts {2}3 commits \(experiments 2, 4, 6\)/);
    expect(text).toContain("caching  3 discards, 1 keep (experiments 3, 5, 7): within noise; slower");
    expect(text).toContain("+10.0%  price step 1 (algorithm) on src/price.ts#total (experiment 2)");
    expect(text).toMatch(/Last change — [0-9a-f]{12} unrelated work \(not a kept experiment\):/);
  });

  test("-n limits the commits read, so older improving commits no longer make a hotspot", () => {
    const dir = project();
    history(dir);
    const report = JSON.parse(run(dir, "history", "--json", "-n", "3").stdout);
    expect(report.commitsFound).toBe(3);
    expect(report.analysis.improvingCommits).toHaveLength(2);
    expect(report.analysis.hotspots).toEqual([]);
    const bad = run(dir, "history", "-n", "0");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--commits: give a whole number above 0");
  });
});

describe("domain: the definitions as data", () => {
  test("--json prints the domain object itself, and the text lists its rotation", () => {
    const json = xloop(["domain", "memory", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(getDomain("memory"))));
    const text = xloop(["domain", "async"]).stdout;
    expect(text).toStartWith("async — ");
    expect(text).toContain(`Strategy rotation: ${getDomain("async").rotation.map((s) => s.pattern).join(" → ")}`);
  });

  test("an unknown domain is refused with the valid names", () => {
    const result = xloop(["domain", "gpu"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown domain "gpu"; use one of cpu, memory, async, structure');
  });
});
