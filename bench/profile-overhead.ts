/**
 * bench/profile-overhead: what `xloop profile` costs and how fast it ranks.
 *  1. Overhead: the fixture workload (test/fixtures/profile-project.ts, an O(n^2)
 *     dedupe doing most of the work) run plain and under `xloop profile`, alternating,
 *     N trials: the profiled (CPU-sampled) run's wall (meta.json) against the plain
 *     run's, and the second run's (call counts and allocation sampling).
 *  2. Accuracy: the hot function's profiled self time against the time the workload
 *     measured for it with performance.now, per trial.
 *  3. Ranking time: a synthetic 20 MB .cpuprofile (many functions, deep stacks) parsed,
 *     summarised and ranked in-process, median of 5.
 *
 *   npm run build && node_modules/.bin/bun bench/profile-overhead.ts [--trials 7] [--rounds 60] [--mb 20]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCpuProfile } from "../src/profile/formats.ts";
import { addCpuProfile, emptySummary } from "../src/profile/function-stats.ts";
import { rankFunctions } from "../src/profile/rank.ts";
import { median } from "../src/stats/descriptive.ts";
import { writeFiles } from "../test/fixtures/git-repo.ts";
import { profileProjectFiles } from "../test/fixtures/profile-project.ts";
import { argsFrom, printTable, requireBinary, xloopBinary } from "./common.ts";

requireBinary();
const trials = Number(argsFrom("--trials") ?? 7);
const rounds = String(argsFrom("--rounds") ?? 60);
const megabytes = Number(argsFrom("--mb") ?? 20);
const project = mkdtempSync(join(tmpdir(), "xloop-profile-overhead-"));
writeFiles(project, profileProjectFiles());
spawnSync("git", ["init", "-q"], { cwd: project });

function wallOf(command: string, args: string[]): { ms: number; stdout: string; stderr: string } {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: project, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${r.stderr}`);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, stdout: r.stdout, stderr: r.stderr };
}

const plain: number[] = [];
const profiled: number[] = [];
const secondRun: number[] = [];
const selfErrors: number[] = [];
for (let t = 0; t < trials; t++) {
  plain.push(wallOf("node", ["src/main.js", rounds]).ms);
  const run = wallOf(xloopBinary, ["profile", "--json", "--", "node", "src/main.js", rounds]);
  const doc = JSON.parse(run.stdout);
  const meta = JSON.parse(readFileSync(join(doc.profileDir, "meta.json"), "utf8"));
  profiled.push(meta.wallMs);
  secondRun.push(meta.secondRunWallMs);
  const truth = JSON.parse(run.stderr.split("\n").find((l) => l.startsWith('{"hotMs"')) as string);
  const hot = doc.ranked.find((r: { name: string }) => r.name === "dedupe");
  selfErrors.push(hot.selfMs / truth.hotMs - 1);
}
const m = (xs: number[]) => median([...xs].sort((a, b) => a - b));
printTable(
  ["run", "median wall", "vs plain"],
  [
    ["plain node src/main.js", `${m(plain).toFixed(0)} ms`, "1.00x"],
    ["profiled run (CPU sampling, 1 ms)", `${m(profiled).toFixed(0)} ms`, `${(m(profiled) / m(plain)).toFixed(2)}x`],
    ["second run (call counts + allocation sampling)", `${m(secondRun).toFixed(0)} ms`, `${(m(secondRun) / m(plain)).toFixed(2)}x`],
  ],
);
console.log(`hot function's profiled self time against the workload's own timing: median ${(m(selfErrors) * 100).toFixed(1)}% (per trial: ${selfErrors.map((e) => `${(e * 100).toFixed(1)}%`).join(", ")})`);

/** A synthetic profile of about `mb` megabytes: 40 files x 50 functions, random stacks up to 40 deep, 1 ms samples. */
function syntheticProfile(mb: number): string {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const nodes: object[] = [{ id: 1, callFrame: { functionName: "(root)", scriptId: "0", url: "", lineNumber: -1, columnNumber: -1 }, hitCount: 0, children: [] as number[] }];
  const children = new Map<number, number[]>([[1, []]]);
  const samples: number[] = [];
  let size = 0;
  while (size < mb * 1024 * 1024) {
    let parent = 1;
    const depth = 1 + Math.floor(random() * 40);
    for (let d = 0; d < depth; d++) {
      const kids = children.get(parent) as number[];
      if (kids.length > 0 && random() < 0.8) {
        parent = kids[Math.floor(random() * kids.length)];
        continue;
      }
      const id = nodes.length + 1;
      const file = Math.floor(random() * 40);
      const fn = Math.floor(random() * 50);
      const node = { id, callFrame: { functionName: `f${file}_${fn}`, scriptId: String(file + 1), url: `file:///p/src/m${file}.js`, lineNumber: fn * 10, columnNumber: 2 }, hitCount: 0, children: [] as number[] };
      nodes.push(node);
      kids.push(id);
      children.set(id, node.children);
      size += 160;
      parent = id;
    }
    for (let s = 0; s < 20; s++) samples.push(parent);
    size += 20 * 12;
  }
  return JSON.stringify({ nodes, startTime: 0, endTime: samples.length * 1000 + 1000, samples, timeDeltas: samples.map(() => 1000) });
}
const text = syntheticProfile(megabytes);
const file = join(project, "synthetic.cpuprofile");
writeFileSync(file, text);
const times: number[] = [];
let ranked = 0;
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  const summary = addCpuProfile(emptySummary(), parseCpuProfile(readFileSync(file, "utf8"), file), { mergeLines: false });
  ranked = rankFunctions(summary, { root: "/p", threshold: 0.001, includeDeps: false, sourceOf: () => undefined }).length;
  times.push(performance.now() - started);
}
console.log(`ranking a ${(text.length / 1024 / 1024).toFixed(1)} MB profile (${JSON.parse(text).nodes.length} nodes, ${JSON.parse(text).samples.length} samples, ${ranked} candidates): median ${m(times).toFixed(0)} ms (read, parse, summarise, rank)`);
