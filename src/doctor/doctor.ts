/**
 * `xloop doctor`'s look at this machine, in the manner of pyperf's `system show`:
 * what it reads (runtimes, clocks, pinning, the native helper, hardware counters,
 * CPU frequency settings, SMT, isolated CPUs, load and busy processes, a quick A/A
 * run) and `assessDoctor`, a pure function that turns those facts into checks, each
 * problem with the command that would fix it.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { runAb } from "../ab/run-ab.ts";
import { noiseFloorFromRatios } from "../ab/noise-floor.ts";
import { allowedCpus, currentThreadCpus, measurementCpu, parseCpuList, pinCurrentThread } from "../pin/pin.ts";
import { nativeAddonStatus } from "../pin/native.ts";
import { isCompiledBinary, runtimeInfo } from "../runtime/runtime.ts";
import { findOnPath } from "../runtime/locate.ts";
import { hostingBinary } from "../runtime/host.ts";

/** A runtime found (or not) on PATH. */
export interface RuntimeProbe {
  name: "node" | "bun" | "deno";
  path: string | null;
  version: string | null;
  /** Why the version could not be read. */
  error?: string;
  /** The standalone binary's own Bun (this xloop's host), not one on PATH. */
  hostBinary?: boolean;
}

/** One clock's cost of a reading and its resolution (smallest step seen), ns. */
export interface ClockProbe {
  name: string;
  costNs: number;
  resolutionNs: number;
}

/** The pinning path, tried on this thread, and the allowed CPUs read back afterwards. */
export interface PinProbe {
  cpu: number | null;
  method: string;
  /** The thread's Cpus_allowed_list after pinning. */
  readBack: number[];
  verified: boolean;
  reason?: string;
}

/** A process other than xloop that used the CPU while doctor looked. */
export interface BusyProcess {
  pid: number;
  command: string;
  /** Share of one CPU over the sampling window, 0-1 (and more for several threads). */
  cpu: number;
}

/** The quick A/A run: identical code against itself in fresh worker pairs. */
export interface NoiseProbe {
  /** The ~1 µs function's median, ns. */
  medianNs: number;
  /** Far end of the A/A ratio's 99% interval, as a fraction: differences smaller than this cannot be told apart here. */
  floor: number;
  ratio: number;
  ci: [number, number];
  pairs: number;
  runtime: string;
  wallMs: number;
  error?: string;
}

/** Everything doctor read. */
export interface DoctorFacts {
  runtimes: RuntimeProbe[];
  /** The runtime this xloop runs on, and whether it is the standalone binary's own Bun. */
  self: { name: string; version: string; compiledBinary: boolean; hostedBy?: string };
  clocks: ClockProbe[];
  pin: PinProbe;
  native: { loaded: boolean; path: string | null; reason: string | null };
  counters: { available: boolean; reason: string };
  cpu: {
    model: string;
    cores: number;
    allowed: number[];
    governor: string | null;
    /** true: turbo/boost on, false: off, null: not exposed (VMs). */
    turbo: boolean | null;
    turboControl: "intel_pstate" | "cpufreq-boost" | null;
    /** Whether SMT is active, and the measuring CPU's siblings (itself included). */
    smt: boolean | null;
    siblings: number[];
    isolated: number[];
  };
  loadAverage: [number, number, number];
  busy: BusyProcess[];
  noise: NoiseProbe | null;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return null;
  }
}

/** Runs `file --version`, resolving to its first line (or the error), within `timeoutMs`. */
function versionOf(file: string, timeoutMs = 4000): Promise<{ version: string | null; error?: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, ["--version"], { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", (e) => resolve({ version: null, error: e.message }));
    child.on("close", (code) => {
      const first = out.trim().split("\n")[0]?.trim() ?? "";
      resolve(code === 0 && first ? { version: first.replace(/^(deno|bun|node)\s+/i, "").replace(/^v/, "").split(" ")[0] } : { version: null, error: `exit ${code}` });
    });
  });
}

/** node, bun and deno on PATH, with their versions (in parallel). */
export async function probeRuntimes(): Promise<RuntimeProbe[]> {
  return Promise.all(
    (["node", "bun", "deno"] as const).map(async (name) => {
      const path = findOnPath(name);
      // In or hosted by the standalone binary, --runtime bun measures with the binary's own Bun.
      const host = hostingBinary() ?? (isCompiledBinary() ? { path: process.execPath, bunVersion: process.versions.bun ?? "" } : null);
      if (!path && name === "bun" && host) return { name, path: host.path, version: host.bunVersion, hostBinary: true };
      if (!path) return { name, path: null, version: null };
      return { name, path, ...(await versionOf(path)) };
    }),
  );
}

