/**
 * Pairs of functions with known true differences for bench/decide.ts, written out per
 * scale. Every variant runs the same loop (`spin`) for n plus a fixed number of extra
 * iterations, written as a literal, so a variant's time is the base's times (1 + d)
 * and base and head execute the very same operations otherwise. (An earlier version
 * computed the extra count as floor(n * d / 1000) inside the call; for d = 0 V8
 * folded that away, so at ~50 ns every variant ran 8–10% slower than the base,
 * whatever its nominal d.) The loop body is a cheap dependent chain, about one cycle
 * an iteration, fine-grained enough for 1% steps at ~50 ns. Each variant is its own
 * export so that base and head are different code, as in a real change.
 */

/** The variants and their nominal relative differences. */
export const variants: Record<string, number> = {
  d0: 0,
  dMinus10: -0.01,
  dPlus10: 0.01,
  dPlus20: 0.02,
  dPlus50: 0.05,
  dPlus100: 0.1,
};

/** TypeScript source exporting every variant for a base of `n` iterations. */
export function kernelSource(n: number): string {
  const exports = Object.entries(variants).map(([name, d]) => {
    const extra = Math.round(n * d);
    return `export function ${name}(n: number): number {\n  return spin(n ${extra < 0 ? "-" : "+"} ${Math.abs(extra)});\n}\n`;
  });
  return [
    "// Written by bench/decide-kernels.ts; see there.",
    "function spin(n: number): number {",
    "  let s = 0;",
    "  for (let i = 0; i < n; i++) s = (s + i * 7) | 0;",
    "  return s;",
    "}",
    ...exports,
  ].join("\n");
}
