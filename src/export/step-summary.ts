/**
 * GitHub Actions' job summary: when `GITHUB_STEP_SUMMARY` names a file, compare and
 * experiment append their markdown report to it (the same text as `--md`), unless
 * `--no-summary` was given.
 */
import { appendFileSync } from "node:fs";

/**
 * Appends `markdown` to the job summary file; returns the file written, or null when
 * there is none or the user opted out. A summary that cannot be written is told to
 * `warn`, never fails the command: the measurement itself succeeded.
 */
export function appendStepSummary(markdown: string, options: Record<string, unknown>, warn: (line: string) => void): string | null {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file || options.summary === false) return null;
  try {
    appendFileSync(file, `${markdown.trimEnd()}\n\n`);
    return file;
  } catch (error) {
    warn(`xloop: warning: could not append to GITHUB_STEP_SUMMARY (${file}): ${(error as Error).message}`);
    return null;
  }
}
