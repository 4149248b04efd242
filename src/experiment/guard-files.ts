/**
 * The files the guard exercises, which an experiment may not change (docs/loop.md:
 * never modify guard or test files to make the guard pass): test files by the common
 * runners' conventions, plus any path or glob listed under `## Guard files` in
 * conventions.md.
 */
import { globToRegExp } from "../compare/glob.ts";
import { conventionsSection } from "./guard.ts";

/** Test files by the conventions of bun test, vitest, jest, mocha and node --test. */
function isTestFile(repoRelative: string): boolean {
  const parts = repoRelative.split("/");
  const name = parts.at(-1)!;
  if (/\.(test|spec)\.[^/]+$/.test(name) || /^test\.[cm]?[jt]sx?$/.test(name)) return true;
  return parts.slice(0, -1).some((folder) => folder === "test" || folder === "tests" || folder === "__tests__");
}

/** The paths and globs listed under `## Guard files` (list markers and backticks removed). */
export function listedGuardFiles(root: string): string[] {
  return conventionsSection(root, "Guard files")
    .map((line) => line.replace(/^[-*+]\s+/, "").replace(/^`(.*)`$/, "$1").trim().replace(/^\.\//, ""))
    .filter(Boolean);
}

/**
 * Which of `files` (repo-relative) the guard protects: test files, and those matching a
 * listed path (a folder listed covers what is under it) or glob.
 */
export function protectedFiles(files: readonly string[], listed: readonly string[]): string[] {
  const patterns = listed.map((entry) => {
    const folder = entry.replace(/\/+$/, "");
    return /[*?[{]/.test(entry) ? globToRegExp(entry) : new RegExp(`^${folder.replace(/[.+^$()|\\[\]{}*?]/g, "\\$&")}(/|$)`);
  });
  return files.filter((file) => isTestFile(file) || patterns.some((pattern) => pattern.test(file)));
}
