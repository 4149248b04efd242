/**
 * Import time as candidates of the ranked list: the modules whose own import cost (or,
 * for a package imported eagerly, its whole cost) takes a share of the workload's
 * time, measured cold by `xloop imports` for the workload's entry. They rank beside the
 * functions by milliseconds of the workload, in the structure domain. Pure.
 */
import { relative, sep } from "node:path";
import { isHeavyPackage } from "../structure/hints.ts";
import type { ImportTimes } from "../structure/import-time.ts";
import type { RankedFunction } from "./rank.ts";

/** The modules of `times` worth a place in a list for a workload that ran `workloadMs`. */
export function structureCandidates(times: ImportTimes, workloadMs: number, options: { root: string; threshold: number; includeDeps: boolean }): RankedFunction[] {
  if (workloadMs <= 0) return [];
  const out: RankedFunction[] = [];
  for (const m of times.modules) {
    // The entry's own top level is the workload itself when the entry is a script: its functions are already ranked.
    if (!m.self || !m.cumulative || m.name === times.entry) continue;
    if (m.isPackage && !options.includeDeps && !isHeavyPackage(m.cumulative.median, times.total.median)) continue;
    // A package is what the project chooses to import, so its whole cost is the candidate; a project module, its own.
    const costMs = m.isPackage ? m.cumulative.median : m.self.median;
    const share = costMs / workloadMs;
    if (share < options.threshold) continue;
    const file = relative(options.root, m.file).split(sep).join("/");
    out.push({
      rank: 0,
      name: m.isPackage ? `import ${m.name}` : `top level of ${m.name}`,
      file: file.startsWith("..") ? m.file : file,
      line: 1,
      origin: m.isPackage ? "dependency" : "project",
      selfShare: Math.min(1, share),
      totalShare: Math.min(1, m.cumulative.median / workloadMs),
      selfMs: m.self.median,
      totalMs: m.cumulative.median,
      calls: 1,
      scoreMs: costMs,
      allocatedShare: 0,
      allocatedBytes: 0,
      callers: [],
      domain: "structure",
      category: m.barrel ? "barrel file" : m.isPackage ? "heavy eager import (import it lazily where used)" : "top-level work at import",
      evidence: `${costMs.toFixed(1)} ms at import, cold`,
      impact: Math.min(1, m.cumulative.median / workloadMs),
      target: null,
    });
  }
  return out;
}

/** Functions and modules in one list, by their score in milliseconds of the workload, ranks renumbered. */
export function mergeRanked(functions: readonly RankedFunction[], modules: readonly RankedFunction[]): RankedFunction[] {
  const all = [...functions, ...modules].sort((a, b) => b.scoreMs - a.scoreMs || b.selfShare - a.selfShare);
  return all.map((r, i) => ({ ...r, rank: i + 1 }));
}
