/**
 * Where the bench suite lives: `benchGlob` of `.codeflash/config.json` (read and
 * validated with the rest of the loop's configuration), else the default.
 */
import { DEFAULT_LOOP_CONFIG, readLoopConfig } from "../loop/config.ts";
import { codeflashPaths } from "../project/codeflash-paths.ts";

/** The suite when nothing else is configured. */
export const DEFAULT_BENCH_GLOB = DEFAULT_LOOP_CONFIG.benchGlob;

/** The suite's glob and where it came from. */
export interface BenchGlob {
  glob: string;
  source: "default" | ".codeflash/config.json";
}

/** The bench glob configured in `root`/.codeflash/config.json, or the default. */
export function readBenchGlob(root: string): BenchGlob {
  const glob = readLoopConfig(codeflashPaths(root).config).benchGlob;
  return { glob, source: glob === DEFAULT_BENCH_GLOB ? "default" : ".codeflash/config.json" };
}
