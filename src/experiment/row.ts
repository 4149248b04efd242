import type { AbResult } from "../ab/run-ab.ts";
import { guardCell, newRow, type ResultRow } from "../record/columns.ts";
import { bytesCell, durationCell, percentCell, recordedMetric } from "../record/figures.ts";
import type { Decision } from "./decide.ts";
import type { EndToEnd } from "./end-to-end.ts";
import { guardVerdict, type GuardResult } from "./guard.ts";

/** Everything an experiment's row records. */
export interface ExperimentFacts {
  experiment: number;
  decision: Decision;
  pattern: string;
  target: string;
  domain: string;
  description: string;
  files: string[];
  commit: string | null;
  benchmark: AbResult | null;
  guard: GuardResult | null;
  endToEnd: EndToEnd | null;
  timestamp: string;
  /** The runtime that measured, e.g. `node 20.20.2`. */
  runtime: string;
  /** Guard-exercised files the change touched under --allow-test-changes. */
  testChanges?: string[];
}

/** A side's figure in its domain's record unit: bytes for memory, else a time (ns). */
function formatFigure(domain: string, value: number, spreadValue: number | undefined): string {
  // Below zero is under the resolution (a call optimised away, an allocator's page returned): the record says 0.
  const shown = Math.max(0, value);
  return domain === "memory" ? bytesCell(shown, spreadValue) : durationCell(shown, spreadValue);
}

/** Half the width of a side's CI: the ± of a record cell. */
function spread(side: AbResult["base"]): number | undefined {
  return side.ok ? Math.max(0, side.stats.ci[1] - side.stats.ci[0]) / 2 : undefined;
}

/**
 * The results.tsv row of an experiment, in the loop's own columns (`1.92µs±0.01µs`,
 * `+26.6%`, `-` when empty) then xloop's. Pure: the caller appends it.
 *
 * `improvement` is the paired ratio's gain (1 − ratio), the figure the decision and its
 * reason rest on. The two sides' medians in `before`/`after` come from separate workers
 * and can differ from it by a few tenths of a percent; a row whose improvement disagreed
 * with its own reason ("+2.1%" beside "3.0% faster") would leave the reader guessing.
 */
export function experimentRow(facts: ExperimentFacts): ResultRow {
  const b = facts.benchmark;
  const measured = b && !b.error && b.base.ok && b.head.ok ? b : null;
  const base = measured?.base.ok ? measured.base : null;
  const head = measured?.head.ok ? measured.head : null;
  return newRow({
    experiment: facts.experiment,
    status: facts.decision.action,
    pattern: facts.pattern,
    target: facts.target,
    before: base ? formatFigure(facts.domain, base.stats.median, spread(base)) : "-",
    after: head ? formatFigure(facts.domain, head.stats.median, spread(head)) : "-",
    improvement: measured ? percentCell(1 - measured.ratio) : "-",
    timestamp: facts.timestamp,
    commit: facts.commit ?? "-",
    domain: facts.domain,
    ratio: measured ? measured.ratio.toFixed(4) : "-",
    ci_low: measured ? measured.ci[0].toFixed(4) : "-",
    ci_high: measured ? measured.ci[1].toFixed(4) : "-",
    p: measured ? measured.p.toPrecision(3) : "-",
    guard: guardCell(guardVerdict(facts.guard)),
    files: facts.files.join(","),
    description: facts.description,
    reason:
      facts.decision.reason +
      (facts.decision.microOnly ? " [micro-only, hot path asserted]" : "") +
      (facts.testChanges?.length ? ` [guard files changed: ${facts.testChanges.join(", ")}; --allow-test-changes]` : ""),
    e2e_before: facts.endToEnd?.before ?? "-",
    e2e_after: facts.endToEnd?.after ?? "-",
    e2e_ratio: facts.endToEnd ? facts.endToEnd.ratio.toFixed(4) : "-",
    runtime: facts.runtime,
    metric: recordedMetric(facts.domain),
  });
}
