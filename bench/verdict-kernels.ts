/**
 * Pairs of functions with known true differences for bench/verdicts.ts, written out per
 * scale. Every variant runs the same loop (`spin`) for a literal number of iterations,
 * the base's count plus as many as make the nominal difference d (see `scales`),
 * added to the call's argument (always 0) so that no variant's count is a
 * compile-time constant and base and head execute the very same operations otherwise.
 *
 * Why this loop: its body is a two-step dependent chain (xor, add), so its speed is
 * set by that chain's latency, not by how the JIT happened to place the loop in
 * memory. The earlier one-cycle body (`s + i * 7`) was front-end bound: at ~50 ns
 * its +1% variant ran 6% *faster* than the base in every long run (0.932–0.943,
 * three runs) because the two compiled loops sat differently against fetch
 * boundaries; this body's long runs of a pair repeat within about 0.3%. (An even
 * earlier version computed the extra count inside the call, which V8 folded away for
 * d = 0.)
 */

/** The variants and their nominal relative differences. */
export const variants: Record<string, number> = {
  d0: 0,
  dMinus10: -0.01,
  dPlus10: 0.01,
  dPlus15: 0.015,
  dPlus20: 0.02,
  dPlus50: 0.05,
  dPlus100: 0.1,
};

/**
 * A/A cells of stateful code: two identical copies of a function keeping module state
 * (a buffer refilled every 250 calls, like a small library's cache or pool), compared
 * with each other. Each cell names its base and head exports.
 */
export const statefulPairs: Record<string, { base: string; head: string }> = {
  aaState: { base: "stateA", head: "stateB" },
};

/** A scale: the base's iteration count, and the fraction of the base's time one more iteration adds. */
export interface Scale {
  iterations: number;
  step: number;
}

/**
 * The scales bench/verdicts measures. At 2 µs and 200 µs a call is all loop, so one
 * iteration adds 1/iterations. At ~70 ns the call's fixed cost is a large part and
 * the iteration count enters non-linearly: one iteration measured +0.72% at 150
 * (+2: 1.014–1.016, +3: 1.0214–1.0217, +8: 1.058–1.060, -2: 0.984–0.985, two
 * long runs each), so the variants there are calibrated by that step.
 */
export const scales: Record<string, Scale> = {
  "70ns": { iterations: 150, step: 0.0072 },
  "2us": { iterations: 5000, step: 1 / 5000 },
  "200us": { iterations: 500_000, step: 1 / 500_000 },
};

/** TypeScript source exporting every variant at a scale; call each with the argument 0. */
export function kernelSource(scale: Scale): string {
  const exports = Object.entries(variants).map(([name, d]) => {
    const count = scale.iterations + Math.round(d / scale.step);
    return `export function ${name}(zero: number): number {\n  return spin(zero + ${count});\n}\n`;
  });
  // Each copy has its own buffer: refilling it every 250 calls is the state a no-op change leaves alone.
  const stateful = ["stateA", "stateB"].map(
    (name) =>
      `const ${name}Buffer = new Float64Array(250);\nlet ${name}Next = 250;\nexport function ${name}(zero: number): number {\n  if (${name}Next === 250) {\n    for (let i = 0; i < 250; i++) ${name}Buffer[i] = (i * 2654435761) % 1000;\n    ${name}Next = 0;\n  }\n  return spin(zero + ${scale.iterations}) + ${name}Buffer[${name}Next++];\n}\n`,
  );
  return [
    "// Written by bench/verdict-kernels.ts; see there.",
    "function spin(n: number): number {",
    "  let s = 0;",
    "  for (let i = 0; i < n; i++) s = ((s ^ i) + 0x3779b9) | 0;",
    "  return s;",
    "}",
    ...exports,
    ...stateful,
  ].join("\n");
}
