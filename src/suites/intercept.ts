/**
 * Routes a suite file's bare imports of `tinybench`, `mitata` and `vitest` to xloop's
 * shims (src/suites/shims.ts) in this thread, whether or not the user's project has
 * the real package: on Bun through a runtime plugin's virtual modules, on Node through
 * module hooks (workers/suite-hooks.ts) registered on this thread's hooks thread, and
 * the CommonJS loader for require().
 */
import { existsSync } from "node:fs";
import Module, { register } from "node:module";
import { fileURLToPath } from "node:url";
import { runtimeName } from "../runtime/runtime.ts";
import { suitePeers } from "./detect.ts";
import { suiteShims } from "./shims.ts";

/** Set by scripts/build.ts: "compiled" in the single binary, "node" in dist/cli.js and its workers. */
declare const XLOOP_BUILD: string | undefined;

/** Why peer suites cannot be read here, when they cannot. */
export class SuitesUnsupported extends Error {}

let installed = false;

/** What the Node hooks need: each shim's export names, to generate a module re-exporting them. */
export interface SuiteHooksData {
  exports: Record<string, string[]>;
}

/** Installs the interception once per thread; throws SuitesUnsupported where it cannot be done. */
export function interceptPeerImports(): void {
  if (installed) return;
  const shims = suiteShims();
  const runtime = runtimeName();
  if (runtime === "bun") {
    Bun.plugin({
      name: "xloop-suite-shims",
      setup(build) {
        // Virtual modules win over node_modules, so the user's real package never loads.
        for (const peer of suitePeers) build.module(peer, () => ({ exports: shims[peer], loader: "object" }));
      },
    });
  } else if (runtime === "node") {
    const hooks = new URL("./suite-hooks.js", import.meta.url);
    if (typeof XLOOP_BUILD === "undefined" || XLOOP_BUILD !== "node" || !existsSync(fileURLToPath(hooks))) {
      throw new SuitesUnsupported("tinybench, mitata and vitest suites run on Node through xloop's bundle (dist/cli.js or the binary's --runtime node)");
    }
    const data: SuiteHooksData = { exports: Object.fromEntries(suitePeers.map((p) => [p, Object.keys(shims[p])])) };
    register(hooks.href, { data });
    // Node 20's module hooks do not see require(): a CommonJS suite's require("tinybench")
    // goes through the CommonJS loader, which each thread has its own of.
    const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const load = loader._load;
    loader._load = function (request: string, ...rest: unknown[]) {
      return (suitePeers as readonly string[]).includes(request) ? shims[request as keyof typeof shims] : load.call(this, request, ...rest);
    };
  } else {
    throw new SuitesUnsupported("tinybench, mitata and vitest suites are not supported on Deno yet (xloop hands the file its collector for those imports through Node's module.register or Bun's plugins, and has no such route on Deno); measure them with --runtime node or --runtime bun");
  }
  installed = true;
}
