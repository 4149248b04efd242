/**
 * The markdown report of one `experiment` step (`--md`, and what is appended to
 * GITHUB_STEP_SUMMARY): the decision and its reason, then how each stage went.
 */
import type { ExperimentOutcome } from "../experiment/run-experiment.ts";
import { renderMarkdownTable } from "../format/table.ts";
import { configAuditLines } from "../experiment/config-audit.ts";
import { fidelityLines } from "../experiment/fidelity.ts";
import { formatDuration, formatRatio } from "../format/units.ts";

/** GitHub-flavoured markdown for the step, given its target's label and the runtime that measured. */
export function renderExperimentMarkdown(outcome: ExperimentOutcome, target: string, measuredOn: string): string {
  const action = outcome.decision.action.toUpperCase();
  const code = (t: string) => `\`${t}\``;
  const lines = [`## xloop experiment ${outcome.experiment}: ${action} ${code(target)}`, "", `**${action}**: ${outcome.decision.reason}`, ""];
  const rows: string[][] = [];
  const eq = outcome.equivalence;
  rows.push(["outputs", eq.identical ? `identical (${eq.cases} cases)` : `different: ${eq.differences.slice(0, 3).join("; ").replace(/\n/g, " ")}`]);
  if (outcome.fidelity) rows.push(["fidelity", fidelityLines(outcome.fidelity).map((l) => l.replace(/^Fidelity: /, "")).join("; ")]);
  const b = outcome.benchmark;
  if (b) {
    const median = (side: typeof b.base) => (side.ok ? formatDuration(side.stats.median) : "error");
    rows.push(["benchmark", `${median(b.base)} → ${median(b.head)}, ${formatRatio(b.ratio)} [${b.ci[0].toFixed(3)}, ${b.ci[1].toFixed(3)}] **${b.verdict}** (±${(b.threshold * 100).toFixed(1)}%, ${b.rounds} pairs)`]);
  }
  if (outcome.guard) rows.push(["guard", outcome.guard.passed ? "passed" : `failed (exit ${outcome.guard.exitCode})`]);
  if (outcome.endToEnd) rows.push(["end to end", outcome.endToEnd.summary]);
  if (outcome.configAudit) rows.push(["config audit", configAuditLines(outcome.configAudit).map((l) => l.replace(/^Config audit: /, "")).join("; ")]);
  if (outcome.testChanges.length) rows.push(["guard files changed", `${outcome.testChanges.map(code).join(", ")} (--allow-test-changes)`]);
  if (outcome.checklist) rows.push(["checklist", code(outcome.checklist)]);
  if (outcome.commit) rows.push(["commit", code(outcome.commit.slice(0, 7))]);
  if (outcome.patch) rows.push(["patch", code(outcome.patch)]);
  if (outcome.files.length) rows.push(["files", outcome.files.map(code).join(", ")]);
  lines.push(renderMarkdownTable(["stage", "result"], rows), "", `<sub>Ratio = head time / base time (HEAD against the working tree) over fresh interleaved worker pairs; measured on ${measuredOn}.</sub>`);
  return lines.join("\n");
}
