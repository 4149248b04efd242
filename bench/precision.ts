/**
 * bench/precision: how well does a figure repeat from one fresh process to the next?
 * Three kernels (~50 ns, ~2 µs, ~200 µs a call) measured N times each (default 10) in
 * fresh processes by xloop (the compiled binary, its median), tinybench and mitata
 * (defaults, their mean/avg as users read them), the tools taking turns within each
 * trial. Reports each tool's run-to-run coefficient of variation. Alongside, the same
 * work in C (bench/native-kernels.c, gcc -O2, pinned to xloop's CPU, one 1 s window)
 * takes its turn in every trial: no JIT, GC or worker, so its spread is the host's
 * drift in that run as a plain measurement meets it. The same kernel timed by a bare
 * JavaScript loop in a fresh Bun process (bench/bare-loop.ts, pinned alike, one 1 s
 * window) takes its turn too: the host's drift as JavaScript meets it, which for code
 * that allocates can be far larger than the C twin's. Then checks that an empty
 * function comes out under 1 ns and flagged "likely optimised away".
 *
 *   npm run build && node_modules/.bin/bun bench/precision.ts [--trials 10]
 */
import { argsOf, bunBinary, correlation, cv, peerMeans, printTable, requireBinary, root, run, xloopBinary, kernelsFile } from "./common.ts";
import { median } from "../src/stats/descriptive.ts";
import { measurementCpu } from "../src/pin/pin.ts";
import { kernelArgs } from "./kernels.ts";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const trialsFlag = process.argv.indexOf("--trials");
const trials = trialsFlag > 0 ? Number(process.argv[trialsFlag + 1]) : 10;
requireBinary();

/** Compiles bench/native-kernels.c into a temporary folder; null (and why) when gcc fails. */
function buildNativeKernels(): { binary: string; folder: string } | null {
  const folder = mkdtempSync(join(tmpdir(), "xloop-native-kernels-"));
  const binary = join(folder, "native-kernels");
  const built = spawnSync("gcc", ["-O2", "-o", binary, "bench/native-kernels.c"], { cwd: root, encoding: "utf8" });
  if (built.status === 0) return { binary, folder };
  console.error(`native C column skipped: gcc could not build bench/native-kernels.c: ${(built.stderr || String(built.error)).split("\n")[0]}`);
  rmSync(folder, { recursive: true, force: true });
  return null;
}

