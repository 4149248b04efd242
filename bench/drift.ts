/**
 * bench/drift: how much of a figure's run-to-run spread is xloop's own sampling, and
 * how much is the host moving over minutes? For each kernel, one long xloop run
 * (the compiled binary, `--rounds N --precision 0`, each worker sampling as long as in a
 * default run) gives N fresh workers' medians in
 * the order they ran. xloop's default stopping rule (bench's --rounds, --precision and
 * --max-rounds defaults, the same code the CLI runs) is then replayed on them twice:
 *
 * - on workers drawn at random from the whole run: runs that differ only by which
 *   fresh workers they got, which is all xloop's statistics can average over;
 * - on consecutive workers from a random start: runs as they really happen, a few
 *   seconds each, at different moments of the host's drift.
 *
 * The first CV is what xloop itself contributes; the gap to the second is the host.
 * Each replayed run's own 95% CI is checked against the figure of all N workers.
 *
 *   npm run build && node_modules/.bin/bun bench/drift.ts [--workers 400] [--replays 400]
 */
import { argsFrom, argsOf, cv, kernelsFile, printTable, requireBinary, run, xloopBinary } from "./common.ts";
import { timedKernels } from "./kernels.ts";
import { benchSettings } from "../src/settings/options.ts";
import { needsAnotherRound } from "../src/benchmark/run-bench.ts";
import { relativeHalfWidth, targetStats, type ReplicateSamples, type TargetStats } from "../src/benchmark/summarize.ts";
import { mean } from "../src/stats/descriptive.ts";
import { seededRandom } from "../src/stats/random.ts";

const workers = Number(argsFrom("--workers") ?? 400);
const replays = Number(argsFrom("--replays") ?? 400);
requireBinary();
const defaults = benchSettings({});
const kernels = timedKernels;

/** A worker median as the one-sample replicate targetStats expects (the median of one value is itself). */
function asReplicate(workerMedian: number, index: number): ReplicateSamples {
  return { perCall: [workerMedian], harnessPerCall: 0, rawMedian: workerMedian, batch: 1, cycles: [index], copies: [0] };
}

/** xloop's default rule replayed on a sequence of workers: the stats it would stop with. */
function replayDefaultRule(sequence: number[]): TargetStats {
  let taken = 0;
  const statsNow = () => targetStats(sequence.slice(0, taken).map(asReplicate));
  while (taken < sequence.length && needsAnotherRound(taken, defaults, statsNow)) taken++;
  return statsNow();
}

interface Replayed {
  cv: number;
  covered: number;
  workers: number;
  halfWidth: number;
}

function replay(all: number[], draw: (random: () => number) => number[], seed: number): Replayed {
  const random = seededRandom(seed);
  const whole = targetStats(all.map(asReplicate)).median;
  const runs = Array.from({ length: replays }, () => replayDefaultRule(draw(random)));
  return {
    cv: cv(runs.map((s) => s.median)),
    covered: runs.filter((s) => s.ci[0] <= whole && whole <= s.ci[1]).length / runs.length,
    workers: mean(runs.map((s) => s.workers)),
    halfWidth: mean(runs.map(relativeHalfWidth)),
  };
}

const limit = defaults.maxRounds ?? defaults.rounds;
// Consecutive runs must be able to fall at clearly different moments of the long run.
if (!(workers >= 4 * limit)) throw new Error(`--workers must be at least ${4 * limit}, four times the most workers a default run takes`);
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const rows: string[][] = [];
for (const kernel of kernels) {
  process.stderr.write(`${kernel}: ${workers} fresh workers…\n`);
  const started = Date.now();
  // Each worker samples as long as in a default run (--time / --rounds): a shorter window
  // would measure allocating code earlier in a worker's life, a different figure.
  const time = `${(workers * defaults.timeMs) / defaults.rounds}ms`;
  const doc = JSON.parse(run(xloopBinary, ["bench", `${kernelsFile}#${kernel}`, "--args", argsOf(kernel), "--rounds", String(workers), "--time", time, "--precision", "0", "--json"]));
  const seconds = (Date.now() - started) / 1000;
  const inOrder: number[] = doc.results[0].stats.workerMedians;
  const shuffled = replay(inOrder, (random) => Array.from({ length: limit }, () => inOrder[Math.floor(random() * inOrder.length)]), 1);
  const timed = replay(
    inOrder,
    (random) => {
      const start = Math.floor(random() * (inOrder.length - limit + 1));
      return inOrder.slice(start, start + limit);
    },
    2,
  );
  rows.push([
    kernel,
    `${inOrder.length} in ${seconds.toFixed(0)} s`,
    pct(cv(inOrder)),
    `${shuffled.workers.toFixed(1)}`,
    `±${pct(shuffled.halfWidth)}`,
    pct(shuffled.cv),
    `${Math.round(shuffled.covered * 100)}%`,
    pct(timed.cv),
    `${Math.round(timed.covered * 100)}%`,
  ]);
}

console.log(`bench/drift: xloop's default rule (--rounds ${defaults.rounds}, --precision ${defaults.precision}, --max-rounds ${limit}) replayed ${replays} times on one long run's fresh workers`);
printTable(["kernel", "workers", "worker CV", "workers/run", "run's CI", "CV, random workers", "CI holds all", "CV, in time order", "CI holds all "], rows);
console.log("random workers: runs that differ only by which fresh workers they drew — xloop's own sampling, the part its statistics control.");
console.log("in time order: consecutive workers from a random start — runs as they happen, at different moments of the host's drift. The gap between the two CVs is the host moving over minutes, which no single run can see or average away.");
console.log("CI holds all: how often a replayed run's 95% CI holds the figure of all the workers (95% when its interval is honest about what varies).");