declare const Bun: { nanoseconds(): number } | undefined;
/** Set by scripts/build.ts: "compiled" in the standalone binary. */
declare const XLOOP_BUILD: string | undefined;

/**
 * Each clock's cost (mean over a batch of readings) and resolution (the smallest
 * non-zero step between consecutive readings), measured now.
 */
export function probeClocks(): ClockProbe[] {
  const clocks: [string, () => number][] = [];
  if (typeof Bun !== "undefined") clocks.push(["Bun.nanoseconds", () => Bun!.nanoseconds()]);
  const hr = process.hrtime.bigint;
  clocks.push(["process.hrtime.bigint", () => Number(hr())]);
  clocks.push(["performance.now", () => performance.now() * 1e6]);
  clocks.push(["Date.now", () => Date.now() * 1e6]);
  const addon = nativeAddonStatus().addon;
  if (addon) clocks.push(["native clock_gettime", () => addon.monotonicNs()]);
  return clocks.map(([name, now]) => {
    const reads = 20_000;
    const costs: number[] = [];
    for (let round = 0; round < 5; round++) {
      const start = Number(hr());
      for (let i = 0; i < reads; i++) now();
      costs.push((Number(hr()) - start) / reads);
    }
    costs.sort((a, b) => a - b);
    let resolution = Infinity;
    let last = now();
    // Date.now steps every millisecond: stop looking once a step was seen or 30 ms passed.
    const until = Number(hr()) + 30e6;
    for (let i = 0; i < 200_000 && Number(hr()) < until; i++) {
      const t = now();
      if (t > last) {
        resolution = Math.min(resolution, t - last);
        if (resolution <= 1) break;
      }
      last = t;
    }
    return { name, costNs: costs[2], resolutionNs: resolution };
  });
}

/** Pins this thread the way measuring workers do, and reads its allowed CPUs back. Call last: the pin stays. */
export async function probePinning(): Promise<PinProbe> {
  const cpu = measurementCpu();
  const result = await pinCurrentThread(cpu);
  const readBack = currentThreadCpus();
  return { cpu: result.cpu ?? cpu, method: result.method, readBack, verified: result.cpu !== null && readBack.length === 1 && readBack[0] === result.cpu, reason: result.reason };
}

/** Whether hardware counters count here, and why not: the native helper's probe, else what the kernel exposes. */
export function probeCounters(): { available: boolean; reason: string } {
  const addon = nativeAddonStatus().addon;
  if (addon) {
    const status = addon.perfCounters();
    return { available: status.available, reason: status.reason };
  }
  if (process.platform !== "linux") return { available: false, reason: `not probed on ${process.platform}` };
  const paranoid = readText("/proc/sys/kernel/perf_event_paranoid");
  if (!existsSync("/sys/bus/event_source/devices/cpu") && !existsSync("/sys/bus/event_source/devices/cpu_core")) {
    return { available: false, reason: "the kernel exposes no CPU performance-monitoring unit (/sys/bus/event_source/devices/cpu is missing): a virtual machine without a virtual PMU" };
  }
  if (paranoid !== null && Number(paranoid) > 2) return { available: false, reason: `kernel.perf_event_paranoid is ${paranoid}: unprivileged counting is off` };
  return { available: false, reason: "a PMU is exposed, but without the native helper xloop cannot open a counter to check it counts (npm run build:native)" };
}

/** CPU model, frequency policy, turbo, SMT siblings of the measuring CPU, isolated CPUs. */
export function probeCpu(): DoctorFacts["cpu"] {
  const list = cpus();
  const allowed = allowedCpus();
  const measuring = measurementCpu() ?? 0;
  const noTurbo = readText("/sys/devices/system/cpu/intel_pstate/no_turbo");
  const boost = readText("/sys/devices/system/cpu/cpufreq/boost");
  const smtActive = readText("/sys/devices/system/cpu/smt/active");
  const siblings = readText(`/sys/devices/system/cpu/cpu${measuring}/topology/thread_siblings_list`);
  const isolated = readText("/sys/devices/system/cpu/isolated");
  return {
    model: list[0]?.model?.trim() ?? "unknown",
    cores: list.length,
    allowed,
    governor: readText(`/sys/devices/system/cpu/cpu${measuring}/cpufreq/scaling_governor`),
    turbo: noTurbo !== null ? noTurbo === "0" : boost !== null ? boost === "1" : null,
    turboControl: noTurbo !== null ? "intel_pstate" : boost !== null ? "cpufreq-boost" : null,
    smt: smtActive !== null ? smtActive === "1" : siblings !== null ? parseCpuList(siblings).length > 1 : null,
    siblings: siblings ? parseCpuList(siblings) : [],
    isolated: isolated ? parseCpuList(isolated) : [],
  };
}

