/**
 * Peer suites run two ways, side by side in one run: each suite file by its own
 * library (tinybench, mitata; vitest is not installed, so its file is xloop's alone)
 * and by `xloop bench <file>` (xloop's core, defaults), in fresh processes taking
 * turns, `--trials` times (default 5). Prints every trial's medians, then per task the
 * median over trials and the run-to-run CV of each tool, and the spin 2000 / spin 1000
 * ratio each tool reads (the work is exactly 2x).
 *
 *   XLOOP_BIN=/tmp/dist/xloop node_modules/.bin/bun bench/peer-suites.ts [--trials 5]
 */
import { argsFrom, bunBinary, cv, printTable, run, xloopBinary } from "./common.ts";
import { median } from "../src/stats/descriptive.ts";
import { existsSync } from "node:fs";

const binary = process.env.XLOOP_BIN ?? xloopBinary;
if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`npm run build\` (or set XLOOP_BIN)`);
const trials = Number(argsFrom("--trials") ?? 5);
const kinds = ["tinybench", "mitata", "vitest"] as const;
const tasks = ["spin > spin 2000", "spin > spin 1000"];

/** figures[kind][tool][task] = one median per trial, ns. */
const figures: Record<string, Record<string, Record<string, number[]>>> = {};
const record = (kind: string, tool: string, values: Record<string, number>) => {
  figures[kind] ??= {};
  figures[kind][tool] ??= {};
  for (const task of tasks) (figures[kind][tool][task] ??= []).push(values[task]);
};

for (let trial = 1; trial <= trials; trial++) {
  for (const kind of kinds) {
    const file = `bench/peer-suites/${kind}.bench.ts`;
    if (kind !== "vitest") {
      const out = run(bunBinary, [file]);
      record(kind, kind, JSON.parse(out.trim().split("\n").pop()!).figures);
    }
    const doc = JSON.parse(run(binary, ["bench", file, "--json", "--runtime", "bun"]));
    const xloop: Record<string, number> = {};
    for (const r of doc.results) xloop[r.target.slice(`${file} > `.length)] = r.ok ? r.stats.median : NaN;
    record(kind, "xloop", xloop);
    const shown = Object.entries(figures[kind]).map(([tool, byTask]) => `${tool} ${tasks.map((t) => byTask[t].at(-1)!.toFixed(0)).join("/")} ns`);
    console.error(`trial ${trial} ${kind}: ${shown.join(", ")}`);
  }
}

const rows: string[][] = [];
for (const kind of kinds) {
  for (const [tool, byTask] of Object.entries(figures[kind])) {
    for (const task of tasks) {
      const values = byTask[task];
      rows.push([kind, tool, task, `${median(values).toFixed(0)} ns`, `${(cv(values) * 100).toFixed(2)}%`, values.map((v) => v.toFixed(0)).join(" ")]);
    }
    const ratios = byTask[tasks[0]].map((slow, i) => slow / byTask[tasks[1]][i]);
    rows.push([kind, tool, "ratio 2000/1000", `${median(ratios).toFixed(3)}x`, `${(cv(ratios) * 100).toFixed(2)}%`, ratios.map((r) => r.toFixed(3)).join(" ")]);
  }
}
printTable(["suite", "tool", "task", `median of ${trials}`, "run-to-run CV", "each trial"], rows);
