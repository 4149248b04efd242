// A tinybench suite with tinybench's defaults. Run by itself it measures with tinybench
// and prints each task's median (ns) as its last line; under xloop its run() measures nothing.
import { Bench } from "tinybench";
import { spin } from "./work.ts";

const bench = new Bench({ name: "spin" });
bench.add("spin 2000", () => spin(2000)).add("spin 1000", () => spin(1000));
await bench.run();
const figures: Record<string, number> = {};
for (const task of bench.tasks) {
  const result = task.result as { latency?: { p50?: number } };
  figures[`spin > ${task.name}`] = (result.latency?.p50 ?? NaN) * 1e6;
}
console.log(JSON.stringify({ figures }));
