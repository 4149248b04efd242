import { execFileSync } from "node:child_process";
import { readFileSync, readlinkSync } from "node:fs";
import { runtimeName } from "../runtime/runtime.ts";
import { nativeAddon } from "./native.ts";

/** How the measuring thread was pinned, as every report shows it. */
export interface PinResult {
  /** The CPU the thread is confined to, or null when pinning failed. */
  cpu: number | null;
  /** e.g. "native addon sched_setaffinity", "bun:ffi sched_setaffinity", "taskset -p", or "none". */
  method: string;
  /** Why pinning was impossible, when it was. */
  reason?: string;
}

/** Parses a kernel CPU list like "0-3,6" into CPU numbers. */
export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.trim().split(",")) {
    if (!part) continue;
    const [from, to] = part.split("-").map(Number);
    for (let c = from; c <= (to ?? from); c++) cpus.push(c);
  }
  return cpus;
}

/** The Cpus_allowed_list of a /proc status file, or [] when unreadable. */
function cpusAllowedIn(statusFile: string): number[] {
  try {
    const status = readFileSync(statusFile, "utf8");
    const line = status.split("\n").find((l) => l.startsWith("Cpus_allowed_list:"));
    return line ? parseCpuList(line.split(":")[1]) : [];
  } catch {
    return [];
  }
}

/** The CPUs this process may run on, or [] when unreadable. */
export function allowedCpus(): number[] {
  return cpusAllowedIn("/proc/self/status");
}

/**
 * The CPU measurements go to: the last allowed one, so the main thread, the
 * runtime's helper threads and the shell keep CPU 0 that the kernel favours.
 */
export function measurementCpu(): number | null {
  const cpus = allowedCpus();
  return cpus.length ? cpus[cpus.length - 1] : null;
}

/** The CPUs the calling thread is confined to now. */
export function currentThreadCpus(): number[] {
  return cpusAllowedIn("/proc/thread-self/status");
}

function maskFor(cpu: number): BigUint64Array {
  const mask = new BigUint64Array(16); // 1024 CPUs, the kernel's default cpu_set_t
  mask[Math.floor(cpu / 64)] = 1n << BigInt(cpu % 64);
  return mask;
}

async function pinWithBunFfi(cpu: number): Promise<void> {
  const ffi = await import("bun:ffi" as string);
  const lib = ffi.dlopen("libc.so.6", {
    sched_setaffinity: { args: [ffi.FFIType.i32, ffi.FFIType.u64, ffi.FFIType.ptr], returns: ffi.FFIType.i32 },
  });
  try {
    const mask = maskFor(cpu);
    const rc = lib.symbols.sched_setaffinity(0, mask.byteLength, ffi.ptr(mask));
    if (rc !== 0) throw new Error(`sched_setaffinity returned ${rc}`);
  } finally {
    lib.close();
  }
}

async function pinWithDenoFfi(cpu: number): Promise<void> {
  const deno = (globalThis as any).Deno;
  const lib = deno.dlopen("libc.so.6", {
    sched_setaffinity: { parameters: ["i32", "usize", "buffer"], result: "i32" },
  });
  try {
    const mask = maskFor(cpu);
    const rc = lib.symbols.sched_setaffinity(0, BigInt(mask.byteLength), mask);
    if (rc !== 0) throw new Error(`sched_setaffinity returned ${rc}`);
  } finally {
    lib.close();
  }
}

function pinWithTaskset(cpu: number): void {
  // /proc/thread-self -> "<pid>/task/<tid>": the kernel id of this very thread.
  const tid = readlinkSync("/proc/thread-self").split("/").pop()!;
  execFileSync("taskset", ["-p", "-c", String(cpu), tid], { stdio: "ignore" });
}

/**
 * Pins the calling thread (not the whole process) to `cpu`, trying the cheapest
 * method this runtime offers first, and checks the kernel's view afterwards. Never
 * throws: a thread that cannot be pinned is measured anyway and reported as such.
 */
export async function pinCurrentThread(cpu: number | null): Promise<PinResult> {
  if (cpu === null) return { cpu: null, method: "none", reason: "the allowed CPUs could not be read" };
  if (process.platform !== "linux") return { cpu: null, method: "none", reason: `pinning is implemented for Linux, not ${process.platform}` };
  const runtime = runtimeName();
  const attempts: [string, () => Promise<void> | void][] = [];
  // The optional addon first: one direct call, no FFI compilation or child process.
  const addon = nativeAddon();
  if (addon) {
    attempts.push([
      "native addon sched_setaffinity",
      () => {
        if (!addon.pinCurrentThread(cpu)) throw new Error("sched_setaffinity failed");
      },
    ]);
  }
  if (runtime === "bun") attempts.push(["bun:ffi sched_setaffinity", () => pinWithBunFfi(cpu)]);
  if (runtime === "deno") attempts.push(["Deno.dlopen sched_setaffinity", () => pinWithDenoFfi(cpu)]);
  attempts.push(["taskset -p", () => pinWithTaskset(cpu)]);
  const failures: string[] = [];
  for (const [method, attempt] of attempts) {
    try {
      await attempt();
      const now = currentThreadCpus();
      if (now.length === 1 && now[0] === cpu) return { cpu, method };
      failures.push(`${method}: thread still allowed on CPUs ${now.join(",")}`);
    } catch (error) {
      failures.push(`${method}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  return { cpu: null, method: "none", reason: failures.join("; ") };
}
