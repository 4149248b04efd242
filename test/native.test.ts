/**
 * The optional native addon (native/, `npm run build:native`). These tests build
 * nothing: with the addon built they check it from real worker threads; without it
 * they check that xloop does not notice. The "without" side is also forced with
 * XLOOP_NATIVE=off, so both paths run whichever state the checkout is in.
 */
import { describe, expect, test, afterAll } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { addonCandidates, loadNativeAddon, nativeAddon } from "../src/pin/native.ts";
import { allowedCpus, currentThreadCpus, measurementCpu } from "../src/pin/pin.ts";
import { repoRoot, tempDir } from "./helpers.ts";

const addonPath = addonCandidates().find((path) => existsSync(path));
const built = addonPath !== undefined;
const cpu = measurementCpu()!;
const dir = tempDir("xloop-native-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The worker: pins itself either straight through the addon ("addon") or through
 * xloop's pinCurrentThread ("pin"), then reports what the kernel says about the
 * thread. A file of its own because Bun and Node both start workers from files.
 */
const workerFile = join(dir, "pin-worker.ts");
writeFileSync(
  workerFile,
  `
import { parentPort, workerData } from "node:worker_threads";
import { readFileSync, readlinkSync } from "node:fs";
const { mode, cpu, nativeUrl, pinUrl } = workerData;
const native = await import(nativeUrl);
const pin = await import(pinUrl);
const allowed = () => readFileSync("/proc/thread-self/status", "utf8").match(/Cpus_allowed_list:\\s*(.*)/)[1].trim();
const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
const status = native.nativeAddonStatus();
if (mode === "addon") {
  const addon = status.addon;
  const before = allowed();
  const ok = addon.pinCurrentThread(cpu);
  parentPort.postMessage({ ok, before, after: allowed(), currentCpu: addon.currentCpu(), threadId: addon.threadId(), tid, perf: addon.perfCounters() });
} else {
  const result = await pin.pinCurrentThread(cpu);
  parentPort.postMessage({ result, after: allowed(), loaded: status.addon !== null, reason: status.reason });
}
`,
);

const nativeUrl = pathToFileURL(join(repoRoot, "src/pin/native.ts")).href;
const pinUrl = pathToFileURL(join(repoRoot, "src/pin/pin.ts")).href;

/** Runs the worker once in a fresh thread of this process and returns its message. */
function inWorker(mode: "addon" | "pin", env: Record<string, string> = {}): Promise<any> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: { mode, cpu, nativeUrl, pinUrl }, env: { ...process.env, ...env } });
    worker.once("message", (message) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

/** The kernel's CPU list for this (the test's main) thread, as text. */
function mainThreadCpus(): string {
  return readFileSync("/proc/thread-self/status", "utf8").match(/Cpus_allowed_list:\s*(.*)/)![1].trim();
}

describe.if(built)("with the addon built", () => {
  test("it loads from native/ and exposes all five functions", () => {
    const addon = nativeAddon();
    expect(addon).not.toBeNull();
    for (const name of ["pinCurrentThread", "currentCpu", "threadId", "monotonicNs", "perfCounters"]) {
      expect(typeof (addon as any)[name]).toBe("function");
    }
  });

  test("pinning through the addon in a worker thread moves only that thread to the requested CPU", async () => {
    const mainBefore = mainThreadCpus();
    const report = await inWorker("addon");
    expect(report.ok).toBe(true);
    expect(report.after).toBe(String(cpu));
    expect(report.currentCpu).toBe(cpu);
    // gettid from the addon is the thread /proc/thread-self names: the worker's own.
    expect(report.threadId).toBe(report.tid);
    expect(report.tid).not.toBe(process.pid);
    // sched_setaffinity(0) is per thread: the test's own thread keeps every CPU.
    expect(mainThreadCpus()).toBe(mainBefore);
    expect(currentThreadCpus()).toEqual(allowedCpus());
  });

  test("xloop's pinCurrentThread uses the addon first and reports it", async () => {
    const report = await inWorker("pin");
    expect(report.loaded).toBe(true);
    expect(report.result).toEqual({ cpu, method: "native addon sched_setaffinity" });
    expect(report.after).toBe(String(cpu));
  });

  test("perfCounters reports unavailable with the kernel's reason on a machine without a CPU PMU, never zero counts", async () => {
    const { perf } = await inWorker("addon");
    expect(Object.keys(perf).sort()).toEqual(["available", "reason"]);
    expect(perf.reason).toContain("perf_event_open(instructions)");
    if (!existsSync("/sys/bus/event_source/devices/cpu")) {
      // This machine (a VM without PMU passthrough): the counter cannot even open.
      expect(perf.available).toBe(false);
      expect(perf.reason).toContain("failed");
    } else if (perf.available) {
      expect(perf.reason).toMatch(/counted [1-9]\d* user-space instructions/);
    }
  });

  test("monotonicNs counts nanoseconds at the pace of process.hrtime and never goes back", () => {
    const addon = nativeAddon()!;
    // Intervals, not readings: Bun's hrtime starts at the process's start, the
    // addon's CLOCK_MONOTONIC at boot.
    const hr0 = process.hrtime.bigint();
    const n0 = addon.monotonicNs();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    const n1 = addon.monotonicNs();
    const hr1 = process.hrtime.bigint();
    expect(n1).toBeGreaterThan(n0);
    expect(n1 - n0).toBeGreaterThanOrEqual(19e6);
    // At most the hrtime interval that encloses it (plus a microsecond for rounding).
    expect(n1 - n0).toBeLessThanOrEqual(Number(hr1 - hr0) + 1e3);
  });

  test("a bad CPU number throws instead of pinning somewhere else", () => {
    const addon = nativeAddon()!;
    expect(() => addon.pinCurrentThread(-1)).toThrow(RangeError);
    expect(() => addon.pinCurrentThread(1.5)).toThrow(RangeError);
    expect(() => addon.pinCurrentThread("1" as any)).toThrow(TypeError);
  });

  test("Node's worker threads load the addon and pin through it too", () => {
    // The measuring workers run on Node in the npm package; Bun is what runs these tests.
    const script = join(dir, "node-main.mjs");
    writeFileSync(
      script,
      `
import { Worker } from "node:worker_threads";
const code = \`
  const { parentPort, workerData } = require("node:worker_threads");
  const module = { exports: {} };
  process.dlopen(module, workerData.path);
  const ok = module.exports.pinCurrentThread(workerData.cpu);
  const after = require("node:fs").readFileSync("/proc/thread-self/status", "utf8").match(/Cpus_allowed_list:\\\\s*(.*)/)[1].trim();
  parentPort.postMessage({ ok, after, currentCpu: module.exports.currentCpu() });
\`;
const worker = new Worker(code, { eval: true, workerData: { path: ${JSON.stringify(addonPath)}, cpu: ${cpu} } });
worker.once("message", (m) => { console.log(JSON.stringify(m)); worker.terminate(); });
`,
    );
    const run = spawnSync("node", [script], { encoding: "utf8", timeout: 30_000 });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ ok: true, after: String(cpu), currentCpu: cpu });
  });
});

