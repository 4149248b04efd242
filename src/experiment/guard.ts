import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { codeflashPaths } from "../project/codeflash-paths.ts";
import type { GuardVerdict } from "../record/columns.ts";

/** The conventions file holding the guard. */
export function conventionsFile(root: string): string {
  return codeflashPaths(root).conventions;
}

/**
 * The lines of the `## <heading>` section of conventions.md (up to the next `## `
 * heading), without blank lines, code fences and HTML comments; empty when the file or
 * the section is missing.
 */
export function conventionsSection(root: string, heading: string): string[] {
  const file = conventionsFile(root);
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, "utf8").split(/\r?\n/);
  const wanted = heading.toLowerCase();
  const start = lines.findIndex((l) => /^##\s/.test(l.trim()) && l.trim().replace(/^##\s+/, "").trim().toLowerCase() === wanted);
  if (start < 0) return [];
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^##\s/.test(line)) break;
    const text = line.trim();
    if (!text || text.startsWith("```") || text.startsWith("<!--")) continue;
    body.push(text);
  }
  return body;
}

/**
 * Reads the guard command: the first line of the `## Guard` section of
 * conventions.md (inside a code fence or backticks, or plain). Null when there is no
 * such section or it is empty: the loop then skips the guard step.
 */
export function readGuard(root: string): string | null {
  const first = conventionsSection(root, "Guard")[0];
  if (first === undefined) return null;
  return first.replace(/^`(.*)`$/, "$1").trim() || null;
}

/** How a guard run went. */
export interface GuardResult {
  passed: boolean;
  exitCode: number | null;
  /** The last lines of its output, for the report. */
  tail: string;
  wallMs: number;
}

/** The verdict of a guard run; "skipped" when the guard did not run. */
export function guardVerdict(result: GuardResult | null): GuardVerdict {
  if (!result) return "skipped";
  return result.passed ? "pass" : "fail";
}

/** How a guard run went, for a status line: `passed`, or `FAILED (exit N)`. */
export function guardOutcomeText(result: GuardResult): string {
  return result.passed ? "passed" : `FAILED (exit ${result.exitCode})`;
}

/**
 * Runs the guard through the shell in the project root, with no stdin, output
 * captured (its last lines are reported). An interrupt stops it.
 */
export function runGuard(command: string, root: string, signal?: AbortSignal): Promise<GuardResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, { cwd: root, shell: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: process.env.CI ?? "true" }, signal });
    const chunks: string[] = [];
    const keep = (data: Buffer) => {
      chunks.push(data.toString("utf8"));
      if (chunks.length > 200) chunks.splice(0, chunks.length - 200);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const finish = (code: number | null) => {
      const tail = chunks.join("").trimEnd().split("\n").slice(-15).join("\n");
      resolve({ passed: code === 0, exitCode: code, tail, wallMs: Date.now() - started });
    };
    child.on("error", () => finish(null));
    child.on("close", (code) => finish(code));
  });
}
