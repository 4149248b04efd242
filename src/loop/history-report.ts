/**
 * `xloop history` as text: step 1 of docs/loop.md (review the history) worded as the
 * design words its conclusions — focus there, avoid these, try these elsewhere, and what
 * the last change did. Pure: the command reads git and the record.
 */
import { percentCell } from "../record/figures.ts";
import { plural } from "./describe.ts";
import type { HistoryAnalysis } from "./history.ts";

/** What a history report is made of. */
export interface HistoryReport {
  analysis: HistoryAnalysis;
  /** How many commits were read (`-n`). */
  commitsRead: number;
  /** How many commits git returned (fewer when the history is shorter). */
  commitsFound: number;
  /** `git diff HEAD~1 --stat` of the newest commit. */
  lastChangeStat: string;
  /** The thresholds the analysis used. */
  minCommits: number;
  minFailures: number;
  /** The latest experiments' checklist answers (one line each), newest last. */
  checklists?: { experiment: number; pattern: string; status: string; answers: string }[];
}

function experiments(numbers: readonly number[]): string {
  const sorted = [...numbers].sort((a, b) => a - b);
  return `${sorted.length === 1 ? "experiment" : "experiments"} ${sorted.join(", ")}`;
}

/** The report as text for a person. */
export function formatHistory(report: HistoryReport): string {
  const { analysis } = report;
  const lines = [
    `History — the last ${plural(report.commitsFound, "commit")}${report.commitsFound < report.commitsRead ? " (the whole history)" : ""}, ${analysis.improvingCommits.length} of them kept experiments`,
    "",
    `Hotspots — files and folders touched by ${report.minCommits}+ improving commits (focus there):`,
  ];
  if (analysis.hotspots.length === 0) {
    lines.push(`  none yet (no file or folder has ${report.minCommits} kept experiments' commits among these)`);
  }
  const width = Math.max(0, ...analysis.hotspots.map((h) => h.path.length));
  for (const hotspot of analysis.hotspots) {
    lines.push(`  ${hotspot.path.padEnd(width)}  ${plural(hotspot.commits, "commit")} (${experiments(hotspot.experiments)})`);
  }
  lines.push("", `Failed patterns — discarded ${report.minFailures}+ times (avoid them):`);
  if (analysis.failedPatterns.length === 0) lines.push(`  none (no pattern has been discarded ${report.minFailures} times)`);
  for (const failed of analysis.failedPatterns) {
    const reasons = failed.reasons.length ? `: ${failed.reasons.join("; ")}` : "";
    lines.push(`  ${failed.pattern}  ${plural(failed.discards, "discard")}, ${plural(failed.keeps, "keep")} (${experiments(failed.experiments)})${reasons}`);
  }
  lines.push("", "Kept techniques — look for similar opportunities elsewhere:");
  if (analysis.techniques.length === 0) lines.push("  none yet (nothing kept)");
  for (const technique of analysis.techniques) {
    const gain = technique.gain === undefined ? "unmeasured" : percentCell(technique.gain);
    const what = technique.technique === technique.pattern ? technique.pattern : `${technique.technique} (${technique.pattern})`;
    lines.push(`  ${gain.padStart(7)}  ${what} on ${technique.target} (experiment ${technique.experiment})`);
  }
  if (report.checklists?.length) {
    lines.push("", "Checklist answers — the reasoning recorded before the latest experiments:");
    for (const c of report.checklists) lines.push(`  experiment ${c.experiment} (${c.pattern}, ${c.status}): ${c.answers}`);
  }
  const last = analysis.lastCommit;
  lines.push("");
  if (last) {
    const hash = last.hash.slice(0, 12);
    const which = last.experiment === undefined ? "not a kept experiment" : `kept experiment ${last.experiment}`;
    lines.push(`Last change — ${hash} ${last.subject} (${which}):`);
  } else lines.push("Last change:");
  for (const line of report.lastChangeStat.split("\n")) lines.push(`  ${line.trim()}`);
  return `${lines.join("\n")}\n`;
}
