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
 * xloop runs twice in every trial: at its defaults, and in a precise mode (default
 * `--precision 0.01`, which takes the rounds a ±1% CI needs); each run's wall time is
 * reported beside the peers', so the cost of the precision is in the same table.
 *
 *   npm run build && node_modules/.bin/bun bench/precision.ts [--trials 10] [--kernels words2us,sieve200us] [--xloop "--precision 0.01"]
 *
 * --xloop sets the precise mode's flags. The peers stay at their defaults.
 */
import { argsFrom, argsOf, bunBinary, correlation, cv, peerMeans, printTable, requireBinary, root, run, xloopBinary, kernelsFile } from "./common.ts";
import { median } from "../src/stats/descriptive.ts";
import { measurementCpu } from "../src/pin/pin.ts";
import { kernelArgs, timedKernels } from "./kernels.ts";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const trials = Number(argsFrom("--trials") ?? 10);
// The precise mode: a goal half the default's, which brings the rounds it needs.
const preciseFlags = (argsFrom("--xloop") ?? "--precision 0.01").split(/\s+/).filter(Boolean);
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
const allKernels = timedKernels;
const chosen = argsFrom("--kernels")?.split(",") ?? allKernels;
const unknown = chosen.filter((k) => !(allKernels as readonly string[]).includes(k));
if (unknown.length) {
  console.error(`--kernels: unknown ${unknown.join(", ")}; choose from ${allKernels.join(", ")}`);
  process.exit(2);
}
const kernels = allKernels.filter((k) => chosen.includes(k));
/** xloop's two ways to run: its defaults, and the precise mode its flags ask for. */
const modes = [
  { name: "xloop", flags: [] as string[] },
  { name: "xloop precise", flags: preciseFlags },
] as const;
type Tool = "xloop" | "xloop precise" | "tinybench" | "mitata" | "bare" | "native";

const rows: string[][] = [];
const verdicts: string[] = [];
const costs: string[] = [];
for (const kernel of kernels) {
  const figures: Record<Tool, number[]> = { xloop: [], "xloop precise": [], tinybench: [], mitata: [], bare: [], native: [] };
  const seconds: Record<Tool, number[]> = { xloop: [], "xloop precise": [], tinybench: [], mitata: [], bare: [], native: [] };
  // Each xloop run's own 95% CI: what that run alone claimed to know about its figure.
  const intervals: Record<string, [number, number][]> = { xloop: [], "xloop precise": [] };
  for (let t = 0; t < trials; t++) {
    // Rotate the order so no tool always runs first after a slow phase.
    const tools: Tool[] = ["xloop", "xloop precise", "tinybench", "mitata", "bare", ...(nativeKernels ? (["native"] as const) : [])];
    const order = tools.map((_, i, a) => a[(i + t) % a.length]);
    for (const tool of order) {
      const started = performance.now();
      if (tool === "native") {
        // As long as xloop samples (its default --time, 1 s), on the CPU xloop pins to.
        const out = run(nativeKernels!.binary, [kernel, String(kernelArgs[kernel][0]), "1000", String(cpu)]);
        figures.native.push(Number(out.trim()));
      } else if (tool === "bare") {
        figures.bare.push(Number(run(bunBinary, ["bench/bare-loop.ts", kernel, "1000", String(cpu)]).trim()));
      } else if (tool === "xloop" || tool === "xloop precise") {
        const flags = modes.find((m) => m.name === tool)!.flags;
        const doc = JSON.parse(run(xloopBinary, ["bench", `${kernelsFile}#${kernel}`, "--args", argsOf(kernel), "--json", ...flags]));
        figures[tool].push(doc.results[0].stats.median);
        intervals[tool].push(doc.results[0].stats.ci);
      } else {
        figures[tool].push(peerMeans(tool, kernel, argsOf(kernel))[0]);
      }
      seconds[tool].push((performance.now() - started) / 1000);
    }
    process.stderr.write(`\r${kernel}: trial ${t + 1}/${trials}   `);
  }
  process.stderr.write("\n");
  for (const [tool, values] of Object.entries(figures)) if (values.length) console.error(`${kernel} ${tool}: ${values.map((v) => v.toFixed(1)).join(" ")}`);
  const c = Object.fromEntries(Object.entries(figures).map(([tool, values]) => [tool, values.length > 1 ? cv(values) : NaN])) as Record<Tool, number>;
  const pct = (x: number) => (Number.isNaN(x) ? "n/a" : `${(x * 100).toFixed(2)}%`);
  for (const mode of modes) {
    const mine = figures[mode.name];
    // A run's CI is honest across runs when it holds the figure the other runs agree on;
    // a run-to-run CV far above what the runs claimed is drift between runs, which no
    // single run can see.
    const consensus = median(mine);
    const claimed = median(intervals[mode.name].map(([low, high]) => (high - low) / 2 / consensus));
    const covered = intervals[mode.name].filter(([low, high]) => low <= consensus && consensus <= high).length;
    const label = mode.flags.length ? mode.flags.join(" ") : "defaults";
    rows.push([
      kernel,
      label,
      `${consensus.toFixed(1)} ns`,
      pct(c[mode.name]),
      `±${(claimed * 100).toFixed(2)}%`,
      `${covered}/${trials}`,
      pct(c.tinybench),
      pct(c.mitata),
      pct(c.bare),
      pct(c.native),
      `${(c.tinybench / c[mode.name]).toFixed(1)}x`,
      `${(c.mitata / c[mode.name]).toFixed(1)}x`,
      `${correlation(mine, figures.tinybench).toFixed(2)} / ${correlation(mine, figures.mitata).toFixed(2)}`,
    ]);
    const halfOfPeers = c[mode.name] <= Math.min(c.tinybench, c.mitata) / 2;
    const withinOnePercent = c[mode.name] <= 0.01;
    const host = ` (bare JS loop this run: ${pct(c.bare)}${nativeKernels ? `; native C: ${pct(c.native)}` : ""})`;
    verdicts.push(
      `${kernel}, xloop ${label}: ${halfOfPeers ? "meets" : "MISSES"} 'at most half of both peers'${kernel === "hash50ns" ? "" : `; ${withinOnePercent ? "meets" : "MISSES"} 'CV <= 1%'${host}`}`,
    );
  }
  const cost = (tool: Tool) => `${tool === "xloop precise" ? `xloop ${preciseFlags.join(" ")}` : tool} ${median(seconds[tool]).toFixed(1)} s`;
  costs.push(`${kernel}: ${(["xloop", "xloop precise", "tinybench", "mitata"] as const).map(cost).join(", ")}`);
}

