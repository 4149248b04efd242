/**
 * Reads an entry's module graph from its sources: relative imports are followed
 * through the project's files; a package import becomes one leaf, measured whole,
 * because what a project can change is whether and when it imports the package.
 */
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import { UserError } from "../errors.ts";
import { importReferences, isPathSpecifier, resolveFile } from "../target/module-graph.ts";
import type { ModuleGraph, ModuleNode } from "./graph.ts";

/** Files whose imports are followed; anything else (JSON, a package's file) is a leaf. */
const SOURCE = /\.(c|m)?[jt]sx?$/;

const builtins = new Set(builtinModules);

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || specifier.startsWith("bun:") || builtins.has(specifier) || builtins.has(specifier.split("/")[0]);
}

/** The package file a bare specifier resolves to from `importer`, or null (Deno's npm:/jsr:, a missing package). */
function resolvePackage(specifier: string, importer: string): string | null {
  try {
    const resolved = createRequire(importer).resolve(specifier);
    return path.isAbsolute(resolved) && existsSync(resolved) ? realpathSync(resolved) : null;
  } catch {
    return null;
  }
}

/**
 * Counts a source's re-exports (`export ... from`) and its other top-level statements,
 * roughly: lines starting at column 0 that are neither imports, re-exports, closing
 * brackets nor comments. Enough to tell a barrel file from a module with code.
 */
export function countStatements(source: string): { reexports: number; otherStatements: number } {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const reexports = (text.match(/^export\s+(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*["'][^"']+["']/gm) ?? []).length;
  let otherStatements = 0;
  for (const line of text.split("\n")) {
    if (!/^\S/.test(line)) continue;
    if (/^(import\b|export\s+(?:type\s+)?(?:\*|\{)|[}\])]|["']use strict)/.test(line)) continue;
    otherStatements++;
  }
  return { reexports, otherStatements };
}

/**
 * The eager and lazy module graph of `entryFile`, entry first. Names are relative to
 * `cwd`. Type-only imports, built-in modules and specifiers that resolve to no file are
 * left out.
 */
export function scanModuleGraph(entryFile: string, cwd: string): ModuleGraph {
  const absolute = path.resolve(cwd, entryFile);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new UserError(`${entryFile}: no such file; give the path of the module whose imports to measure, e.g. xloop imports src/index.ts`);
  }
  const modules: ModuleNode[] = [];
  const indexOf = new Map<string, number>();
  const add = (file: string, name: string, isPackage: boolean): number => {
    const known = indexOf.get(file);
    if (known !== undefined) return known;
    indexOf.set(file, modules.length);
    modules.push({ file, name, isPackage, imports: [], lazyImports: [], reexports: 0, otherStatements: 0 });
    return modules.length - 1;
  };
  const relativeName = (file: string) => {
    const relative = path.relative(cwd, file);
    return relative.startsWith("..") ? file : relative;
  };
  add(realpathSync(absolute), relativeName(absolute), false);
  for (let i = 0; i < modules.length; i++) {
    const node = modules[i];
    if (node.isPackage || !SOURCE.test(node.file) || node.file.endsWith(".d.ts")) continue;
    const source = readFileSync(node.file, "utf8");
    Object.assign(node, countStatements(source));
    for (const reference of importReferences(source)) {
      let child: number | null = null;
      if (isPathSpecifier(reference.specifier)) {
        const resolved = resolveFile(path.resolve(path.dirname(node.file), reference.specifier));
        if (resolved !== null) child = add(realpathSync(resolved), relativeName(resolved), false);
      } else if (!isBuiltin(reference.specifier)) {
        const resolved = resolvePackage(reference.specifier, node.file);
        if (resolved !== null) child = add(resolved, reference.specifier, true);
      }
      if (child === null) continue;
      const list = reference.lazy ? node.lazyImports : node.imports;
      if (!list.includes(child)) list.push(child);
    }
  }
  return { modules };
}
