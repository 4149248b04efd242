/**
 * bench/domains: the memory, async and structure domains against known truths, in one run.
 *  1. bytes allocated per call (`bench --domain memory`) for arrays of 128, 2,048 and
 *     131,072 numbers (payload 1 KiB, 16 KiB, 1 MiB: 8 bytes a number) on Node and Bun;
 *  2. a 2x async throughput change (two 5 ms sleeps awaited in turn vs together) decided
 *     by `ab --domain async`, with the seconds per decision, beside A/A trials;
 *  3. a 20% import-time change (a module's top-level busy work lengthened by a fifth of
 *     the base entry's measured import time) decided by `ab --domain structure`, beside
 *     A/A trials.
 *
 *   npm run build && node_modules/.bin/bun bench/domains.ts [--trials 5] [--runtime node]
 *   (XLOOP_BIN=/path/to/xloop to measure another build)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { argsFrom, printTable, xloopBinary } from "./common.ts";
import { median } from "../src/stats/descriptive.ts";

const binary = process.env.XLOOP_BIN ?? xloopBinary;
const trials = Number(argsFrom("--trials") ?? 5);
const runtime = argsFrom("--runtime") ?? "node";
const dir = mkdtempSync(join(tmpdir(), "xloop-bench-domains-"));
const busy = (ms: number) => `const t0 = performance.now(); while (performance.now() - t0 < ${ms}) {}\n`;

writeFileSync(
  join(dir, "mem.ts"),
  `const fill = (n: number) => { const a = new Array(n); for (let i = 0; i < n; i++) a[i] = 0; return a; };
export const alloc1k = () => fill(128);
export const alloc16k = () => fill(2048);
export const alloc1m = () => fill(131072);
`,
);
const aio = `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const sequential = async () => { await sleep(5); await sleep(5); };
export const concurrent = async () => { await Promise.all([sleep(5), sleep(5)]); };
`;
writeFileSync(join(dir, "aio.ts"), aio);
writeFileSync(join(dir, "aio-copy.ts"), aio);
writeFileSync(join(dir, "base.mjs"), `${busy(10)}export const x = 1;\n`);
writeFileSync(join(dir, "base-copy.mjs"), `${busy(10)}export const x = 1;\n`);

function xloop(args: string[]): { doc: any; seconds: number } {
  const started = process.hrtime.bigint();
  const r = spawnSync(binary, [...args, "--json", "--runtime", runtime], { cwd: dir, encoding: "utf8", maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0 && r.status !== 4) throw new Error(`xloop ${args.join(" ")} exited ${r.status}: ${r.stderr.slice(-400)}`);
  return { doc: JSON.parse(r.stdout), seconds };
}

const kib = (b: number) => `${(b / 1024).toFixed(2)} KiB`;
console.log(`# bench/domains on ${runtime} (${trials} trials), ${new Date().toISOString()}\n`);

console.log("## 1. bytes allocated per call against the payload\n");
const memoryRows: string[][] = [];
for (const rt of ["node", "bun"]) {
  const started = process.hrtime.bigint();
  const r = spawnSync(binary, ["bench", "--domain", "memory", "mem.ts#alloc1k", "mem.ts#alloc16k", "mem.ts#alloc1m", "--json", "--runtime", rt], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const doc = JSON.parse(r.stdout);
  for (const [i, payload] of [1024, 16384, 1048576].entries()) {
    const s = doc.results[i].stats;
    memoryRows.push([rt, doc.results[i].target, kib(payload), kib(s.allocatedPerCall), `${(((s.allocatedPerCall - payload) / payload) * 100).toFixed(1)}%`, `[${kib(s.allocatedCi[0])}, ${kib(s.allocatedCi[1])}]`, `${seconds.toFixed(1)} s for the 3 targets`]);
  }
}
printTable(["runtime", "target", "payload", "measured", "over payload", "95% CI", "wall"], memoryRows);

function decisions(title: string, args: (trial: number) => string[]): void {
  const rows: string[][] = [];
  for (let t = 0; t < trials; t++) {
    const { doc, seconds } = xloop(args(t));
    rows.push([String(t + 1), doc.verdict, doc.ratio.toFixed(3), `[${doc.ci[0].toFixed(3)}, ${doc.ci[1].toFixed(3)}]`, String(doc.rounds), seconds.toFixed(1)]);
  }
  console.log(`\n## ${title}\n`);
  printTable(["trial", "verdict", "ratio", "CI", "pairs", "seconds"], rows);
  console.log(`median ${median(rows.map((r) => Number(r[5]))).toFixed(1)} s per decision`);
}

decisions("2. async: twice the throughput at concurrency 8 (sequential -> concurrent)", () => ["ab", "--domain", "async", "aio.ts#sequential", "aio.ts#concurrent"]);
decisions("2b. async A/A (sequential against a copy of itself)", () => ["ab", "--domain", "async", "aio.ts#sequential", "aio-copy.ts#sequential"]);

// Calibrate the 20%: the base entry's own import time, measured here.
const base = xloop(["imports", "base.mjs", "--runs", "20"]).doc.total.median as number;
const extra = 0.2 * base;
writeFileSync(join(dir, "head.mjs"), `${busy(10 + extra)}export const x = 1;\n`);
const head = xloop(["imports", "head.mjs", "--runs", "20"]).doc.total.median as number;
console.log(`\nbase.mjs imports in ${base.toFixed(2)} ms; head.mjs adds ${extra.toFixed(2)} ms of top-level work (measured ${head.toFixed(2)} ms, ${(((head - base) / base) * 100).toFixed(1)}% more)`);
decisions("3. structure: +20% import time (base.mjs -> head.mjs)", () => ["ab", "--domain", "structure", "base.mjs", "head.mjs"]);
decisions("3b. structure A/A (base.mjs against a copy)", () => ["ab", "--domain", "structure", "base.mjs", "base-copy.mjs"]);
