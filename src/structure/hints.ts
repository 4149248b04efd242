/**
 * What an import-time measurement suggests doing, as lines for the user: pure rules
 * over the measured figures, so each can be tested on figures alone.
 */
import type { ImportTimes } from "./import-time.ts";

function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : value >= 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`;
}

function share(part: number, whole: number): string {
  return `${Math.round((100 * part) / whole)}%`;
}

/** A package imported eagerly is heavy at 1 ms and a fifth of the entry's import. */
export function isHeavyPackage(cumulativeMs: number, entryMs: number): boolean {
  return cumulativeMs >= 1 && cumulativeMs >= 0.2 * entryMs;
}

/**
 * The hints: barrel files, modules doing much work at their top level, heavy packages
 * imported eagerly, import cycles and modules nearly everything imports. A module's own
 * time counts as top-level work when it is at least 1 ms and 10% of the entry's import;
 * a package as heavy at 1 ms and 20%.
 */
export function importHints(times: ImportTimes): string[] {
  const total = times.total.median;
  const hints: string[] = [];
  // A cycle's first member imported carries the others' time: its "own" time is not its top level.
  const inCycle = new Set(times.cycles.flat());
  for (const m of times.modules) {
    if (m.barrel && m.cumulative) {
      hints.push(`barrel file: ${m.name} re-exports ${m.imports.length} modules; importing it for one name loads them all (${ms(m.cumulative.median)}); import from the module that defines the name`);
    }
    if (!m.isPackage && !inCycle.has(m.name) && m.self && m.self.median >= 1 && m.self.median >= 0.1 * total) {
      hints.push(`top-level work: ${m.name} spends ${ms(m.self.median)} of its own at import (${share(m.self.median, total)} of the entry's import); move that work into a function called when it is needed, or cache its result`);
    }
    if (m.isPackage && m.cumulative && isHeavyPackage(m.cumulative.median, total)) {
      hints.push(`heavy eager import: package ${m.name} costs ${ms(m.cumulative.median)} at import (${share(m.cumulative.median, total)}); import it lazily (await import("${m.name}")) where it is used, or a lighter one`);
    }
    if (m.highFanIn) hints.push(`fan-in: ${m.name} is imported by ${m.fanIn} of the other ${times.modules.length - 1} modules; its import cost and its changes reach nearly everything`);
  }
  for (const cycle of times.cycles) hints.push(`import cycle: ${[...cycle, cycle[0]].join(" -> ")}; a module of it may see another's exports before they are set`);
  return hints;
}
