/** Which exit code a run whose targets failed ends with. Pure. */
import { ExitCode, type ExitCodeValue } from "../exit-codes.ts";
import type { FailureKind } from "./protocol.ts";

/** Failures that are the user's input, not the target's behaviour. */
const inputKinds: readonly FailureKind[] = ["load", "not-function", "cases"];

/**
 * 3 (a target failed) when any target ran and failed; 2 (usage) when every failure is
 * the user's input — a file or export that is not there, an export that is no
 * function, cases that are no array — as the README's exit codes promise.
 */
export function failureExitCode(kinds: readonly FailureKind[]): ExitCodeValue {
  return kinds.every((k) => inputKinds.includes(k)) ? ExitCode.usage : ExitCode.targetFailed;
}
