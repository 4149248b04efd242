import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { runtimeName } from "../runtime/runtime.ts";
import { workerFile } from "../measure/worker-file.ts";
import type { CasesSpec, Failure, TargetSpec } from "../measure/protocol.ts";
import type { CaptureReport, CoverageRequest } from "./capture-protocol.ts";

/** Options of one capture run. */
export interface CaptureOptions {
  maxBytes: number;
  captureStdout: boolean;
  /** A case silent for this long is a hang: the worker is terminated, ms. */
  timeoutMs: number;
  maxMemoryMb: number;
  signal?: AbortSignal;
  /** Record which of these lines the cases execute (see src/oracle/line-coverage.ts). */
  coverage?: CoverageRequest;
}

/**
 * Runs every case of the target once in a fresh worker and returns the records.
 * Failures (load errors, a hang, process.exit, memory) come back as `failure`.
 */
export async function runCapture(target: TargetSpec, cases: CasesSpec, options: CaptureOptions): Promise<CaptureReport> {
  const pool = new Piscina({
    filename: workerFile("capture"),
    minThreads: 1,
    maxThreads: 1,
    resourceLimits: runtimeName() === "node" ? { maxOldGenerationSizeMb: options.maxMemoryMb } : undefined,
  });
  const aborter = new AbortController();
  const { port1, port2 } = new MessageChannel();
  let done = 0;
  let lastProgress = Date.now();
  let imposed: Failure | undefined;
  port1.on("message", (message: { done: number }) => {
    done = message.done;
    lastProgress = Date.now();
  });
  const stop = (failure: Failure) => {
    imposed ??= failure;
    aborter.abort();
  };
  const onAbort = () => stop({ kind: "crash", message: `${target.label}: interrupted` });
  options.signal?.addEventListener("abort", onAbort);
  const watchdog = setInterval(() => {
    if (Date.now() - lastProgress > options.timeoutMs) {
      stop({ kind: "timeout", message: `${target.label}: case ${done} did not finish within ${options.timeoutMs} ms (--timeout); the worker was terminated` });
    } else if (process.memoryUsage.rss() > options.maxMemoryMb * 1024 * 1024) {
      stop({ kind: "memory", message: `${target.label}: exhausted memory in case ${done} (over ${options.maxMemoryMb} MiB, --max-memory)` });
    }
  }, 20);
  try {
    return await pool.run({ target, cases, maxBytes: options.maxBytes, captureStdout: options.captureStdout, coverage: options.coverage, port: port2 }, { transferList: [port2] as any, signal: aborter.signal });
  } catch (error) {
    const e = error as Error & { code?: string };
    const failure: Failure =
      imposed ??
      (e?.code === "ERR_WORKER_OUT_OF_MEMORY"
        ? { kind: "memory", message: `${target.label}: exhausted the worker's memory limit in case ${done}` }
        : { kind: "crash", message: `${target.label}: the worker stopped in case ${done}: ${String(e?.message ?? e).split("\n")[0]}` });
    return { failure, casesFingerprint: "", records: [] };
  } finally {
    clearInterval(watchdog);
    options.signal?.removeEventListener("abort", onAbort);
    port1.close();
    await pool.destroy().catch(() => {});
  }
}
