import { relative, join } from "node:path";
import { UserError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { withWorktree } from "../git/worktree.ts";
import type { CasesSpec, TargetSpec } from "../measure/protocol.ts";
import type { CaseRecord } from "./capture-protocol.ts";
import { runCapture, type CaptureOptions } from "./run-capture.ts";
import { compareRecords } from "./verify.ts";

/** A capture checked for determinism. */
export interface CheckedCapture {
  casesFingerprint: string;
  records: CaseRecord[];
  /** Paths whose values differed between the two runs. */
  nondeterministic: { case: number; path: string }[];
}

/**
 * Captures the target's outputs twice, each run in a fresh worker, and reports the
 * paths whose values differ between the runs (timestamps, random ids) as
 * nondeterministic. A failure to load or run is a user-facing error naming the target.
 */
export async function captureChecked(target: TargetSpec, cases: CasesSpec, options: CaptureOptions, ignore: string[]): Promise<CheckedCapture> {
  const first = await runCapture(target, cases, options);
  if (first.failure) throw new UserError(first.failure.message, ExitCode.targetFailed);
  const second = await runCapture(target, cases, options);
  if (second.failure) throw new UserError(second.failure.message, ExitCode.targetFailed);
  const diff = compareRecords(first.records, second.records, { ignore, limit: 50 });
  return {
    casesFingerprint: first.casesFingerprint,
    records: first.records,
    nondeterministic: diff.differences.map((d) => ({ case: d.case, path: d.path })),
  };
}

/**
 * Captures the target as it is at git revision `rev`, in a temporary worktree that
 * is removed afterwards (also on error or interrupt). The cases stay the caller's,
 * so both sides of a comparison get the very same inputs.
 */
export async function captureAtRevision(repo: string, rev: string, target: TargetSpec, cases: CasesSpec, options: CaptureOptions, ignore: string[]) {
  const inRepo = relative(repo, target.file);
  if (inRepo.startsWith("..")) throw new UserError(`${target.label}: not inside the repository ${repo}, so it has no revision ${rev}`);
  return withWorktree(repo, rev, async (worktree) => {
    const atRevision: TargetSpec = { ...target, file: join(worktree.path, inRepo), label: `${target.label} at ${rev}` };
    return { capture: await captureChecked(atRevision, cases, options, ignore), commit: worktree.commit };
  });
}