function cpuTicks(): Map<number, { ticks: number; command: string; ppid: number }> {
  const out = new Map<number, { ticks: number; command: string; ppid: number }>();
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return out;
  }
  for (const pid of pids) {
    const stat = readText(`/proc/${pid}/stat`);
    if (!stat) continue;
    const close = stat.lastIndexOf(")");
    const command = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    out.set(Number(pid), { ticks: Number(fields[11]) + Number(fields[12]), command, ppid: Number(fields[1]) });
  }
  return out;
}

/**
 * Other processes that used the CPU over `windowMs` (this process and its children
 * excluded), busiest first, those above 5% of a CPU. Linux's /proc; [] elsewhere.
 */
export async function probeBusyProcesses(windowMs: number): Promise<BusyProcess[]> {
  const before = cpuTicks();
  const started = Date.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const after = cpuTicks();
  const seconds = (Date.now() - started) / 1000;
  const hz = 100; // USER_HZ: 100 on every Linux this runs on
  const busy: BusyProcess[] = [];
  for (const [pid, now] of after) {
    if (pid === process.pid || now.ppid === process.pid) continue;
    const then = before.get(pid);
    if (!then) continue;
    const share = (now.ticks - then.ticks) / hz / seconds;
    if (share >= 0.05) busy.push({ pid, command: now.command, cpu: share });
  }
  return busy.sort((a, b) => b.cpu - a.cpu).slice(0, 8);
}

/** A function of about 1 µs a call, the A/A run's target. */
const noiseKernel = "export function work(n) { let s = 0; for (let i = 0; i < n; i++) s = (s * 31 + i) | 0; return s; }\n";

/**
 * A quick A/A run (a few seconds): a ~1 µs function against itself in `pairs` fresh
 * worker pairs of the `ab` engine, on this runtime. Its floor is how far identical
 * code can read apart here.
 */
