/**
 * Which runtime measures: a pure rule over what the user said and what the project
 * holds, so the choice is the same wherever xloop itself happens to run.
 */
import type { RuntimeName } from "./runtime.ts";

/** The runtimes a user may name with --runtime or `runtime` in .codeflash/config.json. */
export const runtimeNames: readonly RuntimeName[] = ["node", "bun", "deno"];

/** The files of a project that say which runtime it ships on, as found near the current folder. */
export interface ProjectMarkers {
  /** The folder that holds them (the nearest with a package.json, deno.json or Bun file), or null. */
  dir: string | null;
  /** `bun.lock`, `bun.lockb` or `bunfig.toml`, the first one present. */
  bun: string | null;
  /** `deno.json`, `deno.jsonc` or `deno.lock`, the first one present. */
  deno: string | null;
}

/** What the choice rests on. */
export interface RuntimeRequest {
  /** --runtime, when given. */
  flag?: RuntimeName;
  /** `runtime` of .codeflash/config.json, when set. */
  config?: RuntimeName;
  markers: ProjectMarkers;
  /** Whether a `node` executable is on PATH (or given by --runtime-path). */
  nodeAvailable: boolean;
}

/** The runtime to measure on, why, and a note for the user when the choice fell back. */
export interface RuntimeChoice {
  name: RuntimeName;
  /** Whether the user named it (flag or config) rather than xloop detecting it. */
  explicit: boolean;
  /** Why, in a few words: `--runtime`, `.codeflash/config.json`, `bunfig.toml in /p`, … */
  because: string;
  /** A one-line note to print when the default could not be the project's own runtime. */
  note?: string;
}

/**
 * The runtime a measurement runs on: --runtime, else the config's `runtime`, else the
 * project's own (a Bun lockfile or bunfig.toml: bun; deno.json or deno.lock: deno),
 * else node when it is installed, else bun (the one the standalone binary carries) with
 * a note. A user optimising a Node library must get V8's answer: JavaScriptCore inlines,
 * allocates and collects differently, and the same swap measured 2.14x on one engine
 * and 2.67x on the other.
 */
export function chooseRuntime(request: RuntimeRequest): RuntimeChoice {
  if (request.flag) return { name: request.flag, explicit: true, because: "--runtime" };
  if (request.config) return { name: request.config, explicit: true, because: ".codeflash/config.json" };
  const { markers } = request;
  if (markers.bun) return { name: "bun", explicit: false, because: `${markers.bun} in ${markers.dir}` };
  if (markers.deno) return { name: "deno", explicit: false, because: `${markers.deno} in ${markers.dir}` };
  if (request.nodeAvailable) return { name: "node", explicit: false, because: "no Bun or Deno files in the project, and node is installed" };
  return {
    name: "bun",
    explicit: false,
    because: "no node on PATH",
    note: "no node on PATH, so this measures on Bun (JavaScriptCore); install Node or pass --runtime-path to measure on V8",
  };
}
