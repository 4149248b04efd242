/**
 * `xloop profile --bench <path>`: the project's bench files run as a workload. A small
 * driver, written next to the profiles, imports each file on the chosen runtime:
 * tinybench and mitata suites run themselves when imported; a file of exported
 * zero-argument functions (xloop's bench format) has each called in a loop for its
 * share of the time budget. The profiler then sees the user's functions, not a harness.
 */
import { readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { suitePeersOf } from "../suites/detect.ts";

const scriptExtensions = new Set([".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"]);

/** The bench files under `path` (itself when a file): scripts, not cases files or declarations, node_modules skipped. */
export function benchFilesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const found: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && !entry.name.startsWith(".")) found.push(...benchFilesUnder(full));
    } else if (scriptExtensions.has(extname(entry.name)) && !/\.cases\.|\.d\.[cm]?ts$/.test(entry.name)) {
      found.push(full);
    }
  }
  return found;
}

/** Whether a bench file needs vitest's runner (it cannot run by import alone). */
export function needsVitest(file: string): boolean {
  return suitePeersOf(file).includes("vitest");
}

/** The driver's source: `<runtime> driver.mjs <file> <budget ms>`. */
export const benchDriverSource = `// Written by xloop profile --bench: runs one bench file as a workload.
import { pathToFileURL } from "node:url";
const [file, budgetText] = process.argv.slice(2);
const budgetMs = Number(budgetText);
const mod = await import(pathToFileURL(file).href);
const isBench = (value) => typeof value === "function" && value.length === 0 && !/^class[\\s{]/.test(Function.prototype.toString.call(value));
const functions = [];
for (const [name, value] of Object.entries(mod)) if (name !== "default" && isBench(value)) functions.push(value);
if (mod.default && typeof mod.default === "object") {
  for (const value of Object.values(mod.default)) if (isBench(value)) functions.push(value);
} else if (isBench(mod.default)) functions.push(mod.default);
for (const fn of functions) {
  const until = performance.now() + budgetMs / functions.length;
  let sink;
  do {
    for (let i = 0; i < 16; i++) {
      sink = fn();
      if (sink && typeof sink.then === "function") await sink;
    }
  } while (performance.now() < until);
  globalThis.__xloopSink = sink;
}
`;
