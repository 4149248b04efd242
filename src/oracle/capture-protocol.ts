import type { EncodedValue } from "./encode.ts";
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
  port: MessagePort;
}

/** What the capture worker returns. */
export interface CaptureReport {
  failure?: Failure;
  /** Fingerprint of the argument lists before any call. */
  casesFingerprint: string;
  records: CaseRecord[];
}