export async function probeNoise(pairs: number, signal?: AbortSignal): Promise<NoiseProbe> {
  const dir = mkdtempSync(join(tmpdir(), "xloop-doctor-"));
  const started = Date.now();
  const runtime = `${runtimeInfo().name} ${runtimeInfo().version}`;
  try {
    const file = join(dir, "aa.mjs");
    writeFileSync(file, noiseKernel);
    const target = { file, exportName: "work", label: "doctor A/A (~1 µs)" };
    const result = await runAb(target, target, { kind: "args", json: "[600]" }, {
      cpu: measurementCpu(),
      timeMs: 0,
      rounds: 1,
      workers: 2,
      sliceNs: 1e6,
      timeoutMs: 10_000,
      maxMemoryMb: 1024,
      cloneArgs: "never",
      maxWarmupNs: 100e6,
      copies: 1,
      signal,
      threshold: 0.01,
      confidence: 0.99,
      minRounds: pairs,
      maxTimeMs: Infinity,
      roundMs: 40,
      fixedRounds: pairs,
    });
    if (result.error) return { medianNs: NaN, floor: NaN, ratio: NaN, ci: [NaN, NaN], pairs: 0, runtime, wallMs: Date.now() - started, error: result.error.message };
    const floor = noiseFloorFromRatios(result.roundRatios);
    return { medianNs: result.base.ok ? result.base.stats.median : NaN, floor: floor.floor, ratio: floor.ratio, ci: floor.ci, pairs: floor.rounds, runtime, wallMs: Date.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads every fact; the A/A run, the busy-process window and the runtimes' versions overlap. */
export async function gatherDoctorFacts(options: { pairs: number; signal?: AbortSignal }): Promise<DoctorFacts> {
  const clocks = probeClocks();
  const runtimes = probeRuntimes();
  const busy = probeBusyProcesses(500);
  const noise = probeNoise(options.pairs, options.signal).catch((e: Error) => ({ medianNs: NaN, floor: NaN, ratio: NaN, ci: [NaN, NaN] as [number, number], pairs: 0, runtime: "", wallMs: 0, error: e.message }));
  const status = nativeAddonStatus();
  const self = runtimeInfo();
  const facts = {
    runtimes: await runtimes,
    self: { name: self.name, version: self.version, compiledBinary: typeof XLOOP_BUILD !== "undefined" && XLOOP_BUILD === "compiled", ...(hostingBinary() ? { hostedBy: hostingBinary()!.path } : {}) },
    clocks,
    native: { loaded: status.addon !== null, path: status.path ?? null, reason: status.reason ?? null },
    counters: probeCounters(),
    cpu: probeCpu(),
    loadAverage: loadavg() as [number, number, number],
    busy: await busy,
    noise: await noise,
  };
  // Last: pinning confines this thread for good, and the A/A run's workers must not inherit it.
  return { ...facts, pin: await probePinning() };
}

/** How a check came out. */
export type CheckStatus = "ok" | "info" | "warning" | "problem";

/** One line of doctor's report. */
export interface DoctorCheck {
  /** Which check, e.g. "governor" (runtime and clock repeat: one line per runtime or clock). */
  id: string;
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** The command (or step) that would fix it, for warnings and problems. */
  fix?: string;
}

/** The fraction of a difference the machine must resolve for `--strict`. */
export const strictResolution = 0.01;

const pct = (fraction: number) => `${(fraction * 100).toFixed(2)}%`;

/**
 * Turns the facts into checks. Problems make the machine unfit for 1% decisions
 * (`--strict`): the A/A floor above 1%, a machine loaded beyond its cores, pinning
 * that did not hold, no clock finer than a microsecond. Warnings cost precision
 * without ruling 1% out (governor, turbo, SMT siblings, no isolated CPUs, busy
 * processes); info is for the reader.
 */
export function assessDoctor(f: DoctorFacts): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  for (const r of f.runtimes) {
    if (r.path && r.version) checks.push({ id: "runtime", status: "ok", detail: `${r.name} ${r.version} (${r.hostBinary ? `the standalone binary's own: ${r.path}` : r.path})` });
    else if (r.path) checks.push({ id: "runtime", status: "warning", detail: `${r.name} at ${r.path} did not report a version (${r.error})`, fix: `${r.path} --version` });
    else checks.push({ id: "runtime", status: r.name === "node" ? "warning" : "info", detail: `${r.name} is not on PATH; --runtime ${r.name} cannot measure here`, fix: r.name === "node" ? "install Node >= 20 (https://nodejs.org), or pass --runtime-path" : `npm install -g ${r.name}` });
  }
  checks.push({ id: "runtime", status: "info", detail: `xloop runs on ${f.self.name} ${f.self.version}${f.self.compiledBinary ? " (the standalone binary's own Bun)" : f.self.hostedBy ? `, hosted by ${f.self.hostedBy}: doctor checks the runtime that would measure (--runtime to choose)` : ""}` });
  const finest = Math.min(...f.clocks.filter((c) => c.name !== "Date.now").map((c) => c.resolutionNs));
  for (const c of f.clocks) checks.push({ id: "clock", status: "info", detail: `${c.name}: ${c.costNs.toFixed(1)} ns a reading, resolution ${Number.isFinite(c.resolutionNs) ? `${c.resolutionNs.toFixed(0)} ns` : "not seen"}` });
  if (!(finest <= 1000)) checks.push({ id: "clock", status: "problem", detail: `no clock finer than ${finest} ns: batches must be long and short functions cannot be timed`, fix: "use a kernel with a high-resolution clocksource: cat /sys/devices/system/clocksource/clocksource0/current_clocksource (tsc is best)" });
  if (f.pin.verified) checks.push({ id: "pin", status: "ok", detail: `pinned to CPU ${f.pin.cpu} by ${f.pin.method}; the thread's allowed CPUs read back: ${f.pin.readBack.join(",")}` });
  else checks.push({ id: "pin", status: "problem", detail: `pinning failed (${f.pin.reason ?? "unknown"}); allowed CPUs read back: ${f.pin.readBack.join(",") || "unreadable"}`, fix: "npm run build:native (the helper pins directly), or install taskset: apt-get install util-linux" });
  if (f.native.loaded) checks.push({ id: "native", status: "ok", detail: `native helper loaded from ${f.native.path}` });
  else checks.push({ id: "native", status: "info", detail: `native helper not loaded: ${f.native.reason}; pinning falls back to FFI or taskset`, fix: "npm run build:native" });
  if (f.counters.available) checks.push({ id: "counters", status: "ok", detail: `hardware counters available: ${f.counters.reason}` });
  else checks.push({ id: "counters", status: "info", detail: `hardware counters unavailable, so none are reported: ${f.counters.reason}`, fix: /paranoid/.test(f.counters.reason) ? "sudo sysctl kernel.perf_event_paranoid=1" : /PMU|pmu/.test(f.counters.reason) ? "enable the virtual PMU in the hypervisor (nothing inside the VM can)" : undefined });
  const c = f.cpu;
  checks.push({ id: "cpu", status: "info", detail: `${c.model}, ${c.cores} CPUs, allowed ${c.allowed.join(",")}` });
  if (c.governor === null) checks.push({ id: "governor", status: "info", detail: "CPU frequency governor not exposed (typical of VMs: the host decides)" });
  else if (c.governor === "performance") checks.push({ id: "governor", status: "ok", detail: "governor: performance" });
  else checks.push({ id: "governor", status: "warning", detail: `governor: ${c.governor}; the clock speed follows load, so the first samples run slower`, fix: "sudo cpupower frequency-set -g performance" });
  if (c.turbo === null) checks.push({ id: "turbo", status: "info", detail: "turbo/boost not exposed (typical of VMs)" });
  else if (!c.turbo) checks.push({ id: "turbo", status: "ok", detail: "turbo/boost off" });
  else checks.push({ id: "turbo", status: "warning", detail: "turbo/boost on: the clock speed depends on temperature and on the other cores' load", fix: c.turboControl === "intel_pstate" ? "echo 1 | sudo tee /sys/devices/system/cpu/intel_pstate/no_turbo" : "echo 0 | sudo tee /sys/devices/system/cpu/cpufreq/boost" });
  const others = c.siblings.filter((s) => s !== f.pin.cpu);
  if (c.smt && others.length > 0) checks.push({ id: "smt", status: "warning", detail: `SMT on: the measuring CPU shares its core with CPU ${others.join(",")}`, fix: "echo off | sudo tee /sys/devices/system/cpu/smt/control (or keep other work off CPU " + others.join(",") + ")" });
  else checks.push({ id: "smt", status: c.smt === null ? "info" : "ok", detail: c.smt === null ? "SMT state not exposed" : "the measuring CPU has no SMT sibling" });
  if (c.isolated.length > 0) checks.push({ id: "isolated", status: "ok", detail: `isolated CPUs: ${c.isolated.join(",")}${f.pin.cpu !== null && !c.isolated.includes(f.pin.cpu) ? ` (xloop pins to ${f.pin.cpu}: pass --cpu ${c.isolated[c.isolated.length - 1]})` : ""}` });
  else checks.push({ id: "isolated", status: "warning", detail: "no isolated CPUs: the scheduler may run other work on the measuring CPU", fix: `add isolcpus=${f.pin.cpu ?? c.cores - 1} nohz_full=${f.pin.cpu ?? c.cores - 1} to the kernel command line and reboot` });
  const [l1, l5] = f.loadAverage;
  const loaded = l1 > c.cores - 0.5;
  checks.push({ id: "load", status: loaded ? "problem" : l1 > c.cores / 2 ? "warning" : "ok", detail: `load average ${l1.toFixed(2)} (5 min: ${l5.toFixed(2)}) on ${c.cores} CPUs`, fix: loaded || l1 > c.cores / 2 ? "stop other work (see the busy processes), or wait and rerun: xloop doctor" : undefined });
  if (f.busy.length > 0) checks.push({ id: "busy", status: "warning", detail: `other busy processes: ${f.busy.map((b) => `${b.command} (pid ${b.pid}, ${Math.round(b.cpu * 100)}% of a CPU)`).join(", ")}`, fix: `stop them or lower them: renice +19 -p ${f.busy.map((b) => b.pid).join(" ")}` });
  else checks.push({ id: "busy", status: "ok", detail: "no other process used more than 5% of a CPU" });
  const n = f.noise;
  if (!n || n.error) checks.push({ id: "noise", status: "problem", detail: `the A/A run failed: ${n?.error ?? "not run"}` });
  else {
    const fit = n.floor <= strictResolution;
    checks.push({
      id: "noise",
      status: fit ? "ok" : "problem",
      detail: `A/A on ${n.runtime}: a ${(n.medianNs / 1000).toFixed(2)} µs function against itself read ${n.ratio.toFixed(4)}x [${n.ci[0].toFixed(4)}, ${n.ci[1].toFixed(4)}] over ${n.pairs} fresh pairs (${(n.wallMs / 1000).toFixed(1)} s): differences under ±${pct(n.floor)} cannot be told apart here`,
      fix: fit ? undefined : "quiet the machine (the warnings above), then `xloop noise <target>` measures your own function's floor; ab raises its threshold to it",
    });
  }
  return checks;
}

/** Why the machine is unfit for 1% decisions (the problems), or [] when it is fit. */
export function unfitReasons(checks: DoctorCheck[]): string[] {
  return checks.filter((c) => c.status === "problem").map((c) => `${c.id}: ${c.detail}`);
}
