/**
 * Which peer benchmark library a file registers its benchmarks with, read from what
 * it imports (no evaluation): a file importing tinybench, mitata or vitest is a suite
 * file, whose benchmarks are collected through xloop's shims instead of exported.
 */
import { existsSync, readFileSync } from "node:fs";

/** The peer libraries whose suites xloop reads. */
export const suitePeers = ["tinybench", "mitata", "vitest"] as const;

/** One of suitePeers. */
export type SuitePeer = (typeof suitePeers)[number];

// `import … from "x"`, `import "x"`, `import("x")`, `require("x")`, and `export … from "x"`.
const importPattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'](tinybench|mitata|vitest)["']/g;

/** The peers a module's source imports, in the order suitePeers lists them. */
export function importedPeers(source: string): SuitePeer[] {
  const found = new Set<string>();
  for (const match of source.matchAll(importPattern)) found.add(match[1]);
  return suitePeers.filter((p) => found.has(p));
}

/** The peers a file imports; none for a missing or unreadable file (its import reports that). */
export function suitePeersOf(file: string): SuitePeer[] {
  if (!existsSync(file)) return [];
  try {
    return importedPeers(readFileSync(file, "utf8"));
  } catch {
    return [];
  }
}

/** True when the file registers benchmarks with a peer library rather than exporting them. */
export function isSuiteFile(file: string): boolean {
  return suitePeersOf(file).length > 0;
}
