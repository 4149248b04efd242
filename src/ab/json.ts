/** The JSON form of an A/B comparison, shared by `ab` and `compare`'s documents. */
import type { AbResult } from "./run-ab.ts";
import { equivalenceBound } from "../stats/verdict.ts";

function nullIfNaN(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** The JSON form of one comparison (the schema documented in docs/reference.md). */
export function abJson(r: AbResult) {
  return {
    base: r.base,
    head: r.head,
    ratio: r.ratio,
    ci: r.ci,
    p: r.p,
    verdict: r.verdict,
    bound: nullIfNaN(equivalenceBound(r.ci)),
    threshold: r.threshold,
    confidence: r.confidence,
    rounds: r.rounds,
    round_ratios: r.roundRatios,
    wall_ms: r.wallMs,
    error: r.error,
  };
}

