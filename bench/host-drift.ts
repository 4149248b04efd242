/**
 * bench/host-drift: is a kernel's run-to-run spread the host's speed moving over time,
 * or something each process brings with it (where its compiled code landed, its heap)?
 * K plain timed loops (bench/bare-loop.ts --serve), each a long-lived Bun process pinned
 * to xloop's CPU, time one window each in turn, round after round. Blocks of rounds give
 * a table (rows: moments, columns: processes) of medians, split by a two-way analysis
 * of variance on their logarithms into:
 *
 * - a time part: all processes moving together from one block to the next. No tool
 *   can average it away within one run: it is the floor under any tool's run-to-run CV
 *   when runs happen at different moments;
 * - a process part: processes that stay faster or slower than the others all along.
 *   Fresh workers or processes sample it, so more of them average it away;
 * - the rest: window-to-window noise.
 *
 *   node_modules/.bin/bun bench/host-drift.ts [--processes 4] [--rounds 80] [--block 8] [--window 250]
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { argsFrom, bunBinary, printTable, root } from "./common.ts";
import { timedKernels } from "./kernels.ts";
import { measurementCpu } from "../src/pin/pin.ts";
import { mean, median } from "../src/stats/descriptive.ts";

const processes = Number(argsFrom("--processes") ?? 4);
const rounds = Number(argsFrom("--rounds") ?? 80);
const block = Number(argsFrom("--block") ?? 8);
const windowMs = Number(argsFrom("--window") ?? 250);
const cpu = measurementCpu() ?? 0;
const kernels = timedKernels;

/** Standard deviations (relative, as fractions) of the parts of a moments × processes table. */
export interface DriftParts {
  time: number;
  process: number;
  residual: number;
}

/**
 * Two-way analysis of variance without replication on the logarithms of a table
 * (rows: moments, columns: processes): each part's standard deviation from its mean
 * square minus the residual's, floored at zero, as the random-effects model has it.
 */
export function driftParts(table: number[][]): DriftParts {
  const logs = table.map((row) => row.map(Math.log));
  const rows = logs.length;
  const cols = logs[0].length;
  const grand = mean(logs.flat());
  const rowMeans = logs.map(mean);
  const colMeans = Array.from({ length: cols }, (_, c) => mean(logs.map((row) => row[c])));
  const msRows = (cols * rowMeans.reduce((s, m) => s + (m - grand) ** 2, 0)) / (rows - 1);
  const msCols = (rows * colMeans.reduce((s, m) => s + (m - grand) ** 2, 0)) / (cols - 1);
  let sse = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) sse += (logs[r][c] - rowMeans[r] - colMeans[c] + grand) ** 2;
  const msResidual = sse / ((rows - 1) * (cols - 1));
  return {
    time: Math.sqrt(Math.max(0, (msRows - msResidual) / cols)),
    process: Math.sqrt(Math.max(0, (msCols - msResidual) / rows)),
    residual: Math.sqrt(msResidual),
  };
}

/** A long-lived bare loop: ask() times one more window and resolves with its median ns per call. */
function startLoop(kernel: string): { child: ChildProcessWithoutNullStreams; ask: () => Promise<number> } {
  const child = spawn(bunBinary, ["bench/bare-loop.ts", kernel, String(windowMs), String(cpu), "--serve"], { cwd: root });
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => waiting.shift()?.(line));
  child.stderr.pipe(process.stderr);
  const ask = () =>
    new Promise<number>((resolve) => {
      waiting.push((line) => resolve(Number(line)));
      child.stdin.write("\n");
    });
  return { child, ask };
}

async function measure(kernel: string): Promise<number[][]> {
  const loops = Array.from({ length: processes }, () => startLoop(kernel));
  const series: number[][] = loops.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let p = 0; p < processes; p++) series[p].push(await loops[p].ask());
    process.stderr.write(`\r${kernel}: round ${r + 1}/${rounds}   `);
  }
  for (const loop of loops) loop.child.kill();
  const table: number[][] = [];
  for (let start = 0; start + block <= rounds; start += block) table.push(series.map((s) => median(s.slice(start, start + block))));
  return table;
}

if (import.meta.main) {
  const rows: string[][] = [];
  for (const kernel of kernels) {
    const table = await measure(kernel);
    const parts = driftParts(table);
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    rows.push([kernel, `${median(table.flat()).toFixed(1)} ns`, pct(parts.time), pct(parts.process), pct(parts.residual)]);
  }
  process.stderr.write("\n");
  const blockSeconds = (block * processes * windowMs) / 1000;
  console.log(`bench/host-drift: ${processes} long-lived bare loops pinned to CPU ${cpu}, ${windowMs} ms windows in turn, ${rounds} rounds in blocks of ${block} (~${blockSeconds.toFixed(0)} s a block)`);
  printTable(["kernel", "median", "time part (all move together)", "process part (each its own)", "rest"], rows);
  console.log("time part: how much every process's speed moves together from one block to the next; it sets a floor under any tool's run-to-run CV for runs made at different moments.");
  console.log("process part: how far each process stays from the others all along (code placement, heap); averaging over fresh workers or processes shrinks it.");
}
