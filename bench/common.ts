/**
 * Helpers shared by the bench/ scripts: running xloop and the peers in fresh
 * processes and summarising their figures. Nothing here is part of xloop itself.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { kernelArgs } from "./kernels.ts";
import { mean, stdev } from "../src/stats/descriptive.ts";

export const root = resolve(import.meta.dir, "..");
/** The compiled binary the scripts measure: dist/xloop, or XLOOP_BIN's (as the tests take it). */
export const xloopBinary = process.env.XLOOP_BIN ? resolve(process.env.XLOOP_BIN) : resolve(root, "dist/xloop");
export const bunBinary = resolve(root, "node_modules/.bin/bun");
export const kernelsFile = "bench/kernels.ts";

/** Fails early with the command that fixes it. */
export function requireBinary(): void {
  if (!existsSync(xloopBinary)) throw new Error(`${xloopBinary} is missing: run \`npm run build\` first`);
}

/** Runs a command in a fresh process from the repository root and returns stdout (throws on failure). */
export function run(command: string, args: string[], env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr.slice(-500)}`);
  return result.stdout;
}

/** JSON arguments of a kernel. */
export function argsOf(kernel: keyof typeof kernelArgs): string {
  return JSON.stringify(kernelArgs[kernel]);
}

/** A peer's mean ns per call for one or two exports, in a fresh process. */
export function peerMeans(tool: "tinybench" | "mitata", exportA: string, argsJson: string, exportB?: string, file = kernelsFile): number[] {
  const out = run(bunBinary, ["bench/peers/run-peer.ts", tool, file, exportA, argsJson, ...(exportB ? [exportB] : [])]);
  return JSON.parse(out.trim().split("\n").pop()!).means;
}

/** Coefficient of variation (sample stdev / mean). */
export function cv(values: number[]): number {
  return stdev(values) / mean(values);
}

/** Pearson correlation of the logarithms of two equally long series. */
export function correlation(xs: number[], ys: number[]): number {
  const a = xs.map(Math.log);
  const b = ys.map(Math.log);
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Prints a padded table to stdout. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

/** The value after a flag on the command line, if any. */
export function argsFrom(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

/** Whether a flag is on the command line. */
export function flag(name: string): boolean {
  return process.argv.includes(name);
}
