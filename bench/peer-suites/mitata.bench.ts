// A mitata suite with mitata's defaults. Run by itself it measures with mitata and
// prints each run's median (ns) as its last line; under xloop its run() measures nothing.
import { bench, do_not_optimize, group, run } from "mitata";
import { spin } from "./work.ts";

group("spin", () => {
  bench("spin 2000", () => do_not_optimize(spin(2000)));
  bench("spin 1000", () => do_not_optimize(spin(1000)));
});

const result = (await run({ format: "quiet" })) as any;
const figures: Record<string, number> = {};
for (const b of result.benchmarks) for (const r of b.runs) figures[`${result.layout[b.group]?.name} > ${r.name}`] = r.stats.p50;
console.log(JSON.stringify({ figures }));
