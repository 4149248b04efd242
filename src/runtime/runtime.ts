/** The JavaScript runtimes xloop runs on. */
export type RuntimeName = "bun" | "deno" | "node";

declare const Bun: { version: string; nanoseconds(): number; main: string } | undefined;
declare const Deno: { version: { deno: string; v8: string } } | undefined;

/** Which runtime executes this code. */
export function runtimeName(): RuntimeName {
  if (typeof Bun !== "undefined") return "bun";
  if (typeof Deno !== "undefined") return "deno";
  return "node";
}

/** Runtime name and version, e.g. `{ name: "bun", version: "1.4.5" }`. */
export function runtimeInfo(): { name: RuntimeName; version: string; v8?: string } {
  const name = runtimeName();
  if (name === "bun") return { name, version: Bun!.version };
  if (name === "deno") return { name, version: Deno!.version.deno, v8: Deno!.version.v8 };
  return { name, version: process.versions.node, v8: process.versions.v8 };
}

/** The runtime that runs this code as reports and records name it: `node 20.20.2`, `bun 1.4.5`. */
export function runtimeLabel(): string {
  const r = runtimeInfo();
  return `${r.name} ${r.version}`;
}

/**
 * True inside a `bun build --compile` executable, whose bundled files live under
 * the virtual `/$bunfs/` root instead of on disk.
 */
export function isCompiledBinary(): boolean {
  return typeof Bun !== "undefined" && import.meta.url.includes("$bunfs");
}
