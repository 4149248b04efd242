/**
 * bench/pair-spread: what makes ab's fresh pairs agree more at ~70 ns (issue 30)?
 * Each configuration of ab's harness (copies per worker, slice length, warm-up,
 * round time) runs the same cells for the same wall time, trials interleaved so the
 * host's mood falls on all of them alike, with no early stop (--threshold 0.0001 and
 * --min-rounds beyond reach), and keeps every pair's ratio. Reported per configuration:
 *   - pairs per second;
 *   - the core's spread: the median absolute deviation of the pairs' log ratios, in %;
 *   - the outliers' share: pairs more than 0.5% from the trial's median ratio (a fresh
 *     pair whose JIT placed one side's code differently);
 *   - the median ratio against the cell's tight-loop truth.
 * Then the recorded pair sequences are replayed through ab's own sequential decision
 * (src/ab/sequential-run.ts) at t = 1% with each interval method, so the methods are
 * compared on identical data: verdicts and the seconds each would have taken.
 *
 *   npm run build && node_modules/.bin/bun bench/pair-spread.ts [--scale 70ns|2us|200us] [--trials 4] [--seconds 20] [--cells dPlus15,aaState] [--configs default,copies4,...] [--save file.json] [--replay file.json]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { argsFrom, printTable, requireBinary, run, xloopBinary } from "./common.ts";
import { median, quantile } from "../src/stats/descriptive.ts";
import { runSequential } from "../src/ab/sequential-run.ts";
import { intervalMethods, type IntervalMethod } from "../src/stats/paired.ts";
import { kernelSource, scales, statefulPairs } from "./verdict-kernels.ts";

/** The harness configurations compared, as extra `ab` arguments. */
const configurations: Record<string, string[]> = {
  default: [],
  copies4: ["--copies", "4"],
  slice5ms: ["--slice", "5ms"],
  warmup1s: ["--warmup", "1s"],
  round400ms: ["--round-time", "0.4"],
};

/** The cells: base and head exports of the 70 ns kernels, and the truth a tight loop measured (bench/README, "Short functions"). */
const cellDefinitions: Record<string, { base: string; head: string; truth: number }> = {
  dPlus15: { base: "d0", head: "dPlus15", truth: 1.0132 },
  dPlus20: { base: "d0", head: "dPlus20", truth: 1.0197 },
  aaState: { ...statefulPairs.aaState, truth: 1 },
  d0: { base: "d0", head: "d0", truth: 1 },
};

interface Trial {
  config: string;
  cell: string;
  ratios: number[];
  wallMs: number;
}

const trials = Number(argsFrom("--trials") ?? 4);
const seconds = argsFrom("--seconds") ?? "20";
const chosenCells = (argsFrom("--cells") ?? "dPlus15,aaState").split(",");
const chosenConfigs = (argsFrom("--configs") ?? Object.keys(configurations).join(",")).split(",");
// Other scales than 70 ns answer one question: does an interval method that wins at 70 ns lose where pairs scatter normally?
const scale = argsFrom("--scale") ?? "70ns";
if (!scales[scale]) throw new Error(`--scale: unknown scale ${scale}; use one of ${Object.keys(scales).join(", ")}`);
for (const name of chosenCells) if (!cellDefinitions[name]) throw new Error(`--cells: unknown cell ${name}; use some of ${Object.keys(cellDefinitions).join(", ")}`);
for (const name of chosenConfigs) if (!configurations[name]) throw new Error(`--configs: unknown configuration ${name}; use some of ${Object.keys(configurations).join(", ")}`);

