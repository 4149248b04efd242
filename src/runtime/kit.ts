/**
 * The runtime kit: the Node/Deno bundle of xloop (dist/cli.js, its workers, and the few
 * packages it loads from disk: piscina for its worker file, tsx and esbuild so Node
 * imports TypeScript), which another runtime runs when it hosts a measurement. The
 * standalone binary carries the kit inside and unpacks it once per build into the
 * user's cache folder; the npm bundle is the kit itself.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { UserError } from "../errors.ts";

/** Set by scripts/build.ts: "compiled" in the single binary, "node" in dist/cli.js. */
declare const XLOOP_BUILD: string | undefined;
/** Set by scripts/build.ts in the binary: a hash of the embedded kit's files, naming its cache folder. */
declare const XLOOP_KIT_ID: string | undefined;

/** One entry of the kit archive's index (scripts/build.ts writes the archive). */
interface KitEntry {
  path: string;
  mode: number;
  size: number;
}

/**
 * The files of a kit archive: gzip of a 4-byte index length, the JSON index, then each
 * file's bytes in index order.
 */
export function readKitArchive(gzipped: Uint8Array): { entry: KitEntry; bytes: Uint8Array }[] {
  const data = gunzipSync(gzipped);
  const indexLength = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0);
  const index = JSON.parse(new TextDecoder().decode(data.subarray(4, 4 + indexLength))) as KitEntry[];
  let offset = 4 + indexLength;
  return index.map((entry) => {
    const bytes = data.subarray(offset, offset + entry.size);
    offset += entry.size;
    return { entry, bytes };
  });
}

/**
 * The folder kits unpack into: XLOOP_CACHE_DIR, else $XDG_CACHE_HOME/xloop, else
 * ~/.cache/xloop (the temporary folder's when there is no home).
 */
export function kitCacheRoot(env: Record<string, string | undefined> = process.env): string {
  if (env.XLOOP_CACHE_DIR) return env.XLOOP_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "xloop");
  const home = env.HOME || homedir();
  return home ? join(home, ".cache", "xloop") : temporaryCacheRoot();
}

/** A cache folder of this user's in the temporary folder: the fallback when the usual one cannot be written. */
function temporaryCacheRoot(): string {
  return join(tmpdir(), `xloop-cache-${process.getuid?.() ?? "user"}`);
}

/**
 * Unpacks the embedded kit into `root` unless a complete copy is there: written into a
 * folder of its own first and renamed into place, so two xloop processes starting at
 * once never see half a kit (the loser of the rename keeps the winner's copy).
 */
function unpackKit(archivePath: string, root: string): void {
  if (existsSync(join(root, ".complete"))) return;
  mkdirSync(dirname(root), { recursive: true });
  const staging = `${root}.partial-${process.pid}-${Date.now()}`;
  try {
    for (const { entry, bytes } of readKitArchive(readFileSync(archivePath))) {
      const target = join(staging, entry.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, bytes);
      chmodSync(target, entry.mode);
    }
    writeFileSync(join(staging, ".complete"), "");
    try {
      renameSync(staging, root);
    } catch (error) {
      if (!existsSync(join(root, ".complete"))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The kit's entry (its cli.js) for a runtime to run: unpacked from the binary into
 * the cache, this very bundle when xloop runs as dist/cli.js, or the repository's
 * dist/cli.js when it runs from source.
 */
export async function runtimeKitEntry(): Promise<string> {
  const build = typeof XLOOP_BUILD === "undefined" ? "source" : XLOOP_BUILD;
  if (build === "node") return fileURLToPath(import.meta.url);
  if (build === "source") {
    const entry = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
    if (!existsSync(entry)) throw new UserError(`another runtime needs xloop's Node bundle, and ${entry} does not exist: run \`npm run build\` first`);
    return entry;
  }
  const { default: archive } = (await import("xloop:runtime-kit" as string)) as { default: string };
  // A home whose cache cannot be written (read-only, or not a folder) falls back to the
  // temporary folder rather than stopping the measurement.
  const roots = [...new Set([kitCacheRoot(), temporaryCacheRoot()])].map((r) => join(r, `kit-${XLOOP_KIT_ID}`));
  const failures: string[] = [];
  for (const root of roots) {
    try {
      unpackKit(archive, root);
      return join(root, "dist", "cli.js");
    } catch (error) {
      failures.push(`${root}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  throw new UserError(`could not unpack xloop's runtime kit (${failures.join("; ")}); set XLOOP_CACHE_DIR to a writable folder`);
}
