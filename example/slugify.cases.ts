/** Representative inputs for the slugify example: short and long titles, odd spacing. */
export const cases: [string][] = [
  ["Hello World"],
  ["  Did my change make this code faster?  "],
  ["The Quick Brown Fox -- Jumps Over the Lazy Dog_again"],
  ["xloop: pinned, interleaved micro-benchmarks for JavaScript & TypeScript (2026 edition)"],
];
