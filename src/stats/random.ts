/**
 * A small seeded generator (mulberry32) so that bootstrap intervals are
 * reproducible for the same samples: a rerun of the statistics on the same data
 * gives the same CI, which makes reports and tests deterministic.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
