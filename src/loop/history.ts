/**
 * What git and the record say together (docs/loop.md, step 1): where improving
 * commits cluster, which approaches keep failing, and which techniques worked and could
 * be tried elsewhere. Pure: the caller reads `git log` and the record.
 */
import { isEmptyCell, type ResultRow } from "../record/columns.ts";
import { rowFacts } from "../record/facts.ts";
import { experimentOutcomes } from "./state.ts";

/** One commit as `git log --name-only` gives it. */
export interface Commit {
  hash: string;
  subject: string;
  /** Paths relative to the repository root, `/`-separated. */
  files: string[];
}

/** A file or folder that improving commits keep touching: focus there. */
export interface Hotspot {
  path: string;
  kind: "file" | "folder";
  /** How many improving commits touched it. */
  commits: number;
  /** The kept experiments behind those commits. */
  experiments: number[];
}

/** A pattern that has been discarded repeatedly: avoid it. */
export interface FailedPattern {
  pattern: string;
  discards: number;
  keeps: number;
  experiments: number[];
  /** The distinct reasons recorded for its discards. */
  reasons: string[];
}

/** A technique that worked: worth trying on other targets. */
export interface Technique {
  pattern: string;
  /** What was done, from the row's description (the pattern when there is none). */
  technique: string;
  target: string;
  experiment: number;
  /** The kept improvement as a fraction, when the row records one. */
  gain: number | undefined;
}

/** The full analysis `xloop history` prints. */
export interface HistoryAnalysis {
  /** Commits that are a kept experiment's commit, newest first, with that experiment. */
  improvingCommits: (Commit & { experiment: number })[];
  hotspots: Hotspot[];
  failedPatterns: FailedPattern[];
  techniques: Technique[];
  /** The newest commit (what the last change did), with its experiment when it is one. */
  lastCommit: (Commit & { experiment: number | undefined }) | undefined;
}

/** Short and full hashes name the same commit when one is a prefix of the other (at least 4 characters). */
function sameCommit(a: string, b: string): boolean {
  const x = a.trim().toLowerCase();
  const y = b.trim().toLowerCase();
  if (x.length < 4 || y.length < 4) return false;
  return x.startsWith(y) || y.startsWith(x);
}

/** Patterns discarded at least `minFailures` times, most failed first. */
export function failedPatterns(rows: readonly ResultRow[], minFailures = 3): FailedPattern[] {
  const byPattern = new Map<string, FailedPattern>();
  for (const row of experimentOutcomes(rows)) {
    const pattern = rowFacts(row).pattern;
    const entry = byPattern.get(pattern) ?? { pattern, discards: 0, keeps: 0, experiments: [], reasons: [] };
    byPattern.set(pattern, entry);
    if (row.status === "keep") {
      entry.keeps++;
      continue;
    }
    entry.discards++;
    entry.experiments.push(row.experiment);
    if (!isEmptyCell(row.reason) && !entry.reasons.includes(row.reason)) entry.reasons.push(row.reason);
  }
  return [...byPattern.values()]
    .filter((entry) => entry.discards >= minFailures)
    .sort((a, b) => b.discards - a.discards || a.pattern.localeCompare(b.pattern));
}

/** The techniques of kept experiments, largest gain first (unmeasured ones last). */
export function keptTechniques(rows: readonly ResultRow[]): Technique[] {
  return experimentOutcomes(rows)
    .filter((row) => row.status === "keep")
    .map((row) => {
      const { pattern, gain } = rowFacts(row);
      return {
        pattern,
        technique: isEmptyCell(row.description) ? pattern : row.description,
        target: isEmptyCell(row.target) ? "(no target recorded)" : row.target,
        experiment: row.experiment,
        gain,
      };
    })
    .sort((a, b) => (b.gain ?? -Infinity) - (a.gain ?? -Infinity) || a.experiment - b.experiment);
}

/** Every folder above a path, e.g. `src/a/b.ts` → `src/`, `src/a/`. */
function foldersOf(file: string): string[] {
  const parts = file.split("/").slice(0, -1);
  return parts.map((_, index) => `${parts.slice(0, index + 1).join("/")}/`);
}

/**
 * Files and folders touched by at least `minCommits` improving commits, most touched
 * first. xloop's own `.codeflash/` is left out: the record changes with every experiment.
 */
export function hotspots(improving: readonly (Commit & { experiment: number })[], minCommits = 3): Hotspot[] {
  const counts = new Map<string, Hotspot>();
  for (const commit of improving) {
    const paths = new Map<string, "file" | "folder">();
    for (const file of commit.files) {
      if (file.startsWith(".codeflash/")) continue;
      paths.set(file, "file");
      for (const folder of foldersOf(file)) paths.set(folder, "folder");
    }
    for (const [path, kind] of paths) {
      const entry = counts.get(path) ?? { path, kind, commits: 0, experiments: [] };
      entry.commits++;
      entry.experiments.push(commit.experiment);
      counts.set(path, entry);
    }
  }
  return [...counts.values()]
    .filter((entry) => entry.commits >= minCommits)
    .sort((a, b) => b.commits - a.commits || (a.kind === b.kind ? 0 : a.kind === "file" ? -1 : 1) || a.path.localeCompare(b.path));
}

/**
 * Analyses `commits` (newest first, as `git log` lists them) against the record: a commit
 * is improving when it is the commit of a kept experiment.
 */
export function analyzeHistory(
  commits: readonly Commit[],
  rows: readonly ResultRow[],
  options: { minCommits?: number; minFailures?: number } = {},
): HistoryAnalysis {
  const kept = experimentOutcomes(rows).filter((row) => row.status === "keep" && !isEmptyCell(row.commit));
  const experimentOf = (commit: Commit) => kept.find((row) => sameCommit(row.commit, commit.hash))?.experiment;
  const improvingCommits = commits.flatMap((commit) => {
    const experiment = experimentOf(commit);
    return experiment === undefined ? [] : [{ ...commit, experiment }];
  });
  const newest = commits[0];
  return {
    improvingCommits,
    hotspots: hotspots(improvingCommits, options.minCommits ?? 3),
    failedPatterns: failedPatterns(rows, options.minFailures ?? 3),
    techniques: keptTechniques(rows),
    lastCommit: newest && { ...newest, experiment: experimentOf(newest) },
  };
}
