/**
 * bench/native-clock: what one clock reading costs on the running runtime, for every
 * clock xloop could time slices with, side by side: Bun.nanoseconds (Bun only),
 * process.hrtime.bigint (as src/runtime/clock.ts converts it, Number(...)),
 * performance.now, and the native addon's monotonicNs (when built). Also the finest
 * step each clock was seen to take, since a cheap but coarse clock is no better.
 *
 * Each round times a batch of calls to one clock with a reference clock read twice
 * (process.hrtime.bigint), the clocks taking turns round by round so that they all
 * see the same machine conditions; the figure is the median round.
 *
 *   npm run build:native   # optional: without it the native row says "not built"
 *   node_modules/.bin/bun bench/native-clock.ts
 *   node --import tsx bench/native-clock.ts
 *   node_modules/.bin/deno run -A bench/native-clock.ts
 */
import { nativeAddonStatus } from "../src/pin/native.ts";
import { runtimeInfo } from "../src/runtime/runtime.ts";

declare const Bun: { nanoseconds(): number } | undefined;

const rounds = 21;
const callsPerRound = 200_000;

const hrtime = process.hrtime.bigint;
const clocks: { name: string; now: (() => number) | null; note?: string }[] = [
  { name: "Bun.nanoseconds", now: typeof Bun !== "undefined" ? Bun.nanoseconds : null, note: "Bun only" },
  { name: "process.hrtime.bigint", now: () => Number(hrtime()) },
  // performance.now is in milliseconds; scaled so that steps read in ns like the rest.
  { name: "performance.now", now: () => performance.now() * 1e6 },
];
const native = nativeAddonStatus();
clocks.push({ name: "native monotonicNs", now: native.addon ? native.addon.monotonicNs : null, note: native.reason });

/** Nanoseconds per call over one batch, timed by the reference clock. */
function costOfBatch(now: () => number): { ns: number; sink: number } {
  let sink = 0;
  const start = hrtime();
  for (let i = 0; i < callsPerRound; i++) sink += now();
  const ns = Number(hrtime() - start) / callsPerRound;
  return { ns, sink };
}

/** The smallest non-zero difference between consecutive readings. */
function finestStep(now: () => number): number {
  let finest = Infinity;
  let previous = now();
  for (let i = 0; i < 100_000; i++) {
    const reading = now();
    if (reading !== previous && reading - previous < finest) finest = reading - previous;
    previous = reading;
  }
  return finest;
}

const available = clocks.filter((c) => c.now !== null) as { name: string; now: () => number }[];
const costs = new Map<string, number[]>(available.map((c) => [c.name, []]));
let sink = 0;
// One untimed round each: the first calls run in the interpreter, not the JIT.
for (const clock of available) sink += costOfBatch(clock.now).sink;
for (let r = 0; r < rounds; r++) {
  for (const clock of available) {
    const batch = costOfBatch(clock.now);
    costs.get(clock.name)!.push(batch.ns);
    sink += batch.sink;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const { name, version } = runtimeInfo();
console.log(`${name} ${version}: ns per clock reading (median of ${rounds} rounds of ${callsPerRound.toLocaleString("en")} calls; min..max)`);
for (const clock of clocks) {
  const label = clock.name.padEnd(24);
  if (!clock.now) {
    console.log(`${label}unavailable (${clock.note})`);
    continue;
  }
  const c = costs.get(clock.name)!;
  const step = finestStep(clock.now);
  console.log(
    `${label}${median(c).toFixed(1).padStart(7)} ns   (${Math.min(...c).toFixed(1)}..${Math.max(...c).toFixed(1)})   finest step ${step.toFixed(0)} ns`,
  );
}
// Printed so the engine cannot drop the readings as unused.
if (sink === 42) console.log("");