const nativeKernels = buildNativeKernels();
const cpu = measurementCpu() ?? 0;
const kernels = ["hash50ns", "words2us", "sieve200us"] as const;
const rows: string[][] = [];
const verdicts: string[] = [];
for (const kernel of kernels) {
  const figures = { xloop: [] as number[], tinybench: [] as number[], mitata: [] as number[], bare: [] as number[], native: [] as number[] };
  // Each xloop run's own 95% CI: what that run alone claimed to know about its figure.
  const intervals: [number, number][] = [];
  for (let t = 0; t < trials; t++) {
    // Rotate the order so no tool always runs first after a slow phase.
    const tools = nativeKernels ? (["xloop", "tinybench", "mitata", "bare", "native"] as const) : (["xloop", "tinybench", "mitata", "bare"] as const);
    const order = tools.map((_, i, a) => a[(i + t) % a.length]);
    for (const tool of order) {
      if (tool === "native") {
        // As long as xloop samples (its default --time, 1 s), on the CPU xloop pins to.
        const out = run(nativeKernels!.binary, [kernel, String(kernelArgs[kernel][0]), "1000", String(cpu)]);
        figures.native.push(Number(out.trim()));
      } else if (tool === "bare") {
        figures.bare.push(Number(run(bunBinary, ["bench/bare-loop.ts", kernel, "1000", String(cpu)]).trim()));
      } else if (tool === "xloop") {
        const doc = JSON.parse(run(xloopBinary, ["bench", `${kernelsFile}#${kernel}`, "--args", argsOf(kernel), "--json"]));
        figures.xloop.push(doc.results[0].stats.median);
        intervals.push(doc.results[0].stats.ci);
      } else {
        figures[tool].push(peerMeans(tool, kernel, argsOf(kernel))[0]);
      }
    }
    process.stderr.write(`\r${kernel}: trial ${t + 1}/${trials}   `);
  }
  process.stderr.write("\n");
  for (const [tool, values] of Object.entries(figures)) console.error(`${kernel} ${tool}: ${values.map((v) => v.toFixed(1)).join(" ")}`);
  const c = { xloop: cv(figures.xloop), tinybench: cv(figures.tinybench), mitata: cv(figures.mitata), bare: cv(figures.bare), native: nativeKernels ? cv(figures.native) : NaN };
  // A run's CI is honest across runs when it holds the figure the other runs agree on;
  // a run-to-run CV far above what the runs claimed is drift between runs, which no
  // single run can see.
  const consensus = median(figures.xloop);
  const claimed = median(intervals.map(([low, high]) => (high - low) / 2 / consensus));
  const covered = intervals.filter(([low, high]) => low <= consensus && consensus <= high).length;
  rows.push([
    kernel,
    `${consensus.toFixed(1)} ns`,
    `${(c.xloop * 100).toFixed(2)}%`,
    `±${(claimed * 100).toFixed(2)}%`,
    `${covered}/${trials}`,
    `${(c.tinybench * 100).toFixed(2)}%`,
    `${(c.mitata * 100).toFixed(2)}%`,
    `${(c.bare * 100).toFixed(2)}%`,
    nativeKernels ? `${(c.native * 100).toFixed(2)}%` : "n/a",
    `${(c.tinybench / c.xloop).toFixed(1)}x`,
    `${(c.mitata / c.xloop).toFixed(1)}x`,
    `${correlation(figures.xloop, figures.tinybench).toFixed(2)} / ${correlation(figures.xloop, figures.mitata).toFixed(2)}`,
  ]);
  const halfOfPeers = c.xloop <= Math.min(c.tinybench, c.mitata) / 2;
  const withinOnePercent = kernel === "hash50ns" || c.xloop <= 0.01;
  const host = ` (bare JS loop this run: ${(c.bare * 100).toFixed(2)}%${nativeKernels ? `; native C: ${(c.native * 100).toFixed(2)}%` : ""})`;
  verdicts.push(
    `${kernel}: ${halfOfPeers ? "meets" : "MISSES"} 'at most half of both peers'${kernel === "hash50ns" ? "" : `; ${withinOnePercent ? "meets" : "MISSES"} 'CV <= 1%'${host}`}`,
  );
}

console.log(`bench/precision: run-to-run CV over ${trials} fresh processes (xloop median; tinybench mean; mitata avg), peers on Bun at defaults`);
printTable(["kernel", "xloop median", "xloop CV", "xloop CI (median ±)", "CIs holding the median of all runs", "tinybench CV", "mitata CV", "bare JS CV", "native C CV", "tinybench/xloop", "mitata/xloop", "r(xloop, tb / mitata)"], rows);
console.log("native C: the same work in C (bench/native-kernels.c), pinned to xloop's CPU, one 1 s window a run, taking its turn in every trial: no JIT, GC or worker, so its spread is the host's drift as a plain measurement meets it (a slow phase over its one window moves it; xloop's workers, spread over seconds and trimmed, resist short phases, not long ones).");
console.log("bare JS: the same kernel in a plain timed loop in a fresh Bun process (bench/bare-loop.ts), pinned alike, one 1 s window a run: the host's drift as JavaScript meets it. Code that allocates streams through fresh heap memory where its C twin reuses hot cache lines, so load from other tenants on the shared cache and memory (the likeliest cause) can move it more than the C column shows.");
console.log(`xloop CI: the median half-width of the ${trials} runs' own 95% intervals. When nothing moves between runs, about 95% of them hold the median of all runs' figures; fewer, with a CV well above half the half-width, is the host moving between runs, which no single run can see.`);
console.log("r: correlation of the tools' figures trial by trial (they take turns within a trial); near 1, the spread is the machine's speed drifting between trials, which no tool can average away.");
for (const v of verdicts) console.log(v);

const empty = JSON.parse(run(xloopBinary, ["bench", `${kernelsFile}#empty`, "--json"]));
const e = empty.results[0];
const flagged = e.warnings.some((w: { code: string }) => w.code === "optimized-away");
if (nativeKernels) rmSync(nativeKernels.folder, { recursive: true, force: true });
console.log(`empty function: median ${e.stats.median.toFixed(3)} ns (${Math.abs(e.stats.median) < 1 ? "under 1 ns" : "NOT under 1 ns"}), ${flagged ? "flagged 'likely optimised away'" : "NOT flagged"}`);
