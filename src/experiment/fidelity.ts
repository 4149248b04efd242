/**
 * Benchmark fidelity beyond reachability (docs/loop.md, step 7): the cases must
 * execute the lines the change touched. The changed lines come from git; which of them
 * each case executes comes from the capture worker's coverage (src/oracle/line-coverage.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { git } from "../git/run.ts";
import type { CoverageReport, CoverageRequest } from "../oracle/capture-protocol.ts";
import { codeLines } from "../oracle/coverage-lines.ts";

const sourceFile = /\.[cm]?[jt]sx?$/;

/** The 1-based lines of the new version a `git diff -U0` touched (added or replaced). */
export function linesOfDiff(diff: string): number[] {
  const lines: number[] = [];
  for (const match of diff.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)) {
    const start = Number(match[1]);
    const count = match[2] === undefined ? 1 : Number(match[2]);
    for (let i = 0; i < count; i++) lines.push(start + i);
  }
  return lines;
}

/**
 * The code lines the change touched in each of its source files as they are now
 * (deleted files and pure deletions have none): what the cases should execute.
 */
export async function changedLines(repo: string, files: readonly string[]): Promise<CoverageRequest> {
  const result: CoverageRequest["files"] = [];
  for (const file of files) {
    const absolute = join(repo, file);
    if (!sourceFile.test(file) || !existsSync(absolute)) continue;
    const text = readFileSync(absolute, "utf8");
    const tracked = (await git(repo, ["ls-tree", "--name-only", "HEAD", "--", file])).trim() !== "";
    const touched = tracked
      ? linesOfDiff(await git(repo, ["diff", "-U0", "--no-ext-diff", "--no-color", "HEAD", "--", file]))
      : text.split("\n").map((_, i) => i + 1);
    const lines = codeLines(text, touched);
    if (lines.length > 0) result.push({ file: absolute, lines });
  }
  return { files: result };
}

/** `12-14, 20` for [12, 13, 14, 20]. */
export function lineRanges(lines: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    parts.push(i === j ? `${lines[i]}` : `${lines[i]}-${lines[j]}`);
    i = j + 1;
  }
  return parts.join(", ");
}

/** What the coverage says about the benchmark's fidelity to the change. */
export interface Fidelity {
  /** Runtimes without coverage: why the check was skipped. */
  skipped?: string;
  /** Changed code lines, counted over all files. */
  checked: number;
  /** Per file (repo-relative), the changed code lines neither loading nor any case executed. */
  unexecuted: { file: string; lines: number[] }[];
  /** 1-based numbers of the cases that executed none of the changed lines. */
  casesMissing: number[];
  cases: number;
  /** True when no case (nor loading the module) executes any changed line: the benchmark does not exercise the change. */
  refused: boolean;
}

/** Judges a capture's coverage of the changed lines. */
export function judgeFidelity(repo: string, report: CoverageReport | undefined, cases: number): Fidelity {
  if (!report) return { skipped: "no coverage was taken", checked: 0, unexecuted: [], casesMissing: [], cases, refused: false };
  if (!report.available) return { skipped: report.reason, checked: 0, unexecuted: [], casesMissing: [], cases, refused: false };
  let checked = 0;
  let executedAny = 0;
  const unexecuted: Fidelity["unexecuted"] = [];
  const hits = Array.from({ length: cases }, () => 0);
  // Lines that ran while the module loaded (a constant, an option's default) are exercised
  // by every case alike; which cases reach the change is asked of the other lines.
  let perCase = 0;
  for (const file of report.files) {
    checked += file.checked.length;
    const atLoad = new Set(file.load);
    const ran = new Set([...file.load, ...file.cases.flat()]);
    const missing = file.checked.filter((line) => !ran.has(line));
    executedAny += file.checked.length - missing.length;
    if (missing.length > 0) unexecuted.push({ file: relative(repo, file.file), lines: missing });
    perCase += file.checked.filter((line) => !atLoad.has(line)).length;
    file.cases.forEach((lines, i) => (hits[i]! += lines.filter((line) => !atLoad.has(line)).length));
  }
  const casesMissing = perCase > 0 ? hits.flatMap((n, i) => (n === 0 ? [i + 1] : [])) : [];
  return { checked, unexecuted, casesMissing, cases, refused: checked > 0 && executedAny === 0 };
}

/** The status lines a fidelity check prints (without the experiment tag). */
export function fidelityLines(fidelity: Fidelity): string[] {
  if (fidelity.skipped) return [`Fidelity: changed-line coverage skipped: ${fidelity.skipped}`];
  if (fidelity.checked === 0) return ["Fidelity: the change holds no code line to check (types, comments or deletions only)"];
  const lines = fidelity.unexecuted.map((u) => `Fidelity: ${u.file} line${u.lines.length === 1 ? "" : "s"} ${lineRanges(u.lines)} ${u.lines.length === 1 ? "is" : "are"} executed by no case`);
  if (fidelity.casesMissing.length > 0 && !fidelity.refused) {
    lines.push(`Fidelity: case${fidelity.casesMissing.length === 1 ? "" : "s"} ${fidelity.casesMissing.join(", ")} of ${fidelity.cases} execute${fidelity.casesMissing.length === 1 ? "s" : ""} none of the changed lines`);
  }
  if (lines.length === 0) lines.push(`Fidelity: every changed code line (${fidelity.checked}) is executed by the cases`);
  return lines;
}
