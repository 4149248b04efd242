/** Finding on disk what the runtime choice rests on: the project's files and the runtimes' executables. */
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import type { ProjectMarkers } from "./choose.ts";

const projectFiles = ["package.json", "deno.json", "deno.jsonc", "bunfig.toml", "bun.lock", "bun.lockb"];
const bunFiles = ["bun.lock", "bun.lockb", "bunfig.toml"];
const denoFiles = ["deno.json", "deno.jsonc", "deno.lock"];

/**
 * The nearest folder from `cwd` upwards that holds a package.json, deno.json or a Bun
 * file, and which runtime's files it holds. The nearest wins, so a package inside a
 * monorepo is judged by its own files first.
 */
export function findProjectMarkers(cwd: string): ProjectMarkers {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (projectFiles.some((f) => existsSync(join(dir, f)))) {
      return { dir, bun: bunFiles.find((f) => existsSync(join(dir, f))) ?? null, deno: denoFiles.find((f) => existsSync(join(dir, f))) ?? null };
    }
    if (dirname(dir) === dir) return { dir: null, bun: null, deno: null };
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable named `name` on PATH, or null. */
export function findOnPath(name: string, path = process.env.PATH ?? ""): string | null {
  const names = process.platform === "win32" ? [`${name}.exe`, `${name}.cmd`, name] : [name];
  for (const folder of path.split(delimiter)) {
    if (!folder) continue;
    for (const n of names) {
      const candidate = join(folder, n);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

/** Whether `path` is an executable file (for --runtime-path). */
export function isExecutable(path: string): boolean {
  return isExecutableFile(path);
}
