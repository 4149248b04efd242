/**
 * Output of `ab --domain memory|async|structure`: both sides in the domain's unit, the
 * ratio with its interval and the verdict, and what an undecided interval did show.
 */
import type { DomainAbResult } from "../ab/domain-result.ts";
import { formatDomainValue } from "../format/domain-units.ts";
import { renderTable } from "../format/table.ts";
import { equivalenceBound } from "../stats/verdict.ts";
import { boundText } from "./ab-report.ts";

/** The verdict words for a lower-is-better metric that is not time. */
function verdictWord(r: DomainAbResult): string {
  if (r.domain === "memory") return r.verdict === "faster" ? "smaller (better)" : r.verdict === "slower" ? "larger (worse)" : r.verdict;
  if (r.domain === "async") return r.verdict === "faster" ? "more throughput (better)" : r.verdict === "slower" ? "less throughput (worse)" : r.verdict;
  return r.verdict;
}

/** The terminal report of domain comparisons. */
export function renderDomainAbHuman(results: DomainAbResult[], measuredOn: string): string {
  const blocks = results.map((r) => {
    const side = (name: string, s: DomainAbResult["base"]) => [name, s.label, `${formatDomainValue(s.median, r.unit)}  [${formatDomainValue(s.ci[0], r.unit)}, ${formatDomainValue(s.ci[1], r.unit)}]`, `${s.values.length} runs`];
    const lines = [`${r.metric} (${r.domain}), measured on ${measuredOn}`, renderTable(["", "target", "median [95% CI]", ""], [side("base", r.base), side("head", r.head)])];
    if (r.error) {
      lines.push(`error: ${r.error.message}`);
    } else {
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
      const bound = equivalenceBound(r.ci);
      const shown = (r.verdict === "inconclusive" || r.verdict === "same") && Number.isFinite(bound) ? ` — ${boundText(bound, r.confidence)}` : "";
      lines.push(`head/base ${r.ratio.toFixed(3)}x [${r.ci[0].toFixed(3)}, ${r.ci[1].toFixed(3)}] (${pct(r.confidence)} CI, ${r.rounds} pairs, ${(r.wallMs / 1000).toFixed(1)} s): ${verdictWord(r)} (threshold ±${pct(r.threshold)})${shown}`);
    }
    for (const note of r.notes) lines.push(`note: ${note}`);
    return lines.join("\n");
  });
  return blocks.join("\n\n");
}
