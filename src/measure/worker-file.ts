import { fileURLToPath } from "node:url";

/** Set by scripts/build.ts: "compiled" in the single binary, "node" in dist/cli.js. */
declare const XLOOP_BUILD: string | undefined;

/** Where the compiled binary embeds the measuring worker (see scripts/build.ts). */
export const embeddedMeasureWorker = "/$bunfs/root/workers/measure.js";

/**
 * The file piscina loads in each worker. A compiled binary carries it inside its
 * virtual file system; the Node bundle ships it beside cli.js; from source it is
 * the TypeScript file itself (Bun and Deno import it directly).
 */
export function measureWorkerFile(): string {
  const build = typeof XLOOP_BUILD === "undefined" ? "source" : XLOOP_BUILD;
  if (build === "compiled") return embeddedMeasureWorker;
  if (build === "node") return fileURLToPath(new URL("./measure-worker.js", import.meta.url));
  return fileURLToPath(new URL("../../workers/measure.ts", import.meta.url));
}
