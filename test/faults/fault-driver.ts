/**
 * The fault matrix's driver: real repositories prepared once per path (KEEP, DISCARD,
 * a guard failure reworked, compare) and copied per cell, the compiled binary run with
 * XLOOP_FAULT_AT so it stops at a named phase, a signal delivered there, and the
 * repository's whole state (files, index, HEAD, branches, worktrees, record, leftovers)
 * taken before and after to compare.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { git, tempFolder } from "../fixtures/git-repo.ts";
import { fastPrice, makeLoopRepo, wrongPrice } from "../fixtures/loop-repo.ts";
import { compiledBinary, xloop, type CliRun } from "../helpers.ts";

/** The experiment paths the matrix drives, and compare. */
export type FaultPath = "keep" | "discard" | "rework" | "compare";

/** Speed options: the benchmark decides in a few seconds on the fixture's 3x change. */
// The loop's flow is the subject here, not the measurement: 1 ms slices keep each comparison
// of the 6-case fixture about as short as its --round-time (lengthened slices have their own tests).
export const speed = ["--round-time", "0.15", "--max-time", "15", "--slice", "1ms"];

/** The command each path runs (in the prepared repository). */
export function commandFor(kind: FaultPath): string[] {
  if (kind === "compare") return ["compare", "HEAD~1", "HEAD", "--script", "node -e 0", "--runs", "2", "--warmup", "0"];
  if (kind === "keep") return ["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "index catalog in a set", ...speed];
  if (kind === "discard") return ["experiment", "price.ts#total", "--pattern", "algorithm", "-m", "wrong on purpose", ...speed];
  return ["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "index catalog in a set, again", "--rework", ...speed];
}

/** The phases each path passes through, in order (src/fault/fault-point.ts). */
export const phasesOf: Record<FaultPath, string[]> = {
  keep: ["worktree", "oracle", "verify", "benchmark", "guard", "commit", "record", "recorded"],
  discard: ["worktree", "oracle", "verify", "patch", "restore", "record", "recorded"],
  rework: ["worktree", "oracle", "verify", "benchmark", "guard", "patch", "restore", "record", "recorded"],
  compare: ["worktree", "run"],
};

/** The user's own work beside the change, which no fault may touch. */
function addUserWork(dir: string): void {
  writeFileSync(path.join(dir, "notes.txt"), "my notes\n");
  writeFileSync(path.join(dir, "unrelated.ts"), "export const untouched = 2;\n");
  writeFileSync(path.join(dir, "staged.txt"), "staged\n");
  git(dir, "add", "staged.txt");
}

function mustPass(run: CliRun, what: string): void {
  if (run.code !== 0 && run.code !== 6) throw new Error(`${what} failed (exit ${run.code}): ${run.stderr}`);
}

const templates = new Map<FaultPath, string>();

/**
 * A repository ready for `kind`'s command, made once and then copied for each cell so
 * every cell starts from identical state: initialised with a baseline, the user's work,
 * and the change (fast for KEEP and the rework, wrong for DISCARD). The rework path
 * first runs a fast change against a failing guard, so the next run may --rework it.
 */
export function template(kind: FaultPath): string {
  // Bun loads this module once for every file of a run, and each file's afterAll removes its folders.
  const made = templates.get(kind);
  if (made && existsSync(made)) return made;
  const dir = makeLoopRepo();
  if (kind === "compare") {
    git(dir, "commit", "--quiet", "--allow-empty", "-m", "second");
    addUserWork(dir);
    templates.set(kind, dir);
    return dir;
  }
  mustPass(xloop(["init", "--guard", kind === "rework" ? "false" : "true"], { cwd: dir }), "init");
  mustPass(xloop(["baseline", "price.ts#total", "--cases", "cases.ts#cases", "--time", "0.2", "--rounds", "3", "--slice", "1ms"], { cwd: dir }), "baseline");
  addUserWork(dir);
  writeFileSync(path.join(dir, "price.ts"), kind === "discard" ? wrongPrice : fastPrice);
  if (kind === "rework") {
    const first = xloop(["experiment", "price.ts#total", "--pattern", "data-structure", "-m", "index catalog in a set", ...speed], { cwd: dir });
    if (first.code !== 6 || !first.stderr.includes("rework 1/2 allowed")) throw new Error(`the guard-failure setup did not fail its guard: ${first.stderr}`);
    writeFileSync(path.join(dir, "price.ts"), fastPrice);
  }
  templates.set(kind, dir);
  return dir;
}

/** A fresh copy of `kind`'s template (git's worktree records are absolute, and the template has none). */
export function freshRepo(kind: FaultPath): string {
  const dir = path.join(tempFolder("xloop-fault-"), "repo");
  cpSync(template(kind), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** Every file under `dir` but .git, as path → content (symlinks as `-> target`). */
function filesUnder(dir: string, skip: (relative: string) => boolean, base = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const relative = path.relative(base, full);
    if (relative === ".git" || skip(relative)) continue;
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) out[relative] = `-> ${readlinkSync(full)}`;
    else if (stat.isDirectory()) filesUnder(full, skip, base, out);
    else out[relative] = readFileSync(full).toString("base64");
  }
  return out;
}

/** The state a fault must leave as it was: the user's files, the index, HEAD, branches, worktrees and the loop's files. */
export interface RepoState {
  /** Tracked and untracked files outside .codeflash, byte for byte. */
  userFiles: Record<string, string>;
  /** The loop's files (.codeflash), byte for byte. */
  loopFiles: Record<string, string>;
  index: string;
  head: string;
  branches: string;
  worktrees: string;
}

/** Takes the repository's state. */
export function stateOf(dir: string): RepoState {
  return {
    userFiles: filesUnder(dir, (r) => r === ".codeflash"),
    loopFiles: existsSync(path.join(dir, ".codeflash")) ? filesUnder(path.join(dir, ".codeflash"), () => false) : {},
    index: git(dir, "ls-files", "--stage"),
    head: git(dir, "rev-parse", "HEAD").trim(),
    branches: git(dir, "branch", "--list", "--all"),
    worktrees: git(dir, "worktree", "list", "--porcelain"),
  };
}

/** Temporary worktree folders of HEAD's commit and its parent: none may outlive the command. */
export function leftoverWorktreeFolders(dir: string): string[] {
  const prefixes = git(dir, "log", "--format=%H", "-2").trim().split("\n").map((c) => `xloop-${c.slice(0, 7)}-`);
  return readdirSync(tmpdir()).filter((name) => prefixes.some((p) => name.startsWith(p)));
}

/** How a driven run ended. */
export interface FaultRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** The pid that stopped at the phase (a hosted child's when the command runs on another runtime). */
  pausedPid: number | null;
}

/**
 * Runs xloop with `args` in `cwd`, stopped at `phase`, then delivers `signal`: SIGINT
 * and SIGTERM to the process the user started (which passes them to a hosted child),
 * SIGKILL to the process doing the work (as the kernel's OOM killer would). Resolves
 * when the started process has exited. Throws if the phase is never reached.
 */
export function runToFault(args: string[], cwd: string, phase: string, signal: NodeJS.Signals, timeoutMs = 120_000): Promise<FaultRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(compiledBinary, args, { cwd, env: { ...process.env, NO_COLOR: "1", XLOOP_FAULT_AT: phase }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let pausedPid: number | null = null;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`never reached ${phase} within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const match = /xloop: fault: paused at (\S+) \(pid (\d+)\)/.exec(stderr);
      if (match && pausedPid === null) {
        pausedPid = Number(match[2]);
        if (signal === "SIGKILL") process.kill(pausedPid, "SIGKILL");
        else child.kill(signal);
      }
    });
    child.on("close", (code, exitSignal) => {
      clearTimeout(timer);
      resolve({ code, signal: exitSignal, stderr, pausedPid });
    });
  });
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `pid` has exited (a killed hosted child's workers may take a moment), up to `ms`. */
export async function waitGone(pid: number, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}
