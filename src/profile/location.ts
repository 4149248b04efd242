/**
 * Where a profiled function's code lives: the user's project, a dependency, or the
 * runtime itself. Only the project's own functions are candidates by default: a user
 * optimises their code, not node_modules or the engine.
 */
import { isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Whose code a function is. */
export type CodeOrigin = "project" | "dependency" | "runtime";

/** The file path behind a profiler's script URL, or undefined for runtime and native code. */
export function pathOfUrl(url: string): string | undefined {
  if (url.startsWith("file://")) {
    try {
      return fileURLToPath(url);
    } catch {
      return undefined;
    }
  }
  return isAbsolute(url) ? url : undefined;
}

/** Whose code the script at `url` is, for a project rooted at `root`. */
export function originOf(url: string, root: string): CodeOrigin {
  const path = pathOfUrl(url);
  if (path === undefined) return "runtime";
  const inside = relative(root, path);
  if (inside.startsWith("..") || isAbsolute(inside)) return "dependency";
  return inside.split(sep).includes("node_modules") ? "dependency" : "project";
}

/** The path of `url` as the user sees it: relative to the project root when inside it. */
export function displayPath(url: string, root: string): string {
  const path = pathOfUrl(url);
  if (path === undefined) return url === "" ? "(native)" : url;
  const inside = relative(root, path);
  return inside.startsWith("..") || isAbsolute(inside) ? path : inside.split(sep).join("/");
}
