/**
 * The profiler Node loads into every process and worker of a workload. Node refuses
 * `--cpu-prof` in NODE_OPTIONS, so the inspector's Profiler (and, for memory, the
 * sampling HeapProfiler counting collected objects too) is started by a preload given
 * with `--require`, which NODE_OPTIONS carries to child processes and workers. Each
 * thread writes its profile when it exits (on SIGINT/SIGTERM too, when nothing else
 * listens for them). Same-thread inspector sessions answer synchronously, so the
 * profile is written before the thread goes.
 */

/** The environment variables the preload reads. */
export const preloadEnv = {
  dir: "XLOOP_PROFILE_DIR",
  intervalUs: "XLOOP_PROFILE_INTERVAL_US",
  heap: "XLOOP_PROFILE_HEAP",
  /** "0" in the second run, which samples allocations only. */
  cpu: "XLOOP_PROFILE_CPU",
} as const;

/** The preload's source (CommonJS: `--require` loads it before ES and CommonJS entries alike). */
export const nodePreloadSource = `"use strict";
// Written by xloop profile: starts the inspector's profilers in this thread and writes their profiles on exit.
(function () {
  const dir = process.env.${preloadEnv.dir};
  // Bun and Deno read NODE_OPTIONS too but profile with their own --cpu-prof.
  if (!dir || process.versions.bun || process.versions.deno) return;
  const { Session } = require("node:inspector");
  const { writeFileSync } = require("node:fs");
  const { join } = require("node:path");
  const { threadId, isMainThread } = require("node:worker_threads");
  const interval = Number(process.env.${preloadEnv.intervalUs}) || 1000;
  const heap = process.env.${preloadEnv.heap} === "1";
  const cpu = process.env.${preloadEnv.cpu} !== "0";
  let session;
  try {
    session = new Session();
    session.connect();
    if (cpu) {
      session.post("Profiler.enable");
      session.post("Profiler.setSamplingInterval", { interval });
      session.post("Profiler.start");
    }
    if (heap) session.post("HeapProfiler.startSampling", { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  } catch (error) {
    process.stderr.write("xloop profile: could not start the profiler in process " + process.pid + ": " + error.message + "\\n");
    return;
  }
  let written = false;
  function write() {
    if (written) return;
    written = true;
    const base = join(dir, process.pid + "-" + threadId);
    if (cpu) session.post("Profiler.stop", (error, result) => {
      if (!error && result) writeFileSync(base + ".cpuprofile", JSON.stringify(result.profile));
    });
    if (heap) session.post("HeapProfiler.stopSampling", (error, result) => {
      if (!error && result) writeFileSync(base + ".heapprofile", JSON.stringify(result.profile));
    });
    session.disconnect();
  }
  process.on("exit", write);
  if (isMainThread) for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, function onSignal() {
      write();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
})();
`;
