/**
 * bench/verdicts: does a verdict hold under noise? Calibrated pairs with true
 * differences of 0% (A/A), -1%, +1%, +1.5%, +2%, +5% and +10% at about 70 ns, 2 µs and 200 µs
 * a call (bench/verdict-kernels.ts writes them per scale; each cell's true ratio is
 * checked with one long careful run), then N trials per cell in fresh processes of:
 *   - xloop ab (the compiled binary) with --threshold 0.01, and
 *   - tinybench and mitata at their defaults, judged by their ratio of means at the
 *     same threshold (|ratio - 1| <= 1% is "same").
 * xloop runs with --max-time 10 unless given (a trial undecided by then is "inconclusive").
 * Reports per cell: wrong verdicts on A/A, correct verdicts, wrong-direction verdicts,
 * and xloop's median seconds per decision. With --hog, a CPU hog runs on the other
 * core (the A/A and +5% cells). The cell aaState is an A/A of two copies of a function
 * whose module state (a buffer) is refilled every 250 calls.
 *
 *   npm run build && node_modules/.bin/bun bench/verdicts.ts [--trials 20] [--peer-trials 10] [--hog] [--scales 70ns,2us,200us] [--cells d0,dPlus20] [--max-time 10] [--runtime node]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { argsFrom, flag, printTable, requireBinary, run, xloopBinary, peerMeans } from "./common.ts";
import { median } from "../src/stats/descriptive.ts";
import { kernelSource, scales, statefulPairs, variants } from "./verdict-kernels.ts";

const trials = Number(argsFrom("--trials") ?? 20);
const peerTrials = Number(argsFrom("--peer-trials") ?? 6);
const hog = flag("--hog");
const threshold = 0.01;
// xloop's budget per decision; `ab` itself defaults to 30 s.
const maxTime = argsFrom("--max-time") ?? "10";
// The runtime xloop measures on; without it, the one xloop detects from the repository root (bunfig.toml: bun).
const runtimeArgs = argsFrom("--runtime") ? ["--runtime", argsFrom("--runtime")!] : [];
const chosenScales = (argsFrom("--scales") ?? Object.keys(scales).join(",")).split(",");
const unknownScale = chosenScales.find((scale) => !scales[scale]);
if (unknownScale) {
  console.error(`--scales: unknown scale ${unknownScale}; use some of ${Object.keys(scales).join(", ")}`);
  process.exit(2);
}
const chosenCells = argsFrom("--cells")?.split(",") ?? (hog ? ["d0", "dPlus50"] : Object.keys(variants));
/** Each cell: its name, its base and head exports, and its nominal difference. */
const cells: [string, string, string, number][] = [
  ...Object.entries(variants).map(([name, d]): [string, string, string, number] => [name, "d0", name, d]),
  ...Object.entries(statefulPairs).map(([name, p]): [string, string, string, number] => [name, p.base, p.head, 0]),
].filter(([name]) => chosenCells.includes(name));
requireBinary();
const kernelDir = mkdtempSync(join(tmpdir(), "xloop-decide-"));

/**
 * The right verdict for a measured true ratio at threshold t. Distinct code never
 * differs by exactly its nominal amount (JIT code placement), so the truth is the
 * long careful run's ratio; within 0.3% of the threshold either neighbouring verdict
 * is acceptable ("borderline"), and only the opposite direction is wrong.
 */
function expected(ratio: number): "faster" | "slower" | "same" | "borderline-faster" | "borderline-slower" {
  const d = ratio - 1;
  if (Math.abs(Math.abs(d) - threshold) < 0.003) return d > 0 ? "borderline-slower" : "borderline-faster";
  if (Math.abs(d) < threshold) return "same";
  return d > 0 ? "slower" : "faster";
}

function judgeRatio(ratio: number): "faster" | "slower" | "same" {
  if (ratio < 1 - threshold) return "faster";
  if (ratio > 1 + threshold) return "slower";
  return "same";
}

function startHog(): ChildProcess {
  // A busy loop on the other CPU: the measuring worker is pinned to the last one.
  return spawn("taskset", ["-c", "0", "node", "-e", "for(;;){}"], { stdio: "ignore" });
}

interface Tally {
  verdicts: string[];
  seconds: number[];
}

