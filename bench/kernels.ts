/**
 * Benchmark kernels at three scales (about 50 ns, 2 µs and 200 µs a call on the
 * reference machine), shared by bench/precision.ts and bench/verdicts.ts. Each does
 * real work whose result depends on its input, so none can be optimised away.
 */

/** ~50 ns: FNV-1a hash of a short string. */
export function hash50ns(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** ~2 µs: word frequencies of a paragraph in a Map. */
export function words2us(text: string): number {
  const counts = new Map<string, number>();
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    if (letter && start < 0) start = i;
    else if (!letter && start >= 0) {
      const word = text.slice(start, i).toLowerCase();
      counts.set(word, (counts.get(word) ?? 0) + 1);
      start = -1;
    }
  }
  let best = 0;
  for (const n of counts.values()) if (n > best) best = n;
  return best * 1000 + counts.size;
}

/** ~200 µs: sieve of Eratosthenes up to `limit`, returning the prime count. */
export function sieve200us(limit: number): number {
  const composite = new Uint8Array(limit + 1);
  let count = 0;
  for (let i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    count++;
    for (let j = i * i; j <= limit; j += i) composite[j] = 1;
  }
  return count;
}

/** An empty function: must come out under 1 ns and be flagged as optimised away. */
export function empty(): void {}

/** The inputs that give each kernel its scale. */
export const kernelArgs = {
  hash50ns: ["the quick brown fox jumps over the lazy dog, twice over"],
  words2us: [
    "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness,",
  ],
  sieve200us: [50_000],
  empty: [],
} as const;

/** The three timed scales, smallest first: the kernels every bench/ script measures. */
export const timedKernels = ["hash50ns", "words2us", "sieve200us"] as const;
