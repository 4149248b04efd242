import { join, relative } from "node:path";
import { existsSync, realpathSync } from "node:fs";
import { UserError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { changedFiles, changedPaths, commitFiles, restoreFiles, savePatch, uncommit } from "../git/change.ts";
import { registerCleanup } from "../git/cleanup.ts";
import { moduleGraph } from "../git/module-graph.ts";
import { headCommit, openRepo, shortCommit } from "../git/repo.ts";
import { restoreSnapshot, snapshotFiles } from "../git/snapshot.ts";
import { withWorktree } from "../git/worktree.ts";
import type { CasesSpec, TargetSpec } from "../measure/protocol.ts";
import { captureChecked } from "../oracle/capture-target.ts";
import { oraclePath, readOracle } from "../oracle/oracle-file.ts";
import { runCapture, type CaptureOptions } from "../oracle/run-capture.ts";
import { compareRecords } from "../oracle/verify.ts";
import { runAb, type AbResult, type AbSettings } from "../ab/run-ab.ts";
import { appendResult, readResults, nextExperimentNumber } from "../record/results-tsv.ts";
import { newRow, type ResultRow } from "../record/columns.ts";
import { formatDuration, formatImprovement } from "../record/figures.ts";
import { targetKey } from "../project/root.ts";
import { parseCases } from "../target/parse.ts";
import type { Domain } from "../domains/domains.ts";
import { decide, type Decision } from "./decide.ts";
import { measureEndToEnd, type EndToEnd } from "./end-to-end.ts";
import { readLoopConfig } from "../loop/config.ts";
import { readGuard, runGuard, type GuardResult } from "./guard.ts";
import { isStatePath, requireCodeflash } from "./workspace.ts";
import { formatDuration as formatHuman } from "../output/units.ts";

/** What the user asked for. */
export interface ExperimentRequest {
  cwd: string;
  target: TargetSpec;
  /** --cases/--args, or null to reuse the baseline's (the stored oracle's) cases. */
  cases: CasesSpec | null;
  pattern: string;
  description: string;
  domain: Domain;
  ab: AbSettings;
  capture: CaptureOptions;
  hotPath: boolean;
  rework: boolean;
  force: boolean;
  /** --files: the change's files named explicitly (repo-relative), else those the target imports. */
  files?: string[];
  signal: AbortSignal;
  /** Status lines (stderr). */
  log: (line: string) => void;
}

/** What happened, as printed and recorded. */
export interface ExperimentOutcome {
  experiment: number;
  decision: Decision;
  row: ResultRow;
  files: string[];
  commit: string | null;
  patch: string | null;
  benchmark: AbResult | null;
  guard: GuardResult | null;
  /** The end-to-end measurement after a KEEP, when the project has one. */
  endToEnd: EndToEnd | null;
  equivalence: { cases: number; identical: boolean; differences: string[] };
}

function casesForExperiment(request: ExperimentRequest, root: string): CasesSpec {
  if (request.cases) return request.cases;
  const key = targetKey(root, request.target);
  if (!existsSync(oraclePath(root, key))) {
    throw new UserError(`${request.target.label}: no cases given and no baseline captured; run \`xloop baseline ${request.target.label} --cases <file#export>\` first, or pass --cases`);
  }
  const stored = readOracle(root, key).cases;
  return stored.kind === "module" ? parseCases({ cases: stored.spec }, root) : stored;
}

/**
 * The files of the change under test. Step 7 of the loop (benchmark fidelity): the
 * target must reach at least one changed file through its relative imports. Other
 * dirty files are the user's unrelated work and are never committed or restored.
 * --files names the change explicitly; --force accepts a change the target does not
 * import (then every dirty file is the change unless --files says otherwise).
 */
function selectChangeFiles(repo: string, target: TargetSpec, dirty: string[], request: ExperimentRequest): string[] {
  if (request.files && request.files.length > 0) {
    const unknown = request.files.filter((f) => !dirty.includes(f));
    if (unknown.length > 0) throw new UserError(`--files: ${unknown.join(", ")} ${unknown.length === 1 ? "has" : "have"} no change against HEAD (changed: ${dirty.join(", ")})`);
    return request.files;
  }
  const graph = new Set([...moduleGraph(target.file)].map((f) => realpathOrSelf(f)));
  const reached = dirty.filter((f) => graph.has(realpathOrSelf(join(repo, f))));
  if (reached.length > 0) return reached;
  if (request.force) return dirty;
  throw new UserError(
    `the benchmark does not exercise this change: none of the changed files (${dirty.join(", ")}) is reachable from ${target.label} through its relative imports; name them with --files or pass --force`,
  );
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The rework attempt this run is: 0, or the next one after the last guard failure of the last experiment. */
function reworkState(rows: ResultRow[], wantsRework: boolean, target: string): { experiment: number; rework: number } {
  const next = nextExperimentNumber(rows);
  if (!wantsRework) return { experiment: next, rework: 0 };
  const last = [...rows].reverse().find((r) => r.status === "keep" || r.status === "discard");
  const match = last && /rework (\d)\/\d allowed/.exec(last.reason);
  if (!last || !match || last.guard !== "guard_fail") {
    throw new UserError(`--rework: the last experiment${last ? ` (${last.experiment})` : ""} did not fail its guard, so there is nothing to rework; run without --rework`);
  }
  if (last.target !== target) throw new UserError(`--rework: the last experiment was on ${last.target}, not ${target}`);
  return { experiment: last.experiment, rework: Number(match[1]) };
}

/**
 * One step of the loop (steps 4-15 of the design) on the change in the working
 * tree: fidelity, equivalence against the oracle of HEAD, the interleaved benchmark
 * of HEAD against the working tree, the guard, the decision, then commit (KEEP) or
 * save-and-restore (DISCARD), and the record. Only the files of the change are ever
 * touched; an interrupt leaves the tree and the record as they were.
 */
export async function runExperiment(request: ExperimentRequest): Promise<ExperimentOutcome> {
  const repo = await openRepo(request.cwd);
  const paths = requireCodeflash(repo);
  // Read (and validate) the configuration before anything is changed.
  const config = readLoopConfig(paths.config);
  const { log } = request;
  const target = request.target;
  const key = targetKey(repo, target);
  if (relative(repo, target.file).startsWith("..")) throw new UserError(`${target.label}: not inside the repository ${repo}`);
  const rows = existsSync(paths.results) ? readResults(paths.results).rows : [];
  const { experiment, rework } = reworkState(rows, request.rework, key);
  const tag = `[experiment ${experiment}]`;

  const changes = (await changedFiles(repo)).filter((c) => !isStatePath(c.path) && !(c.from && isStatePath(c.from)));
  const dirty = changedPaths(changes);
  if (dirty.length === 0) throw new UserError(`no change in the working tree of ${repo} (outside .codeflash/): edit the code, then run the experiment`);
  const files = selectChangeFiles(repo, target, dirty, request);
  const unrelated = dirty.filter((f) => !files.includes(f));
  // Restores the user's files exactly if an interrupt lands while we change them.
  const snapshot = await snapshotFiles(repo, files);
  const undo = registerCleanup(() => restoreSnapshot(snapshot));
  let acted = false;
  try {
    log(`${tag} Target: ${key} (${request.pattern}, ${request.domain.name})${rework ? ` — rework ${rework}/2` : ""}`);
    log(`${tag} Change: ${files.join(", ")}${unrelated.length ? ` (left alone: ${unrelated.join(", ")})` : ""}`);
    const cases = casesForExperiment(request, repo);
    const inRepo = relative(repo, target.file);

    return await withWorktree(repo, "HEAD", async (worktree) => {
      const base: TargetSpec = { ...target, file: join(worktree.path, inRepo), label: `${key}@HEAD` };
      const head: TargetSpec = { ...target, label: key };

      // Steps 4 and 8: outputs of the working tree against the oracle of HEAD.
      log(`${tag} Verifying output equivalence...`);
      const headCommitId = await headCommit(repo);
      let oracleRecords;
      let ignore: string[] = [];
      const storedPath = oraclePath(repo, key);
      const stored = existsSync(storedPath) ? readOracle(repo, key) : null;
      if (stored && stored.commit === headCommitId && stored.dirty === false) {
        oracleRecords = stored.records;
        ignore = stored.ignore;
      } else {
        ignore = stored?.ignore ?? [];
        oracleRecords = (await captureChecked(base, cases, request.capture, ignore)).records;
      }
      const now = await runCapture(head, cases, request.capture);
      let equivalence: ExperimentOutcome["equivalence"];
      let decision: Decision;
      let benchmark: AbResult | null = null;
      let guard: GuardResult | null = null;
      if (now.failure) {
        equivalence = { cases: 0, identical: false, differences: [now.failure.message] };
        decision = decide({ outputs: "crashed", outputsDetail: now.failure.message, benchmark: null, guard: "skipped", rework, hotPath: request.hotPath, domain: request.domain });
        log(`${tag} Verifying output equivalence... the target crashed: ${now.failure.message}`);
      } else {
        const report = compareRecords(oracleRecords, now.records, { ignore, limit: 5 });
        equivalence = { cases: report.cases, identical: report.equal, differences: report.differences.map((d) => `case ${d.case} ${d.path}: ${d.expected} (original) vs ${d.actual} (now)`) };
        if (!report.equal) {
          log(`${tag} Verifying output equivalence... DIFFERENT in ${report.casesDiffering} of ${report.cases} cases`);
          for (const d of equivalence.differences) log(`${tag}   ${d}`);
          decision = decide({ outputs: "different", outputsDetail: equivalence.differences[0], benchmark: null, guard: "skipped", rework, hotPath: request.hotPath, domain: request.domain });
        } else {
          log(`${tag} Verifying output equivalence... identical (${report.cases} cases)`);
          // Steps 5, 9 and 13: HEAD against the working tree, interleaved.
          log(`${tag} Benchmarking...`);
          benchmark = await runAb(base, head, cases, request.ab);
          if (benchmark.error) {
            decision = decide({ outputs: "crashed", outputsDetail: benchmark.error.message, benchmark: null, guard: "skipped", rework, hotPath: request.hotPath, domain: request.domain });
          } else {
            const before = benchmark.base.ok ? formatHuman(benchmark.base.stats.median) : "-";
            const after = benchmark.head.ok ? formatHuman(benchmark.head.stats.median) : "-";
            log(`${tag} Benchmarking... ${before} -> ${after}  ${benchmark.ratio.toFixed(3)}x [${benchmark.ci[0].toFixed(3)}, ${benchmark.ci[1].toFixed(3)}] ${benchmark.verdict}`);
            // Step 10: the guard, only when the metric improved.
            let guardState: "pass" | "fail" | "skipped" = "skipped";
            const command = readGuard(repo);
            if (benchmark.verdict === "faster" && command) {
              guard = await runGuard(command, repo, request.signal);
              guardState = guard.passed ? "pass" : "fail";
              log(`${tag} Guard: ${command} ... ${guard.passed ? "passed" : `FAILED (exit ${guard.exitCode})`}`);
              if (!guard.passed && guard.tail) for (const line of guard.tail.split("\n").slice(-5)) log(`${tag}   ${line}`);
            }
            decision = decide({ outputs: "identical", benchmark, guard: guardState, rework, hotPath: request.hotPath, domain: request.domain });
          }
        }
      }
      if (request.signal.aborted) throw new UserError("interrupted: nothing was changed or recorded", ExitCode.interrupted);

      // Step 15: act on the decision, touching only the change's files.
      let commit: string | null = null;
      let patch: string | null = null;
      let e2e: EndToEnd | null = null;
      if (decision.action === "keep") {
        const hash = await commitFiles(repo, files, `${request.domain.name}: ${request.description}`);
        commit = await shortCommit(repo, hash);
        // Step 16: end to end, when the project has a suite or an e2e command. An
        // interrupt meanwhile takes the commit back, so nothing is left half-decided.
        const takeBack = registerCleanup(() => uncommit(repo, hash, files));
        try {
          e2e = await measureEndToEnd(repo, headCommitId, hash, config, benchmark?.threshold ?? request.ab.threshold, request.signal, (line) => log(`${tag} ${line}`));
        } catch (error) {
          if (request.signal.aborted) throw error;
          log(`${tag} E2E: could not be measured (${(error as Error).message.split("\n")[0]}); the micro-benchmark's KEEP stands`);
        }
        if (request.signal.aborted) throw new UserError("interrupted: nothing was changed or recorded", ExitCode.interrupted);
        takeBack.cancel();
        if (e2e) {
          log(`${tag} E2E: ${e2e.summary}`);
          if (!e2e.improved) {
            // End to end contradicts the micro-benchmark: the design says trust end to end.
            decision = decide({ outputs: "identical", benchmark, guard: guard ? (guard.passed ? "pass" : "fail") : "skipped", rework, hotPath: request.hotPath, domain: request.domain, endToEnd: "not-improved" });
            if (decision.action === "discard") {
              await uncommit(repo, hash, files);
              commit = null;
            }
          }
        }
      }
      if (decision.action === "discard") {
        patch = join(paths.discarded, `exp-${experiment}${rework ? `-rework${rework}` : ""}.patch`);
        await savePatch(repo, files, patch);
        await restoreFiles(repo, files);
      }
      acted = true;
      undo.cancel();

      const b = benchmark && !benchmark.error && benchmark.base.ok && benchmark.head.ok ? benchmark : null;
      const spread = (side: AbResult["base"]) => (side.ok ? (side.stats.ci[1] - side.stats.ci[0]) / 2 : undefined);
      const row = newRow({
        experiment,
        status: decision.action,
        pattern: request.pattern,
        target: key,
        before: b && b.base.ok ? formatDuration(b.base.stats.median, spread(b.base)) : "-",
        after: b && b.head.ok ? formatDuration(b.head.stats.median, spread(b.head)) : "-",
        improvement: b && b.base.ok && b.head.ok ? formatImprovement(b.base.stats.median, b.head.stats.median) : "-",
        timestamp: new Date().toISOString(),
        commit: commit ?? "-",
        domain: request.domain.name,
        ratio: b ? b.ratio.toFixed(4) : "-",
        e2e_before: e2e?.before ?? "-",
        e2e_after: e2e?.after ?? "-",
        e2e_ratio: e2e ? e2e.ratio.toFixed(4) : "-",
        ci_low: b ? b.ci[0].toFixed(4) : "-",
        ci_high: b ? b.ci[1].toFixed(4) : "-",
        p: b ? b.p.toPrecision(3) : "-",
        guard: guard ? (guard.passed ? "guard_pass" : "guard_fail") : "-",
        files: files.join(","),
        description: request.description,
        reason: decision.reason + (decision.microOnly ? " [micro-only, hot path asserted]" : ""),
      });
      appendResult(paths.results, row);
      log(decision.action === "keep" ? `${tag} KEEP  (commit ${commit})` : `${tag} DISCARD — ${decision.reason}`);
      if (patch) log(`${tag} the change is saved in ${relative(request.cwd, patch)} (git apply it to resume)`);
      return { experiment, decision, row, files, commit, patch, benchmark, guard, endToEnd: e2e, equivalence };
    });
  } finally {
    // Whatever went wrong before the action finished, the user's files stay as they were.
    if (!acted) await undo.run();
  }
}
