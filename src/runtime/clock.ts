import { runtimeName } from "./runtime.ts";

declare const Bun: { nanoseconds(): number } | undefined;

/** A monotonic clock reading in nanoseconds, plus the name reports show. */
export interface Clock {
  /** Nanoseconds from an arbitrary origin, as a float. */
  now: () => number;
  /** e.g. "Bun.nanoseconds", "process.hrtime". */
  name: string;
}

/**
 * The finest monotonic clock of the running runtime. Bun's nanosecond counter is
 * the cheapest there; elsewhere process.hrtime.bigint has true nanosecond
 * resolution where performance.now may be coarsened.
 */
export function bestClock(): Clock {
  if (runtimeName() === "bun") {
    const nanoseconds = Bun!.nanoseconds;
    return { now: () => nanoseconds(), name: "Bun.nanoseconds" };
  }
  const hrtime = process.hrtime.bigint;
  return { now: () => Number(hrtime()), name: "process.hrtime.bigint" };
}

/**
 * The cost of one clock reading in nanoseconds (median of batched readings).
 * Samples must last far longer than this for the reading's cost to vanish.
 */
export function measureClockCost(clock: Clock, rounds = 31, perRound = 2000): number {
  const costs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = clock.now();
    for (let i = 0; i < perRound; i++) clock.now();
    costs.push((clock.now() - start) / (perRound + 1));
  }
  costs.sort((a, b) => a - b);
  return costs[Math.floor(costs.length / 2)];
}
