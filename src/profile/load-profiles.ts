/**
 * Reads a profiled run's files into one summary, and the call counts of its coverage.
 * I/O at the edge: the parsing and merging are the pure modules'.
 */
import { readFileSync } from "node:fs";
import { callCounts, parseCoverageFile, type CoverageScript } from "./call-counts.ts";
import { parseCpuProfile, parseHeapProfile, type CpuProfile } from "./formats.ts";
import { addCpuProfile, addHeapProfile, emptySummary, type ProfileSummary } from "./function-stats.ts";
import { pathOfUrl } from "./location.ts";

/** A profile file and the runtime that wrote it. */
export interface ProfileFile {
  file: string;
  runtime: "node" | "bun" | "deno";
}

/** The summary of a run, its parsed CPU profiles (for the flame views), and its call counts. */
export interface LoadedProfiles {
  summary: ProfileSummary;
  cpu: { file: string; runtime: ProfileFile["runtime"]; profile: CpuProfile }[];
  calls: Map<string, number> | undefined;
}

/** Reads files as text once each; undefined for a file that cannot be read. */
export function sourceReader(): (path: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (path) => {
    if (!cache.has(path)) {
      try {
        cache.set(path, readFileSync(path, "utf8"));
      } catch {
        cache.set(path, undefined);
      }
    }
    return cache.get(path);
  };
}

/** Loads CPU and heap profiles into one summary, and counts calls from coverage files when given. */
export function loadProfiles(cpuFiles: readonly ProfileFile[], heapFiles: readonly ProfileFile[], coverageFiles: readonly string[], sourceOf = sourceReader()): LoadedProfiles {
  const summary = emptySummary();
  const cpu: LoadedProfiles["cpu"] = [];
  for (const { file, runtime } of cpuFiles) {
    const profile = parseCpuProfile(readFileSync(file, "utf8"), file);
    cpu.push({ file, runtime, profile });
    addCpuProfile(summary, profile, { mergeLines: runtime === "bun" });
  }
  for (const { file, runtime } of heapFiles) addHeapProfile(summary, parseHeapProfile(readFileSync(file, "utf8"), file), { mergeLines: runtime === "bun" });
  let calls: Map<string, number> | undefined;
  if (coverageFiles.length > 0) {
    const scripts: CoverageScript[] = coverageFiles.flatMap((file) => parseCoverageFile(readFileSync(file, "utf8")) ?? []);
    const queries = [...summary.functions.values()].filter((f) => pathOfUrl(f.url) !== undefined);
    // Coverage names scripts by file URL; CommonJS modules appear in CPU profiles by path.
    const byUrl = (url: string): string | undefined => {
      const path = pathOfUrl(url);
      return path === undefined ? undefined : sourceOf(path);
    };
    const normalized = scripts.map((s) => ({ ...s, url: pathOfUrl(s.url) ?? s.url }));
    calls = callCounts(
      queries.map((q) => ({ key: q.key, name: q.name, url: pathOfUrl(q.url) ?? q.url, line: q.line, column: q.column })),
      normalized,
      byUrl,
    );
  }
  return { summary, cpu, calls };
}
