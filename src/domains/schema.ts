/**
 * The shape every domain definition must have, as a valibot schema, so a missing
 * threshold or a misspelt rotation pattern fails when xloop loads, not mid-experiment.
 */
import * as v from "valibot";

/** The domains xloop knows, in the order they are listed to users. */
export const DOMAIN_NAMES = ["cpu", "memory", "async", "structure"] as const;

/** A domain's name. */
export type DomainName = (typeof DOMAIN_NAMES)[number];

const text = v.pipe(v.string(), v.trim(), v.nonEmpty());
const fraction = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const kebab = v.pipe(v.string(), v.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "a pattern name is kebab-case"));

const MetricSchema = v.object({
  name: text,
  unit: text,
  /** Every metric xloop optimizes is better lower except throughput-like ones. */
  better: v.picklist(["lower", "higher"]),
  /** The metric keep/discard decisions are made on; exactly one per domain. */
  primary: v.boolean(),
  how: text,
});

const ThresholdSchema = v.object({
  /** Relative improvement of the primary metric, as a fraction (0.05 = 5%). */
  improvement: fraction,
  /** An alternative bar as a speed-up factor (2 = twice as fast); either bar suffices. */
  speedup: v.optional(v.pipe(v.number(), v.minValue(1))),
  /** An alternative bar as an absolute saving; either bar suffices. */
  absolute: v.optional(v.object({ amount: v.pipe(v.number(), v.minValue(0)), unit: text })),
  /** The rule in words, as a person applies it. */
  rule: text,
});

const StrategySchema = v.object({
  pattern: kebab,
  summary: text,
  /** local: one function or loop; structural: across functions or modules. Recovery "inverts" between them. */
  scope: v.picklist(["local", "structural"]),
});

const EscalationSignalSchema = v.object({
  signal: text,
  suggests: v.picklist(DOMAIN_NAMES),
});

/** A domain definition: everything the loop needs to reason, measure and decide in it. */
export const DomainSchema = v.pipe(
  v.object({
    name: v.picklist(DOMAIN_NAMES),
    summary: text,
    metrics: v.pipe(v.array(MetricSchema), v.minLength(1)),
    thresholds: v.object({
      keep: ThresholdSchema,
      microOnly: v.object({ ...ThresholdSchema.entries, requires: text }),
      noise: ThresholdSchema,
    }),
    checklist: v.pipe(v.array(text), v.minLength(5)),
    rotation: v.pipe(v.array(StrategySchema), v.minLength(3)),
    nonOptimizable: v.pipe(v.array(text), v.minLength(1)),
    profiling: v.pipe(v.array(v.object({ source: text, shows: text })), v.minLength(1)),
    escalation: v.pipe(v.array(EscalationSignalSchema), v.minLength(1)),
  }),
  v.check((d) => d.metrics.filter((m) => m.primary).length === 1, "a domain has exactly one primary metric"),
  v.check(
    (d) => new Set(d.rotation.map((s) => s.pattern)).size === d.rotation.length,
    "rotation patterns are unique",
  ),
  v.check(
    (d) => d.thresholds.noise.improvement <= d.thresholds.keep.improvement,
    "the noise threshold is at most the keep threshold",
  ),
  v.check(
    (d) => d.thresholds.keep.improvement <= d.thresholds.microOnly.improvement,
    "a micro-only keep needs at least the keep threshold",
  ),
  v.check((d) => d.escalation.every((e) => e.suggests !== d.name), "escalation suggests another domain"),
);

/** A validated domain definition. */
export type Domain = v.InferOutput<typeof DomainSchema>;
