/**
 * The oracle's worker: runs the target once on every case, in a fresh worker of its
 * own, and records each call's outcome in the oracle encoding (return value or
 * thrown error, the arguments afterwards, optionally what it printed).
 */
import { encodeValue, fingerprint } from "../src/oracle/encode.ts";
import { LoadFailure, loadCases, loadTarget } from "../src/measure/load-target.ts";
import type { CaptureReport, CaptureTask, CaseRecord } from "../src/oracle/capture-protocol.ts";
import { ValueTooLargeError } from "../src/oracle/encode.ts";
import { coverageReport, startLineCoverage } from "../src/oracle/line-coverage.ts";

// The target's prints go to stderr (a call's own are captured below when the oracle
// records them): stdout carries xloop's own output (--json), which they would corrupt.
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

class ExitCalled extends Error {
  constructor(readonly code: unknown) {
    super(`called process.exit(${code ?? ""})`);
  }
}

/** Collects what a call prints while it runs. */
function interceptOutput(): { stop: () => string } {
  const chunks: string[] = [];
  const saved = { write: process.stdout.write, log: console.log, info: console.info, debug: console.debug };
  const format = (args: unknown[]) => args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ") + "\n";
  process.stdout.write = ((chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  console.log = console.info = console.debug = (...args: unknown[]) => void chunks.push(format(args));
  return {
    stop() {
      process.stdout.write = saved.write;
      console.log = saved.log;
      console.info = saved.info;
      console.debug = saved.debug;
      return chunks.join("");
    },
  };
}

/** The piscina task handler. */
export default async function capture(task: CaptureTask): Promise<CaptureReport> {
  const report: CaptureReport = { casesFingerprint: "", records: [] };
  process.exit = ((code?: unknown) => {
    throw new ExitCalled(code);
  }) as typeof process.exit;
  // Started before the target loads, so its functions are compiled with block counters.
  const coverage = task.coverage ? await startLineCoverage(task.coverage) : undefined;
  if (typeof coverage === "string") report.coverage = { available: false, reason: coverage };
  const perCase: Map<string, Set<number>>[] = [];
  try {
    const fn = await loadTarget(task.target);
    const cases = await loadCases(task.cases);
    const atLoad = coverage && typeof coverage !== "string" ? await coverage.snapshot() : undefined;
    report.casesFingerprint = fingerprint(encodeValue(cases, { maxBytes: task.maxBytes, root: "cases" }));
    for (let i = 0; i < cases.length; i++) {
      const args = cases[i];
      const output = task.captureStdout ? interceptOutput() : null;
      let outcome: CaseRecord["outcome"] = "return";
      let value: unknown;
      let printed: string | undefined;
      try {
        value = await fn(...args);
      } catch (error) {
        if (error instanceof ExitCalled) throw error;
        outcome = "throw";
        value = error;
      } finally {
        if (output) printed = output.stop();
      }
      const record: CaseRecord = {
        outcome,
        value: encodeValue(value, { maxBytes: task.maxBytes, root: outcome === "return" ? "return" : "thrown" }),
        args: encodeValue(args, { maxBytes: task.maxBytes, root: "args" }),
      };
      if (printed !== undefined) record.stdout = printed;
      report.records[i] = record;
      if (coverage && typeof coverage !== "string") perCase.push(await coverage.snapshot());
      task.port.postMessage({ done: i + 1 });
    }
    if (coverage && typeof coverage !== "string") {
      report.coverage = coverageReport(task.coverage!, coverage, atLoad!, perCase);
      await coverage.stop();
    }
  } catch (error) {
    if (error instanceof LoadFailure) report.failure = error.failure;
    else if (error instanceof ValueTooLargeError) report.failure = { kind: "cases", message: `${task.target.label}: ${error.message}` };
    else if (error instanceof ExitCalled) report.failure = { kind: "exit", message: `${task.target.label}: ${error.message} during case ${report.records.length}` };
    else report.failure = { kind: "threw", message: `${task.target.label}: ${(error as Error)?.message ?? error}`, stack: (error as Error)?.stack };
  }
  task.port.close();
  return report;
}
