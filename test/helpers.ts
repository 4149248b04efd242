/** Shared by the tests: running the real CLI (source or compiled) and temp folders. */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dir, "..");
export const bunBinary = join(repoRoot, "node_modules/.bin/bun");
/** The compiled binary under test: dist/xloop, or XLOOP_BIN (a build made with XLOOP_DIST). */
export const compiledBinary = process.env.XLOOP_BIN ?? join(repoRoot, "dist/xloop");
export const fixtures = join(repoRoot, "test/fixtures");

/** Result of a CLI run. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function done(r: SpawnSyncReturns<string>): CliRun {
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the compiled binary (dist/xloop, built by `npm run build`). */
export function xloop(args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): CliRun {
  return done(
    spawnSync(compiledBinary, args, {
      cwd: options.cwd ?? repoRoot,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      timeout: options.timeoutMs ?? 120_000,
    }),
  );
}

/** A fresh temporary folder (real path). */
export function tempDir(prefix = "xloop-test-"): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

let outsideCopy: string | undefined;

/**
 * The compiled binary copied into a folder outside the repository, as a user who
 * downloaded it has it: nothing of xloop's nearby to resolve from. One copy per run.
 */
export function binaryOutsideRepo(): string {
  if (outsideCopy) return outsideCopy;
  const bin = join(tempDir("xloop-bin-"), "xloop");
  copyFileSync(compiledBinary, bin);
  chmodSync(bin, 0o755);
  outsideCopy = bin;
  return bin;
}

/** Runs `command` with `args` in `cwd` (no colour), with extra environment variables. */
export function runIn(command: string, args: string[], cwd: string, env: Record<string, string | undefined> = {}, timeoutMs = 120_000): CliRun {
  return done(spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env }, timeout: timeoutMs }));
}
