import { fileURLToPath } from "node:url";

/** Set by scripts/build.ts: "compiled" in the single binary, "node" in dist/cli.js. */
declare const XLOOP_BUILD: string | undefined;

/** The worker programs xloop runs through piscina. */
export type WorkerName = "measure" | "capture";

/**
 * The file piscina loads for a worker. A compiled binary carries it inside its
 * virtual file system (scripts/build.ts embeds workers/<name>.ts there); the Node
 * bundle ships it beside cli.js; from source it is the TypeScript file itself
 * (Bun and Deno import it directly).
 */
export function workerFile(name: WorkerName): string {
  const build = typeof XLOOP_BUILD === "undefined" ? "source" : XLOOP_BUILD;
  if (build === "compiled") return `/$bunfs/root/workers/${name}.js`;
  if (build === "node") return fileURLToPath(new URL(`./${name}-worker.js`, import.meta.url));
  return fileURLToPath(new URL(`../../workers/${name}.ts`, import.meta.url));
}
