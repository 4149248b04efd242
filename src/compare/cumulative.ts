import { existsSync } from "node:fs";
import { join } from "node:path";
import { runAb } from "../ab/run-ab.ts";
import { compareRevisions } from "./suite.ts";
import { planAb } from "../ab/plan.ts";
import { withWorktree } from "../git/worktree.ts";
import { figureText, productOfKeptRatios, type CumulativeFigure, type CumulativeRequest, type TargetFigure } from "../loop/milestone.ts";
import { storedCases } from "../oracle/oracle-file.ts";
import { parseTarget } from "../target/parse.ts";

/**
 * The cumulative figure measured for real: each kept target at the baseline commit
 * against HEAD, both in temporary worktrees, with the interleaved A/B engine on the
 * cases its baseline captured. A target that cannot be measured that way (no stored
 * cases, missing at the baseline, failing) keeps the product of its kept ratios, and
 * the label says which is which. Without a baseline commit the estimate stands.
 */
export async function measureCumulative(request: CumulativeRequest): Promise<CumulativeFigure> {
  const figure = await measureTargets(request);
  return request.baselineCommit ? withSuite(figure, request, request.baselineCommit) : figure;
}

/**
 * Adds the bench suite's end-to-end figure (compare <baseline> HEAD, docs/loop.md's
 * cumulative e2e measurement) when the project has a suite.
 */
async function withSuite(figure: CumulativeFigure, request: CumulativeRequest, baseline: string): Promise<CumulativeFigure> {
  const report = await compareRevisions(request.root, baseline, request.head, { signal: request.signal, log: request.log });
  if (report.kind === "no-suite" || !report.overall) return figure;
  const { speedup, benchmarks, verdicts } = report.overall;
  const suite = `end to end ${speedup.toFixed(2)}x (geometric mean of ${benchmarks} benchmark${benchmarks === 1 ? "" : "s"}: ${verdicts.faster} faster, ${verdicts.same} same, ${verdicts.slower} slower)`;
  return { ...figure, text: `${figure.text}; ${suite}` };
}

async function measureTargets(request: CumulativeRequest): Promise<CumulativeFigure> {
  const estimate = productOfKeptRatios(request.state);
  const measurable = estimate.targets.filter((figure) => storedCases(request.root, figure.target) !== null);
  if (!request.baselineCommit || measurable.length === 0) return estimate;
  const baseline = request.baselineCommit;
  const targets: TargetFigure[] = [];
  const estimated: string[] = [];
  await withWorktree(request.root, baseline, (before) =>
    withWorktree(request.root, request.head, async (after) => {
      for (const figure of estimate.targets) {
        const cases = storedCases(request.root, figure.target);
        const spec = parseTarget(figure.target, request.root);
        const inBase = { ...spec, file: join(before.path, figure.target.slice(0, figure.target.lastIndexOf("#"))), label: `${figure.target}@${baseline.slice(0, 7)}` };
        const inHead = { ...spec, file: join(after.path, figure.target.slice(0, figure.target.lastIndexOf("#"))), label: `${figure.target}@HEAD` };
        if (!cases || !existsSync(inBase.file) || !existsSync(inHead.file)) {
          targets.push(figure);
          estimated.push(figure.target);
          continue;
        }
        request.log(`[milestone] measuring ${figure.target}: baseline ${baseline.slice(0, 7)} against HEAD...`);
        const plan = planAb({ ...request.options }, { cwd: request.root, signal: request.signal }, spec);
        const result = await runAb(inBase, inHead, cases, plan.settings);
        if (result.error || !Number.isFinite(result.ratio)) {
          request.log(`[milestone] ${figure.target}: could not be measured (${result.error?.message ?? "no ratio"}); using the product of its kept ratios`);
          targets.push(figure);
          estimated.push(figure.target);
          continue;
        }
        targets.push({ target: figure.target, ratio: result.ratio, improvement: 1 - result.ratio, experiments: figure.experiments });
        request.log(`[milestone] ${figure.target}: ${result.ratio.toFixed(3)}x [${result.ci[0].toFixed(3)}, ${result.ci[1].toFixed(3)}] ${result.verdict} against the baseline (product of kept ratios: ${figure.ratio.toFixed(3)}x)`);
      }
    }),
  );
  if (estimated.length === targets.length) return estimate;
  const measuredAll = estimated.length === 0;
  const label = measuredAll
    ? `measured: baseline ${baseline.slice(0, 7)} against HEAD`
    : `measured against baseline ${baseline.slice(0, 7)}, except ${estimated.join(", ")}: product of kept ratios`;
  return { targets, label, measured: measuredAll, unmeasuredKeeps: estimate.unmeasuredKeeps, text: figureText(targets, label, estimate.unmeasuredKeeps) };
}
