import { realpathSync } from "node:fs";

/**
 * The path with every symlink resolved, or the path itself when it does not exist
 * (a deleted file): module graphs are built from real paths, so changed files must be
 * compared in the same form.
 */
export function realPathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
