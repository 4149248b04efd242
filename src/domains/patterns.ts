/**
 * `--pattern` against the domain's rotation: the loop's streaks and rotation count
 * patterns by name, so a name outside the rotation is a typo until the user says it
 * is not (`--pattern-free`).
 */
import type { Domain } from "./domains.ts";

/** Levenshtein distance between two short strings. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** The domain's rotation pattern names nearest to `pattern`, closest first (at most `count`). */
export function nearestPatterns(domain: Domain, pattern: string, count = 3): string[] {
  const wanted = pattern.toLowerCase();
  const names = domain.rotation.map((strategy) => strategy.pattern);
  // A name sharing a word with the given one is nearer than its spelling distance says.
  const words = new Set(wanted.split(/[-_.]/));
  const score = (name: string) => distance(wanted, name) - (name.split("-").some((w) => words.has(w)) ? 100 : 0);
  return [...names].sort((a, b) => score(a) - score(b)).slice(0, count);
}

/** True when the rotation names `pattern` (any case). */
export function isRotationPattern(domain: Domain, pattern: string): boolean {
  return domain.rotation.some((strategy) => strategy.pattern === pattern.toLowerCase());
}
