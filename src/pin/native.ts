/**
 * The optional native helper (native/, built by `npm run build:native`): a Node-API
 * addon for pinning, thread facts, a monotonic clock and an honest hardware-counter
 * probe. xloop never needs it: every caller falls back when this returns null, so a
 * missing, stale or unloadable addon only costs the cheaper method, never a run.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isCompiledBinary, runtimeName } from "../runtime/runtime.ts";

/** Set by scripts/build.ts: "compiled" in the single binary, "node" in dist/cli.js. */
declare const XLOOP_BUILD: string | undefined;

/** What the addon's hardware-counter probe found. */
export interface PerfCounterStatus {
  /** True only when an instruction counter opened and counted a test loop. */
  available: boolean;
  /** Why not (the kernel's error), or what the probe counted. */
  reason: string;
}

/** The functions native/src/lib.rs exports. */
export interface NativeAddon {
  /** sched_setaffinity(0, ...): confines the calling thread to `cpu`; false when the kernel refuses. */
  pinCurrentThread(cpu: number): boolean;
  /** sched_getcpu(): the CPU the calling thread runs on now, or -1. */
  currentCpu(): number;
  /** gettid(): the kernel id of the calling thread. */
  threadId(): number;
  /** clock_gettime(CLOCK_MONOTONIC) in nanoseconds, as a double. */
  monotonicNs(): number;
  /** Opens a hardware instruction counter and reports whether it really counts. */
  perfCounters(): PerfCounterStatus;
}

/** Whether the addon loaded, from where, or why not. */
export interface NativeAddonStatus {
  /** The loaded addon, or null. */
  addon: NativeAddon | null;
  /** The file it was loaded from. */
  path?: string;
  /** Why there is no addon (not built, disabled, failed to load). */
  reason?: string;
}

const exportedFunctions = ["pinCurrentThread", "currentCpu", "threadId", "monotonicNs", "perfCounters"] as const;

/**
 * The names `napi build --platform` gives the addon on this machine, e.g.
 * "xloop-native.linux-x64-gnu.node". Both C libraries are listed: which one the
 * runtime uses is not worth a process report to find out, and a file built for
 * the other one simply fails to load.
 */
export function addonFileNames(): string[] {
  if (process.platform !== "linux") return [];
  return ["gnu", "musl"].map((abi) => `xloop-native.linux-${process.arch}-${abi}.node`);
}

/**
 * Where the addon is looked for. From source and from the Node bundle the
 * repository's native/ folder, found from this module's own location; in a
 * compiled binary, whose modules live in a virtual file system, beside the
 * executable (an installed copy) or in ../native (the repository's dist/xloop).
 */
export function addonCandidates(): string[] {
  const build = typeof XLOOP_BUILD === "undefined" ? "source" : XLOOP_BUILD;
  let folders: string[];
  if (build === "compiled" || isCompiledBinary()) {
    const beside = dirname(process.execPath);
    folders = [beside, join(beside, "..", "native")];
  } else {
    const here = dirname(fileURLToPath(import.meta.url));
    // src/pin/native.ts -> ../../native; dist/measure-worker.js -> ../native.
    folders = [join(here, build === "node" ? ".." : "../..", "native")];
  }
  return folders.flatMap((folder) => addonFileNames().map((name) => join(folder, name)));
}

function loadFile(path: string): NativeAddon {
  const module = { exports: {} as Record<string, unknown> };
  // process.dlopen rather than require: Node, Bun and Deno all have it, and no
  // bundler tries to embed or resolve a path it cannot see.
  process.dlopen(module, path);
  const missing = exportedFunctions.filter((name) => typeof module.exports[name] !== "function");
  if (missing.length) throw new Error(`lacks ${missing.join(", ")} (an old build? run npm run build:native)`);
  return module.exports as unknown as NativeAddon;
}

/**
 * Loads the first candidate file that exists, without caching (tests pass their
 * own candidates). Never throws. XLOOP_NATIVE=off (or 0) disables the addon, to
 * compare against the fallbacks or to sidestep a misbehaving build.
 */
export function loadNativeAddon(candidates: string[] = addonCandidates()): NativeAddonStatus {
  if (runtimeName() === "deno") {
    // Without --allow-ffi Deno would stop to ask in a terminal; the addon is not
    // worth a prompt, and Deno.dlopen pinning needs that permission anyway.
    const deno = (globalThis as any).Deno;
    if (deno?.permissions?.querySync?.({ name: "ffi" })?.state !== "granted") {
      return { addon: null, reason: "Deno has no --allow-ffi permission" };
    }
  }
  let setting = "";
  try {
    setting = (process.env.XLOOP_NATIVE ?? "").toLowerCase();
  } catch {
    // Deno without --allow-env throws on reading a variable: nothing was set then.
  }
  if (setting === "off" || setting === "0") return { addon: null, reason: "disabled by XLOOP_NATIVE" };
  const failures: string[] = [];
  for (const path of candidates) {
    try {
      // Inside the try: Deno without --allow-read throws even on a look.
      if (!existsSync(path)) continue;
      return { addon: loadFile(path), path };
    } catch (error) {
      failures.push(`${path}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  if (failures.length) return { addon: null, reason: `failed to load ${failures.join("; ")}` };
  return { addon: null, reason: "not built (npm run build:native)" };
}

let cached: NativeAddonStatus | undefined;

/** The addon's status for this thread, loaded on first use (each worker loads its own). */
export function nativeAddonStatus(): NativeAddonStatus {
  cached ??= loadNativeAddon();
  return cached;
}

/** The native addon, or null when it is not built, disabled or unloadable. */
export function nativeAddon(): NativeAddon | null {
  return nativeAddonStatus().addon;
}
