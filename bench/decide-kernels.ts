/**
 * Pairs of functions with known true differences for bench/decide.ts. Every variant
 * runs the same loop (`spin`) for n plus a fixed per-mille of extra iterations, so a
 * variant's time is the base's times (1 + d). The loop body is a cheap dependent
 * chain (about one cycle an iteration), fine-grained enough for 1% steps at ~50 ns.
 * Each variant is its own export so that base and head are different code, as in a
 * real change, while doing the same kind of work.
 */

function spin(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + i * 7) | 0;
  return s;
}

export function d0(n: number): number {
  return spin(n + Math.floor((n * 0) / 1000));
}
export function dPlus10(n: number): number {
  return spin(n + Math.floor((n * 10) / 1000));
}
export function dMinus10(n: number): number {
  return spin(n - Math.floor((n * 10) / 1000));
}
export function dPlus20(n: number): number {
  return spin(n + Math.floor((n * 20) / 1000));
}
export function dPlus50(n: number): number {
  return spin(n + Math.floor((n * 50) / 1000));
}
export function dPlus100(n: number): number {
  return spin(n + Math.floor((n * 100) / 1000));
}
