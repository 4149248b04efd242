/**
 * Runs a peer harness (tinybench or mitata, at its defaults) on one or two exports of
 * a module in this fresh process and prints their mean time per call in ns as JSON:
 *   bun bench/peers/run-peer.ts <tinybench|mitata> <file> <exportA> '<args JSON>' [exportB]
 * This is how a user of those tools reads them: the mean (avg), and for two
 * functions the ratio of means.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [tool, file, exportA, argsJson, exportB] = process.argv.slice(2);
const mod = await import(pathToFileURL(resolve(file)).href);
const args = JSON.parse(argsJson) as unknown[];
const names = [exportA, ...(exportB ? [exportB] : [])];
const fns = names.map((n) => mod[n] as (...a: unknown[]) => unknown);
const means: number[] = [];

if (tool === "tinybench") {
  const { Bench } = await import("tinybench");
  const bench = new Bench();
  names.forEach((name, i) => bench.add(`${i}:${name}`, () => fns[i](...args)));
  await bench.run();
  for (const task of bench.tasks) {
    const result = task.result as { state: string; latency?: { mean: number } };
    if (!result.latency) throw new Error(`tinybench: ${task.name} ${result.state}`);
    means.push(result.latency.mean * 1e6);
  }
} else if (tool === "mitata") {
  const { bench, run } = await import("mitata");
  names.forEach((name, i) => bench(`${i}:${name}`, () => fns[i](...args)));
  const { benchmarks } = await run({ format: "quiet", throw: true } as any);
  for (const trial of benchmarks) means.push((trial.runs[0].stats as { avg: number }).avg);
} else {
  throw new Error(`unknown tool ${tool}`);
}
process.stdout.write(`${JSON.stringify({ tool, means })}\n`);
