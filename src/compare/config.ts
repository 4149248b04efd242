/**
 * Where the bench suite lives: `benchGlob` in `.codeflash/config.json`, else the
 * default. Read on its own, leniently, because src/loop/config.ts validates that file
 * strictly for the loop's own keys and a compare must not fail over those.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.ts";

/** The suite when nothing else is configured. */
export const DEFAULT_BENCH_GLOB = "bench/**/*.bench.{ts,js,mjs}";

/** The suite's glob and where it came from. */
export interface BenchGlob {
  glob: string;
  source: "default" | ".codeflash/config.json";
}

/**
 * The bench glob configured in `root`/.codeflash/config.json. A missing or unreadable
 * file, or one without the key, means the default; only a `benchGlob` that is not a
 * non-empty string is an error, since the user evidently meant to set it.
 */
export function readBenchGlob(root: string): BenchGlob {
  const file = path.join(root, ".codeflash", "config.json");
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return { glob: DEFAULT_BENCH_GLOB, source: "default" };
  }
  const glob = value !== null && typeof value === "object" ? (value as Record<string, unknown>).benchGlob : undefined;
  if (glob === undefined) return { glob: DEFAULT_BENCH_GLOB, source: "default" };
  if (typeof glob !== "string" || glob.trim() === "") {
    throw new UserError(`${file}: benchGlob must be a glob string such as "${DEFAULT_BENCH_GLOB}" (got ${JSON.stringify(glob)})`);
  }
  return { glob: glob.trim(), source: ".codeflash/config.json" };
}