function measure(): Trial[] {
  requireBinary();
  const dir = mkdtempSync(join(tmpdir(), "xloop-spread-"));
  const file = join(dir, `k${scale}.ts`);
  writeFileSync(file, kernelSource(scales[scale]));
  const out: Trial[] = [];
  try {
    for (let t = 0; t < trials; t++) {
      for (const cell of chosenCells) {
        for (const config of chosenConfigs) {
          const { base, head } = cellDefinitions[cell];
          const args = ["ab", `${file}#${base}`, `${file}#${head}`, "--args", "[0]", "--json", "--runtime", "node", "--threshold", "0.0001", "--min-rounds", "100000", "--max-time", seconds, ...configurations[config]];
          const doc = JSON.parse(run(xloopBinary, args));
          out.push({ config, cell, ratios: doc.round_ratios, wallMs: doc.wall_ms });
          process.stderr.write(`\rtrial ${t + 1}/${trials} ${cell} ${config}: ${doc.round_ratios.length} pairs          `);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stderr.write("\n");
  return out;
}

const replayFile = argsFrom("--replay");
const data: Trial[] = replayFile ? JSON.parse(readFileSync(replayFile, "utf8")) : measure();
const saveFile = argsFrom("--save");
if (saveFile) writeFileSync(saveFile, JSON.stringify(data));

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const spreadRows: string[][] = [];
for (const cell of chosenCells) {
  for (const config of chosenConfigs) {
    const mine = data.filter((d) => d.cell === cell && d.config === config);
    if (mine.length === 0) continue;
    const perSecond = mine.map((d) => d.ratios.length / (d.wallMs / 1000));
    const mads = mine.map((d) => {
      const logs = d.ratios.map(Math.log);
      const m = median(logs);
      return median(logs.map((l) => Math.abs(l - m)));
    });
    const outlierShares = mine.map((d) => {
      const m = median(d.ratios);
      return d.ratios.filter((r) => Math.abs(r / m - 1) > 0.005).length / d.ratios.length;
    });
    const medians = mine.map((d) => median(d.ratios));
    spreadRows.push([
      cell,
      config,
      String(mine.length),
      median(perSecond).toFixed(2),
      pct(median(mads)),
      pct(median(outlierShares)),
      `${Math.min(...medians).toFixed(4)}–${Math.max(...medians).toFixed(4)}`,
      cellDefinitions[cell].truth.toFixed(4),
    ]);
  }
}
console.log(`bench/pair-spread: ${scale} kernels on node, ${seconds} s per trial, no early stop${scale === "70ns" ? "" : " (truths are the 70 ns cells'; read the decisions only)"}`);
printTable(["cell", "configuration", "trials", "pairs/s", "core spread (MAD)", "outliers (>0.5%)", "median ratio (trials)", "truth"], spreadRows);

/** Replays one trial's pairs, in their measured order, through ab's sequential decision with an interval method; seconds are pairs × the trial's seconds per pair. */
async function replay(trial: Trial, method: IntervalMethod): Promise<{ verdict: string; seconds: number }> {
  let next = 0;
  const stop = new AbortController();
  const outcome = await runSequential({ threshold: 0.01, minRounds: 10, confidence: 0.99, maxTimeMs: Number.POSITIVE_INFINITY, signal: stop.signal, intervalMethod: method }, async () => {
    const ratios = trial.ratios.slice(next, next + 2);
    next += 2;
    if (next >= trial.ratios.length) stop.abort();
    return { ratios };
  });
  return { verdict: outcome.verdict, seconds: (outcome.ratios.length * trial.wallMs) / trial.ratios.length / 1000 };
}

const decisionRows: string[][] = [];
for (const cell of chosenCells) {
  const truth = cellDefinitions[cell].truth;
  const right = truth === 1 ? "same" : truth > 1.01 ? "slower" : "same";
  for (const config of chosenConfigs) {
    const mine = data.filter((d) => d.cell === cell && d.config === config);
    if (mine.length === 0) continue;
    for (const method of intervalMethods) {
      const outcomes = await Promise.all(mine.map((trial) => replay(trial, method)));
      const decided = outcomes.filter((o) => o.verdict !== "inconclusive");
      decisionRows.push([
        cell,
        config,
        method,
        `${outcomes.filter((o) => o.verdict === right).length}/${outcomes.length}`,
        String(decided.filter((o) => o.verdict !== right).length),
        decided.length > 0 ? `${median(decided.map((o) => o.seconds)).toFixed(1)} s (p90 ${quantile(decided.map((o) => o.seconds), 0.9).toFixed(1)})` : "-",
      ]);
    }
  }
}
console.log(`\nreplayed through ab's sequential decision at t = 1%, 99% over all looks (each trial's whole ${seconds} s is the budget)`);
printTable(["cell", "configuration", "interval", "right", "wrong", "seconds to decide"], decisionRows);
