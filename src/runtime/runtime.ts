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
 * The engine a runtime label names: `node` of `node 20.20.2`. Figures, floors and oracles
 * are compared by engine, not version: engines differ, versions of one rarely matter.
 */
export function engineOf(label: string): string {
  return label.split(" ")[0]!;
}

declare const XLOOP_BUILD: string | undefined;

/**
 * True inside a `bun build --compile` executable, whose bundled files live under
 * the virtual `/$bunfs/` root instead of on disk (the build defines XLOOP_BUILD; the
 * URL test covers a compile that did not).
 */
export function isCompiledBinary(): boolean {
  if (typeof XLOOP_BUILD !== "undefined" && XLOOP_BUILD === "compiled") return true;
  return typeof Bun !== "undefined" && import.meta.url.includes("$bunfs");
}

/** The command line that runs this same xloop again: the binary alone, or the runtime and the script it runs. */
export function selfCommand(): string[] {
  return isCompiledBinary() ? [process.execPath] : [process.execPath, process.argv[1]];
}
