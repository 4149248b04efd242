/**
 * Node module hooks that let a Node 20+ worker import the user's ESM TypeScript fast.
 * Registered by each measuring worker (src/measure/load-target.ts) on its own hooks
 * thread: a TypeScript file is transpiled by esbuild once per version of the file and
 * kept on disk, so the next fresh worker reads JavaScript instead of starting esbuild
 * (tsx's per-worker start measured 0.5-1.1 s, these hooks 0.15-0.3 s, on a loaded host).
 * TypeScript's own import conventions resolve too: `./a.js` for `a.ts`, and `./a`.
 * Every TypeScript file loads as ESM; one of a CommonJS package gets `require`,
 * `__filename` and `__dirname` defined when it uses them.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** What the registering worker passes: where transpiled files are kept. */
export interface TypeScriptHooksData {
  cacheDir: string;
}

let cacheDir = "";

/** Node calls this once when the hooks are registered. */
export function initialize(data: TypeScriptHooksData): void {
  cacheDir = data.cacheDir;
}

const typeScriptFile = /\.(m|c)?tsx?$/;

/** The alternatives TypeScript's resolution would try for a relative specifier Node could not find. */
function typeScriptCandidates(specifier: string): string[] {
  const swapped = specifier.replace(/\.js$/, ".ts").replace(/\.mjs$/, ".mts").replace(/\.jsx$/, ".tsx");
  if (swapped !== specifier) return [swapped, specifier.replace(/\.js$/, ".tsx")];
  if (/\.[cm]?[jt]sx?$/.test(specifier)) return [];
  return [".ts", ".tsx", ".mts", ".js", "/index.ts", "/index.tsx", "/index.js"].map((ending) => specifier + ending);
}

type Next<C, R> = (specifier: string, context: C) => Promise<R>;

/** Node's resolve, then TypeScript's alternatives for relative imports of the user's files. */
export async function resolve(specifier: string, context: { parentURL?: string }, next: Next<typeof context, { url: string }>): Promise<{ url: string }> {
  try {
    return await next(specifier, context);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const relative = specifier.startsWith("./") || specifier.startsWith("../");
    if (!relative || !context.parentURL?.startsWith("file:") || (code !== "ERR_MODULE_NOT_FOUND" && code !== "ERR_UNSUPPORTED_DIR_IMPORT")) throw error;
    for (const candidate of typeScriptCandidates(specifier)) {
      const url = new URL(candidate, context.parentURL);
      if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true } as { url: string };
    }
    throw error;
  }
}

/** The nearest tsconfig.json's text (esbuild reads its compiler options), or "". */
function nearestTsconfig(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const candidate = join(dir, "tsconfig.json");
    if (existsSync(candidate)) return readFileSync(candidate, "utf8");
    if (dirname(dir) === dir || existsSync(join(dir, "package.json"))) return "";
  }
}

/**
 * What a TypeScript file of a CommonJS package may use that ESM lacks, defined from
 * import.meta when the file mentions it and does not declare it itself.
 */
function commonJsShims(source: string): string {
  const uses = (name: string) => new RegExp(`\\b${name}\\b`).test(source) && !new RegExp(`\\b(const|let|var|function|class)\\s+${name}\\b`).test(source);
  const lines: string[] = [];
  if (uses("require")) lines.push('import { createRequire as __xloopCreateRequire } from "node:module"; const require = __xloopCreateRequire(import.meta.url);');
  if (uses("__filename") || uses("__dirname")) lines.push('import { fileURLToPath as __xloopFileURLToPath } from "node:url"; const __filename = __xloopFileURLToPath(import.meta.url);');
  if (uses("__dirname")) lines.push('import { dirname as __xloopDirname } from "node:path"; const __dirname = __xloopDirname(__filename);');
  return lines.join(" ");
}

async function transpile(file: string, source: string, tsconfig: string): Promise<string> {
  const esbuild = (await import("esbuild" as string)) as { transform: (code: string, options: object) => Promise<{ code: string }> };
  const result = await esbuild
    .transform(source, {
    loader: file.endsWith("x") ? "tsx" : "ts",
    format: "esm",
    sourcefile: file,
    sourcemap: "inline",
    target: `node${process.versions.node.split(".")[0]}`,
    ...(tsconfig ? { tsconfigRaw: tsconfig } : {}),
    banner: commonJsShims(source),
  })
    .catch((error: Error) => {
      // Marked so the worker falls back to tsx (e.g. `export =`, which ESM cannot express).
      throw Object.assign(new Error(`${file}: ${error.message.split("\n")[0]}`), { code: "XLOOP_TYPESCRIPT_TRANSPILE" });
    });
  return result.code;
}

/** TypeScript files as ESM JavaScript, from the disk cache when this version was seen before. */
export async function load(url: string, context: object, next: Next<object, unknown>): Promise<unknown> {
  if (!url.startsWith("file:") || !typeScriptFile.test(new URL(url).pathname)) return next(url, context);
  const file = fileURLToPath(url);
  const stat = statSync(file);
  const tsconfig = nearestTsconfig(file);
  const key = createHash("sha256").update(`${file}\0${stat.mtimeMs}\0${stat.size}\0${tsconfig}\0${process.versions.node}`).digest("hex").slice(0, 32);
  const cached = join(cacheDir, `${key}.js`);
  let source: string;
  try {
    source = readFileSync(cached, "utf8");
  } catch {
    source = await transpile(file, readFileSync(file, "utf8"), tsconfig);
    try {
      // Written aside and renamed: another worker may read the same entry at this moment.
      mkdirSync(cacheDir, { recursive: true });
      const partial = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}`;
      writeFileSync(partial, source);
      renameSync(partial, cached);
    } catch {
      // The cache only saves time: an unwritable one means transpiling again next time.
    }
  }
  return { format: "module", source, shortCircuit: true };
}
