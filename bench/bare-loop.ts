/**
 * bench/bare-loop: one kernel timed by a plain loop in this fresh process: no harness,
 * no workers, no statistics beyond a median of batches. bench/precision runs it in
 * every trial beside the tools to show how much the host alone moves a JavaScript
 * figure from one process to the next. The kernel's C twin cannot show that: code that
 * allocates streams through fresh heap memory where the C version reuses a few hot
 * cache lines, so load from other tenants on the shared cache and memory (the likeliest
 * cause) can slow the one and not the other. Measured here with such a loop, one fresh
 * process every 15 s for 14 minutes: words2us spread 14% (CV), with two spells of
 * +40-80% (one half a minute long), while its C twin spread 3.5% with no such spell.
 *
 *   node_modules/.bin/bun bench/bare-loop.ts <kernel> <window ms> [cpu] [--serve]
 *
 * Prints the median ns per call over batches of at least 1 ms each. With --serve the
 * process stays up and times one more window for every line read from stdin, so
 * bench/host-drift can keep several such processes measuring in turn.
 */
import { kernelArgs, hash50ns, sieve200us, words2us } from "./kernels.ts";
import { pinCurrentThread } from "../src/pin/pin.ts";
import { bestClock } from "../src/runtime/clock.ts";
import { median } from "../src/stats/descriptive.ts";

const kernels = { hash50ns, words2us, sieve200us } as Record<string, (...args: any[]) => number>;
const [name, windowArg, cpuArg] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const kernel = kernels[name];
if (!kernel || !Number(windowArg)) {
  console.error(`usage: bun bench/bare-loop.ts <${Object.keys(kernels).join("|")}> <window ms> [cpu]`);
  process.exit(2);
}
if (cpuArg !== undefined) await pinCurrentThread(Number(cpuArg));
const args = kernelArgs[name as "hash50ns" | "words2us" | "sieve200us"] as readonly unknown[];
const { now } = bestClock();
let sink = 0;

function batchNs(calls: number): number {
  const start = now();
  for (let i = 0; i < calls; i++) sink += kernel(...args);
  return now() - start;
}

// Batches of at least 1 ms, so the clock's cost is lost in them.
let calls = 1;
while (batchNs(calls) < 1e6) calls *= 2;
function windowMedian(): number {
  const perCall: number[] = [];
  const end = now() + Number(windowArg) * 1e6;
  while (now() < end) perCall.push(batchNs(calls) / calls);
  return median(perCall);
}

if (process.argv.includes("--serve")) {
  for await (const _line of console) console.log(windowMedian());
} else {
  console.log(windowMedian());
}
// Reading the sum keeps every call's result alive, so no call can be optimised away.
if (Number.isNaN(sink)) console.error("a kernel returned NaN");