function score(tally: Tally, truth: number) {
  const want = expected(truth);
  const n = tally.verdicts.length;
  const ok = (v: string) => v === want || (want === "borderline-faster" && (v === "faster" || v === "same")) || (want === "borderline-slower" && (v === "slower" || v === "same"));
  const correct = tally.verdicts.filter(ok).length;
  const opposite = (v: string) =>
    ((want === "faster" || want === "borderline-faster") && v === "slower") ||
    ((want === "slower" || want === "borderline-slower") && v === "faster") ||
    (want === "same" && (v === "faster" || v === "slower"));
  const wrongDirection = tally.verdicts.filter(opposite).length;
  return { n, correct, wrongDirection, inconclusive: tally.verdicts.filter((v) => v === "inconclusive").length };
}

const hogProcess = hog ? startHog() : null;
// An interrupted run must not leave its hog behind (one once skewed every later measurement).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    hogProcess?.kill("SIGKILL");
    rmSync(kernelDir, { recursive: true, force: true });
    process.exit(130);
  });
}
const rows: string[][] = [];
let measuredOn: string | undefined;
try {
  for (const scale of chosenScales) {
    const args = JSON.stringify([0]);
    const file = join(kernelDir, `decide-${scale}.ts`);
    writeFileSync(file, kernelSource(scales[scale]));
    for (const [cell, base, head, d] of cells) {
      // The true ratio, from one long careful run (many fresh pairs, no early stop).
      const truth = JSON.parse(run(xloopBinary, ["ab", `${file}#${base}`, `${file}#${head}`, "--args", args, "--json", "--threshold", "0.0001", "--min-rounds", "100", "--max-time", "30", ...runtimeArgs]));
      const x: Tally = { verdicts: [], seconds: [] };
      const tb: Tally = { verdicts: [], seconds: [] };
      const mi: Tally = { verdicts: [], seconds: [] };
      for (let t = 0; t < trials; t++) {
        const started = Date.now();
        const doc = JSON.parse(run(xloopBinary, ["ab", `${file}#${base}`, `${file}#${head}`, "--args", args, "--json", "--threshold", String(threshold), "--max-time", maxTime, ...runtimeArgs]));
        x.seconds.push((Date.now() - started) / 1000);
        x.verdicts.push(doc.verdict);
        measuredOn ??= `${doc.runtime.name} ${doc.runtime.version}`;
        if (t < peerTrials) {
          for (const [tool, tally] of [["tinybench", tb], ["mitata", mi]] as const) {
            const began = Date.now();
            const [a, b] = peerMeans(tool, base, args, head, file);
            tally.seconds.push((Date.now() - began) / 1000);
            tally.verdicts.push(judgeRatio(b / a));
          }
        }
        process.stderr.write(`\r${scale} ${cell}: trial ${t + 1}/${trials}   `);
      }
      process.stderr.write("\n");
      // A/A is identical code: its truth is 1 by construction, whatever the long run measured.
      const trueRatio = d === 0 ? 1 : truth.ratio;
      const sx = score(x, trueRatio);
      const st = score(tb, trueRatio);
      const sm = score(mi, trueRatio);
      const pct = (k: number, of: number) => `${((100 * k) / Math.max(1, of)).toFixed(0)}%`;
      rows.push([
        scale,
        cell === "aaState" ? "A/A, stateful" : `${d >= 0 ? "+" : ""}${Number((d * 100).toFixed(1))}%`,
        truth.ratio.toFixed(4),
        expected(trueRatio),
        `${pct(sx.correct, sx.n)} (${sx.correct}/${sx.n})`,
        String(sx.wrongDirection),
        String(sx.inconclusive),
        `${median(x.seconds).toFixed(1)} s`,
        st.n ? `${pct(st.correct, st.n)}` : "-",
        st.n ? String(st.wrongDirection) : "-",
        sm.n ? `${pct(sm.correct, sm.n)}` : "-",
        sm.n ? String(sm.wrongDirection) : "-",
      ]);
    }
  }
} finally {
  hogProcess?.kill();
  rmSync(kernelDir, { recursive: true, force: true });
}
console.log(`bench/verdicts${hog ? " (CPU hog on the other core)" : ""}: threshold ${threshold * 100}%, xloop on ${measuredOn ?? "?"}, ${trials} trials per cell (--max-time ${maxTime}), peers ${peerTrials} (fresh processes, Bun)`);
printTable(
  ["scale", "true d", "true ratio", "right answer", "xloop correct", "xloop wrong-dir", "xloop inconcl.", "xloop s/decision", "tinybench correct", "tb wrong", "mitata correct", "mitata wrong"],
  rows,
);
console.log("right answer: from the true ratio (borderline: within 0.3% of the threshold, where 'same' is also right). wrong-dir: the opposite of the truth (for 'same': any faster/slower verdict). inconclusive is neither right nor wrong.");
