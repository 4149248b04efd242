/**
 * How fast the oracle encodes and compares realistic outputs, next to
 * util.isDeepStrictEqual on the same raw pairs. Run with
 * `node_modules/.bin/bun bench/oracle-compare.ts` or `node --import tsx bench/oracle-compare.ts`.
 * Self-contained (no Bun-only helpers) so that both runtimes can run it.
 */
import { isDeepStrictEqual } from "node:util";
import { compareEncoded } from "../src/oracle/compare.ts";
import { encodeValue } from "../src/oracle/encode.ts";
import type { EncodedValue } from "../src/oracle/encoded.ts";

const CASES = 1_000;
const ROUNDS = 7;

/** Deterministic PRNG (mulberry32), so every run benchmarks the same data. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];

/** An order of ~10 KB of JSON: nested objects, arrays, numbers, strings, as a function might return. */
function order(seed: number): unknown {
  const next = random(seed);
  const word = () => WORDS[Math.floor(next() * WORDS.length)]!;
  const lines = Array.from({ length: 50 }, (_, i) => ({
    line: i + 1,
    sku: `SKU-${Math.floor(next() * 1e6)}`,
    description: `${word()} ${word()} ${word()}`,
    quantity: 1 + Math.floor(next() * 9),
    unitPrice: Math.round(next() * 10_000) / 100,
    discount: next() < 0.2 ? Math.round(next() * 30) / 100 : 0,
    tax: { rate: 0.2, amount: next() * 10 },
    tags: [word(), word()],
    shipped: next() < 0.5,
  }));
  return {
    id: `ORD-${seed}`,
    createdAt: new Date(Date.UTC(2024, 0, 1) + seed * 60_000).toISOString(),
    customer: {
      id: Math.floor(next() * 1e9),
      name: `${word()} ${word()}`,
      email: `${word()}@example.test`,
      address: { street: `${Math.floor(next() * 999)} ${word()} street`, city: word(), zip: String(10_000 + seed), country: "FR" },
      loyalty: { tier: word(), points: Math.floor(next() * 50_000), since: 2010 + Math.floor(next() * 14) },
    },
    lines,
    totals: {
      net: lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0),
      tax: lines.reduce((sum, l) => sum + l.tax.amount, 0),
      currency: "EUR",
    },
    notes: next() < 0.5 ? null : `${word()} ${word()} ${word()} ${word()}`,
    history: Array.from({ length: 12 }, (_, i) => ({ at: seed * 1000 + i, status: word(), by: word() })),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median over rounds of the seconds `body` takes for all cases (after one warm-up round). */
function time(body: () => void): number {
  body();
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    body();
    samples.push((performance.now() - start) / 1000);
  }
  return median(samples);
}

const originals = Array.from({ length: CASES }, (_, i) => order(i + 1));
const copies = originals.map((value) => structuredClone(value));
const averageKb = originals.reduce<number>((sum, value) => sum + JSON.stringify(value).length, 0) / CASES / 1024;

let encodedOriginals: EncodedValue[] = [];
let encodedCopies: EncodedValue[] = [];
const encodeSeconds = time(() => {
  encodedOriginals = originals.map((value) => encodeValue(value));
});
encodedCopies = copies.map((value) => encodeValue(value));

let sink = 0;
const compareSeconds = time(() => {
  for (let i = 0; i < CASES; i++) if (compareEncoded(encodedOriginals[i]!, encodedCopies[i]!).equal) sink++;
});
const deepEqualSeconds = time(() => {
  for (let i = 0; i < CASES; i++) if (isDeepStrictEqual(originals[i], copies[i])) sink++;
});
if (sink !== 2 * CASES * (ROUNDS + 1)) throw new Error("a copy compared unequal: the benchmark is broken");

const runtime = typeof (globalThis as { Bun?: { version: string } }).Bun !== "undefined"
  ? `bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
  : `node ${process.versions.node}`;
const rows: [string, string, string][] = [
  ["encode (1 value per case)", encodeSeconds.toFixed(4), ((encodeSeconds / CASES) * 1e6).toFixed(1)],
  ["compareEncoded (1 pair per case)", compareSeconds.toFixed(4), ((compareSeconds / CASES) * 1e6).toFixed(1)],
  ["util.isDeepStrictEqual (raw pair)", deepEqualSeconds.toFixed(4), ((deepEqualSeconds / CASES) * 1e6).toFixed(1)],
];
console.log(`oracle compare: ${CASES} cases of ~${averageKb.toFixed(1)} KB JSON, median of ${ROUNDS} rounds, ${runtime}`);
console.log(`${"step".padEnd(36)}${"total s".padStart(10)}${"µs/case".padStart(10)}`);
for (const [step, total, perCase] of rows) console.log(`${step.padEnd(36)}${total.padStart(10)}${perCase.padStart(10)}`);
console.log(`compareEncoded / isDeepStrictEqual: ${(compareSeconds / deepEqualSeconds).toFixed(2)}x`);
console.log(`(encode both sides + compare) / isDeepStrictEqual: ${((2 * encodeSeconds + compareSeconds) / deepEqualSeconds).toFixed(2)}x`);