describe.if(!built)("without the addon built", () => {
  test("the loader returns null and says it is not built", () => {
    expect(nativeAddon()).toBeNull();
    expect(loadNativeAddon().reason).toContain("npm run build:native");
  });
});

describe("without the addon, whether or not it is built", () => {
  test("a candidate list with no file on it gives null, not an error", () => {
    const status = loadNativeAddon([join(dir, "missing.node")]);
    expect(status.addon).toBeNull();
    expect(status.reason).toContain("not built");
  });

  test("a file that is not an addon gives null with the loader's reason", () => {
    const bogus = join(dir, "xloop-native.bogus.node");
    writeFileSync(bogus, "not an ELF file");
    const status = loadNativeAddon([bogus]);
    expect(status.addon).toBeNull();
    expect(status.reason).toContain("failed to load");
  });

  test("XLOOP_NATIVE=off makes the loader return null", async () => {
    const report = await inWorker("pin", { XLOOP_NATIVE: "off" });
    expect(report.loaded).toBe(false);
    expect(report.reason).toBe("disabled by XLOOP_NATIVE");
  });

  test("pinCurrentThread still pins a worker thread through the runtime's own fallback", async () => {
    // Forced off only when built: otherwise the missing file is what is under test.
    const report = await inWorker("pin", built ? { XLOOP_NATIVE: "off" } : {});
    expect(report.loaded).toBe(false);
    expect(report.result.cpu).toBe(cpu);
    expect(report.result.method).toBe("bun:ffi sched_setaffinity");
    expect(report.after).toBe(String(cpu));
  });
});
