/**
 * The result of an A/B comparison in a domain other than CPU time (memory, async,
 * structure): the same paired decision (sequential-run.ts), over the domain's own metric.
 */
import { bootstrapCI, medianInPlace } from "../stats/bootstrap.ts";
import { median } from "../stats/descriptive.ts";
import type { ComparisonDecision, SequentialOutcome } from "./sequential-run.ts";

/** One side's figures in the domain's unit. */
export interface DomainSide {
  label: string;
  /** Median of the side's per-replicate values, and its 95% bootstrap interval. */
  median: number;
  ci: [number, number];
  /** Every replicate's value, in order. */
  values: number[];
}

/** A domain comparison's outcome. Ratios are head/base of a lower-is-better metric, so "faster" means better. */
export interface DomainAbResult extends ComparisonDecision {
  domain: string;
  /** What is compared, e.g. "import time", "bytes allocated per call", "time per completed call at concurrency 8". */
  metric: string;
  /** The unit of the sides' figures: "ms", "B", "calls/s". */
  unit: string;
  base: DomainSide;
  head: DomainSide;
  notes: string[];
}

/** A side's summary from its replicate values. */
export function domainSide(label: string, values: number[]): DomainSide {
  return { label, median: values.length ? median(values) : NaN, ci: values.length ? bootstrapCI(values, medianInPlace, { expand: true }) : [NaN, NaN], values };
}

/** The result from the sequential outcome and both sides' values. */
export function domainAbResult(
  what: { domain: string; metric: string; unit: string; threshold: number; notes?: string[] },
  base: DomainSide,
  head: DomainSide,
  outcome: SequentialOutcome,
): DomainAbResult {
  return {
    domain: what.domain,
    metric: what.metric,
    unit: what.unit,
    base,
    head,
    ratio: outcome.estimate.ratio,
    ci: outcome.estimate.ci,
    p: outcome.estimate.p,
    verdict: outcome.verdict,
    threshold: what.threshold,
    confidence: outcome.estimate.confidence,
    rounds: outcome.ratios.length,
    roundRatios: outcome.ratios,
    wallMs: outcome.wallMs,
    notes: what.notes ?? [],
    error: outcome.failure,
  };
}