console.log(`bench/precision: run-to-run CV over ${trials} fresh processes (xloop median, at its defaults and with ${preciseFlags.join(" ")}; tinybench mean; mitata avg), peers on Bun at defaults`);
printTable(["kernel", "xloop flags", "xloop median", "xloop CV", "xloop CI (median ±)", "CIs holding the median of all runs", "tinybench CV", "mitata CV", "bare JS CV", "native C CV", "tinybench/xloop", "mitata/xloop", "r(xloop, tb / mitata)"], rows);
console.log("native C: the same work in C (bench/native-kernels.c), pinned to xloop's CPU, one 1 s window a run, taking its turn in every trial: no JIT, GC or worker, so its spread is the host's drift as a plain measurement meets it (a slow phase over its one window moves it; xloop's workers, spread over seconds and combined by their median, resist phases over fewer than half of them, not longer ones).");
console.log("bare JS: the same kernel in a plain timed loop in a fresh Bun process (bench/bare-loop.ts), pinned alike, one 1 s window a run: the host's drift as JavaScript meets it. Code that allocates streams through fresh heap memory where its C twin reuses hot cache lines, so load from other tenants on the shared cache and memory (the likeliest cause) can move it more than the C column shows.");
console.log(`xloop CI: the median half-width of the ${trials} runs' own 95% intervals. When nothing moves between runs, about 95% of them hold the median of all runs' figures; fewer, with a CV well above half the half-width, is the host moving between runs, which no single run can see.`);
console.log("r: correlation of the tools' figures trial by trial (they take turns within a trial); near 1, the spread is the machine's speed drifting between trials, which no tool can average away.");
console.log("seconds per run (median, wall clock, process start included):");
for (const line of costs) console.log(`  ${line}`);
for (const v of verdicts) console.log(v);
const empty = JSON.parse(run(xloopBinary, ["bench", `${kernelsFile}#empty`, "--json"]));
const e = empty.results[0];
const flagged = e.warnings.some((w: { code: string }) => w.code === "optimized-away");
if (nativeKernels) rmSync(nativeKernels.folder, { recursive: true, force: true });
console.log(`empty function: median ${e.stats.median.toFixed(3)} ns (${Math.abs(e.stats.median) < 1 ? "under 1 ns" : "NOT under 1 ns"}), ${flagged ? "flagged 'likely optimised away'" : "NOT flagged"}`);
