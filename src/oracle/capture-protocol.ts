import type { EncodedValue } from "./encoded.ts";
import type { CasesSpec, Failure, TargetSpec } from "../measure/protocol.ts";

/** What one call did: returned a value or threw, and the arguments' state afterwards. */
export interface CaseRecord {
  outcome: "return" | "throw";
  /** The awaited return value, or the thrown error. */
  value: EncodedValue;
  /** The argument list after the call (in-place mutation is part of the output). */
  args: EncodedValue;
  /** What the call printed (console and process.stdout), when captured. */
  stdout?: string;
}

/** What the capture worker is asked to do. */
export interface CaptureTask {
  target: TargetSpec;
  cases: CasesSpec;
  maxBytes: number;
  captureStdout: boolean;
  /** Lines whose execution by the cases to record (an experiment's changed lines); none when absent. */
  coverage?: CoverageRequest;
  port: MessagePort;
}

/** The files (absolute paths) and 1-based lines whose coverage the capture records. */
export interface CoverageRequest {
  files: { file: string; lines: number[] }[];
}

/** One file's coverage: which requested lines hold code, which ran while loading, and which each case ran. */
export interface FileCoverage {
  file: string;
  checked: number[];
  load: number[];
  cases: number[][];
}

/** The coverage a capture took, or why this runtime could not take it. */
export type CoverageReport = { available: true; files: FileCoverage[] } | { available: false; reason: string };

/** What the capture worker returns. */
export interface CaptureReport {
  failure?: Failure;
  /** Fingerprint of the argument lists before any call. */
  casesFingerprint: string;
  records: CaseRecord[];
  /** Present when the task asked for coverage. */
  coverage?: CoverageReport;
}
