/** The JSON forms of A/B comparisons, shared by `ab`, `compare` and their domains' documents. */
import type { DomainAbResult } from "./domain-result.ts";
import type { AbResult } from "./run-ab.ts";
import { equivalenceBound } from "../stats/verdict.ts";

function nullIfNaN(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** What every comparison's JSON holds: the paired ratio, its interval and what the interval supports. */
function decisionJson(r: AbResult | DomainAbResult) {
  return {
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
  };
}

/** The JSON form of one CPU-time comparison (the schema documented in docs/reference.md). */
export function abJson(r: AbResult) {
  return { base: r.base, head: r.head, ...decisionJson(r), error: r.error };
}

/** The JSON form of one domain comparison (memory, async, structure): the metric and its unit first. */
export function domainAbJson(r: DomainAbResult) {
  return { domain: r.domain, metric: r.metric, unit: r.unit, base: r.base, head: r.head, ...decisionJson(r), notes: r.notes, error: r.error };
}
