/**
 * The import rule the code keeps: `src/commands/` (one module per command) and
 * `src/cli.ts` wire the engine together, and nothing below them imports them back.
 * Read from the source text, so a new upward import fails here, naming the file.
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
