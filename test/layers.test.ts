/**
 * The import rules the code keeps, read from the source text so a new upward import
 * fails here, naming the files: `src/commands/` (one module per command) and
 * `src/cli.ts` wire the engine together and nothing below them imports them back; and
 * the folders of `src/` import each other without cycles, so they stack in layers.
 */
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { repoRoot } from "./helpers.ts";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** The repository-relative files a module imports by relative path. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => relative(repoRoot, resolve(dirname(file), m[1])));
}

test("no module below the commands imports src/commands/ or src/cli.ts", () => {
  const upward: string[] = [];
  for (const file of [...sourceFiles(join(repoRoot, "src")), ...sourceFiles(join(repoRoot, "workers"))]) {
    const from = relative(repoRoot, file);
    if (from === "src/cli.ts" || from.startsWith("src/commands/")) continue;
    for (const target of importsOf(file)) if (target === "src/cli.ts" || target.startsWith("src/commands/")) upward.push(`${from} imports ${target}`);
  }
  expect(upward).toEqual([]);
});

/** The folder of a `src/` file (its first path segment; files directly in src/ are "(root)"). */
function folderOf(srcRelative: string): string {
  return srcRelative.includes("/") ? srcRelative.split("/")[0] : "(root)";
}

test("the folders of src/ import each other without cycles", () => {
  const edges = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(join(repoRoot, "src"))) {
    const from = relative(join(repoRoot, "src"), file);
    if (from === "cli.ts") continue;
    for (const target of importsOf(file)) {
      if (!target.startsWith("src/")) continue;
      const [a, b] = [folderOf(from), folderOf(target.slice(4))];
      if (a === b) continue;
      if (!edges.has(a)) edges.set(a, new Map());
      // One example import per pair of folders, to name in a failure.
      if (!edges.get(a)!.has(b)) edges.get(a)!.set(b, `src/${from} imports ${target}`);
    }
  }
  const cycles: string[] = [];
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return [...(edges.get(from)?.keys() ?? [])].some((next) => reaches(next, to, seen));
  };
  for (const [a, targets] of edges) for (const [b, example] of targets) if (reaches(b, a)) cycles.push(`${a} -> ${b} (${example}) and back`);
  expect(cycles).toEqual([]);
});
