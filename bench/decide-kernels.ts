/**
 * Pairs of functions with known true differences for bench/decide.ts, written out per
 * scale. Every variant runs the same loop (`spin`) for a literal number of iterations,
 * the base's count times (1 + d), added to the call's argument (always 0) so that no
 * variant's count is a compile-time constant and base and head execute the very same
 * operations otherwise.
 *
 * Why this loop: its body is a two-step dependent chain (xor, add), so its speed is
 * set by that chain's latency, not by how the JIT happened to place the loop in
 * memory. The earlier one-cycle body (`s + i * 7`) was front-end bound: at ~50 ns
 * its +1% variant ran 6% *faster* than the base in every long run (0.932–0.943,
 * three runs) because the two compiled loops sat differently against fetch
 * boundaries; this body's long runs give -1% 0.984–0.986, +1% 1.012–1.013,
 * +2% 1.027 (two runs each). (An even earlier version computed the extra count
 * inside the call, which V8 folded away for d = 0.)
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

/** TypeScript source exporting every variant for a base of `n` iterations; call each with the argument 0. */
export function kernelSource(n: number): string {
  const exports = Object.entries(variants).map(([name, d]) => {
    const count = n + Math.round(n * d);
    return `export function ${name}(zero: number): number {\n  return spin(zero + ${count});\n}\n`;
  });
  return [
    "// Written by bench/decide-kernels.ts; see there.",
    "function spin(n: number): number {",
    "  let s = 0;",
    "  for (let i = 0; i < n; i++) s = ((s ^ i) + 0x3779b9) | 0;",
    "  return s;",
    "}",
    ...exports,
  ].join("\n");
}
