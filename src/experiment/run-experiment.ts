import { isSuiteFile } from "../suites/detect.ts";
import { join, relative } from "node:path";
import { existsSync } from "node:fs";
import { realPathOrSelf } from "../fs/real-path.ts";
import { UserError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { changedFiles, changedPaths, commitFiles, restoreFiles, savePatch, uncommit } from "../git/change.ts";
import { registerCleanup } from "../process/cleanup.ts";
import { moduleGraph } from "../target/module-graph.ts";
import { assertOnBranch, headCommit, openRepo, shortCommit } from "../git/repo.ts";
import { snapshotFiles } from "../git/snapshot.ts";
import { faultPoint } from "../fault/fault-point.ts";
import { beginJournal, endJournal, newJournal, recoverInterrupted, rollBack, saveJournal, type Journal } from "./journal.ts";
import { withWorktree } from "../git/worktree.ts";
import type { CasesSpec, TargetSpec } from "../measure/protocol.ts";
import { captureChecked } from "../oracle/capture-target.ts";
import { oraclePath, readOracle, storedCases } from "../oracle/oracle-file.ts";
import type { CaseRecord } from "../oracle/capture-protocol.ts";
import { runCapture, type CaptureOptions } from "../oracle/run-capture.ts";
import { compareRecords } from "../oracle/verify.ts";
import type { AbResult, AbSettings, SessionRunner } from "../ab/run-ab.ts";
import { benchmarkInDomain } from "./domain-benchmark.ts";
import { escalationFor } from "./escalation.ts";
import { escalateCommand, type EscalationHint } from "../loop/escalation-signals.ts";
import { formatBytes } from "../format/domain-units.ts";
import { appendResult, readResults, nextExperimentNumber } from "../record/results-tsv.ts";
import { isEmptyCell, type ResultRow } from "../record/columns.ts";
import { rowFacts } from "../record/facts.ts";
import { experimentRow } from "./row.ts";
import { targetKey } from "../project/root.ts";
import type { Domain } from "../domains/domains.ts";
import { decide, maxReworks, type Decision, type DecisionInput } from "./decide.ts";
import { hasEndToEnd, measureEndToEnd, type EndToEnd } from "./end-to-end.ts";
import { auditConfig, configAuditLines, type StaleConfig } from "./config-audit.ts";
import { changedLines, fidelityLines, judgeFidelity, lineRanges, type Fidelity } from "./fidelity.ts";
import { listedGuardFiles, protectedFiles } from "./guard-files.ts";
import { applyChangeTo } from "./guard-tree.ts";
import { restoreTree, takeTree } from "./tree-guard.ts";
import { checklistDir, writeChecklist } from "../loop/checklist.ts";
import { readBottlenecks } from "../loop/bottlenecks-file.ts";
import type { CoverageRequest } from "../oracle/capture-protocol.ts";
import { readLoopConfig, type LoopConfig } from "../loop/config.ts";
import { conventionsFile, guardOutcomeText, guardVerdict, readGuard, runGuard, type GuardResult } from "./guard.ts";
import { isStatePath, requireCodeflash } from "./workspace.ts";
import { formatDuration as formatHuman } from "../format/units.ts";
import { engineOf, runtimeLabel } from "../runtime/runtime.ts";

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
  /** --allow-test-changes: the change may touch files the guard exercises (recorded in the row). */
  allowTestChanges?: boolean;
  /** The domain checklist's answers (from --checklist or the message's `## Checklist` section), stored with the experiment. */
  checklist?: string;
  /** The commit message's body, below the description (kept in the commit). */
  body?: string;
  signal: AbortSignal;
  /** Status lines (stderr). */
  log: (line: string) => void;
  /**
   * Runs the CPU comparison's worker sessions: real workers when absent. Tests give
   * made-up reports, so every branch of the keep/discard tree and its record is reached
   * exactly and in milliseconds.
   */
  session?: SessionRunner;
  /** Looks for other domains' signals after the benchmark: escalationFor when absent; tests of the decisions skip its fresh processes. */
  escalation?: typeof escalationFor;
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
  /** Which changed lines the cases execute; null when the outputs were not compared. */
  fidelity: Fidelity | null;
  /** After a KEEP: configuration left unread by the change (reported, never edited); null otherwise. */
  configAudit: StaleConfig[] | null;
  /** Files the guard exercises that the change touched, allowed by --allow-test-changes. */
  testChanges: string[];
  /** Where the checklist answers were stored (repo-relative), or null when none were given. */
  checklist: string | null;
  /** Signals of another domain noticed while measuring (loop/escalation-signals.ts), for `xloop escalate`. */
  escalation: EscalationHint[];
}

function casesForExperiment(request: ExperimentRequest, root: string): CasesSpec {
  if (request.cases) return request.cases;
  // A suite task (tinybench, mitata, vitest) takes no arguments: its one call is its case.
  if (isSuiteFile(request.target.file)) return { kind: "none" };
  const cases = storedCases(root, targetKey(root, request.target));
  if (!cases) {
    throw new UserError(`${request.target.label}: no cases given and no baseline captured; run \`xloop baseline ${request.target.label} --cases <file#export>\` first, or pass --cases`);
  }
  return cases;
}

/**
 * The files of the change under test. Benchmark fidelity (docs/loop.md, step 7): the
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
  const graph = new Set([...moduleGraph(target.file)].map(realPathOrSelf));
  const reached = dirty.filter((f) => graph.has(realPathOrSelf(join(repo, f))));
  if (reached.length > 0) return reached;
  if (request.force) return dirty;
  throw new UserError(
    `the benchmark does not exercise this change: none of the changed files (${dirty.join(", ")}) is reachable from ${target.label} through its relative imports; name them with --files or pass --force`,
  );
}

/** The rework attempt this run is: 0, or the next one after the last guard failure of the last experiment. */
function reworkState(rows: ResultRow[], wantsRework: boolean, target: string): { experiment: number; rework: number } {
  const next = nextExperimentNumber(rows);
  if (!wantsRework) return { experiment: next, rework: 0 };
  const last = [...rows].reverse().find((r) => r.status === "keep" || r.status === "discard");
  if (!last || rowFacts(last).guard !== "fail") {
    throw new UserError(`--rework: the last experiment${last ? ` (${last.experiment})` : ""} did not fail its guard, so there is nothing to rework; run without --rework`);
  }
  if (last.target !== target) throw new UserError(`--rework: the last experiment was on ${last.target}, not ${target}`);
  // Every attempt of an experiment records a row under its number: the guard-failed ones are the reworks used.
  const failedAttempts = rows.filter((r) => r.experiment === last.experiment && r.status === "discard" && rowFacts(r).guard === "fail").length;
  if (failedAttempts > maxReworks) {
    throw new UserError(`--rework: experiment ${last.experiment} used its ${maxReworks} reworks and its guard still failed, so there is nothing to rework; start a new experiment (run without --rework)`);
  }
  return { experiment: last.experiment, rework: failedAttempts };
}

/**
 * Refuses an experiment on another engine than the target's baseline: its `before`
 * figure, and every kept ratio the cumulative gain multiplies, came from that engine,
 * and a change can win on one and lose on the other. Rows of older records carry no
 * runtime and are taken as they are.
 */
function requireBaselineRuntime(rows: ResultRow[], key: string, runtime: string): void {
  const baseline = rows.findLast((r) => r.status === "baseline" && r.target === key && !isEmptyCell(r.runtime));
  if (!baseline) return;
  if (engineOf(baseline.runtime) === engineOf(runtime)) return;
  throw new UserError(
    `${key}: its baseline (experiment ${baseline.experiment}) was measured on ${baseline.runtime}, and this experiment would measure on ${runtime}; figures from two engines do not compare: pass --runtime ${engineOf(baseline.runtime)}, or record a new baseline with \`xloop baseline ${key} --runtime ${engineOf(runtime)}\``,
  );
}

/**
 * The target line's notes: the ranked list's category and estimated impact when the
 * profile ranked this target (.codeflash/bottlenecks.json), else the pattern and domain.
 */
function targetNotes(repo: string, key: string, request: ExperimentRequest): string {
  let candidate;
  try {
    candidate = readBottlenecks(repo)?.candidates.find((c) => c.target === key);
  } catch {
    candidate = undefined; // A broken ranking must not stop an experiment; `status` reports it.
  }
  if (!candidate) return `${request.pattern}, ${request.domain.name}`;
  return `${candidate.category ?? request.domain.name}, est. impact ${(candidate.impact * 100).toFixed(0)}%`;
}

/** What the measuring phase found, before anything is changed. */
interface Findings {
  equivalence: ExperimentOutcome["equivalence"];
  fidelity: Fidelity | null;
  decision: Decision;
  benchmark: AbResult | null;
  guard: GuardResult | null;
  escalation?: EscalationHint[];
}

/** One experiment's fixed facts, shared by its phases. */
interface Step {
  request: ExperimentRequest;
  repo: string;
  key: string;
  tag: string;
  rework: number;
  /** HEAD's version of the target (in a temporary worktree) and the working tree's. */
  base: TargetSpec;
  head: TargetSpec;
  cases: CasesSpec;
  headCommit: string;
  /** The checkout of HEAD the base side runs from; the guard later runs there with the change applied. */
  worktree: string;
  /** The change's files. */
  files: string[];
  /** The change's code lines, whose coverage by the cases the capture records. */
  coverage: CoverageRequest;
  /** Whether a KEEP is measured end to end, making this A/B the micro-benchmark. */
  micro: boolean;
  /** What the experiment has done so far, saved before each step that changes something. */
  journal: Journal;
}

/** Notes a change the experiment is about to make (or made) in its journal, on disk. */
function journalize(step: Step, change: Partial<Journal>): void {
  Object.assign(step.journal, change);
  saveJournal(step.repo, step.journal);
}

/** Runs the decision tree with the step's fixed inputs. */
function judge(step: Step, facts: Pick<DecisionInput, "outputs"> & Partial<DecisionInput>): Decision {
  const { request, rework } = step;
  return decide({ benchmark: null, guard: "skipped", rework, hotPath: request.hotPath, domain: request.domain, ...facts });
}

/** The original's outputs, on the cases whose fingerprint they carry. */
interface HeadOracle {
  records: CaseRecord[];
  ignore: string[];
  casesFingerprint: string;
  /** Read from .codeflash/oracles rather than captured by this experiment. */
  stored: boolean;
}

/**
 * The original's outputs: the stored oracle when it was captured at HEAD from clean
 * code, else captured now from HEAD's worktree (keeping the stored ignore patterns).
 */
async function oracleOfHead(step: Step): Promise<HeadOracle> {
  const { repo, key } = step;
  await faultPoint("oracle");
  const stored = existsSync(oraclePath(repo, key)) ? readOracle(repo, key) : null;
  if (stored && stored.commit === step.headCommit && stored.dirty === false) return { records: stored.records, ignore: stored.ignore, casesFingerprint: stored.casesFingerprint, stored: true };
  return capturedOracleOfHead(step, stored?.ignore ?? []);
}

async function capturedOracleOfHead(step: Step, ignore: string[]): Promise<HeadOracle> {
  const captured = await captureChecked(step.base, step.cases, step.request.capture, ignore);
  return { records: captured.records, ignore, casesFingerprint: captured.casesFingerprint, stored: false };
}

/**
 * Steps 4-13: outputs against the original (a difference or a crash decides at once),
 * then HEAD against the working tree interleaved, then the guard when faster.
 */
async function measure(step: Step): Promise<Findings> {
  const { request, tag } = step;
  const log = request.log;
  log(`${tag} Verifying output equivalence...`);
  let oracle = await oracleOfHead(step);
  await faultPoint("verify");
  // What was printed is part of the output whenever the oracle recorded it.
  const captureNow = () =>
    runCapture(step.head, step.cases, {
      ...request.capture,
      captureStdout: oracle.records.some((r) => r.stdout !== undefined),
      coverage: step.coverage.files.length > 0 ? step.coverage : undefined,
    });
  let now = await captureNow();
  if (!now.failure && oracle.stored && oracle.casesFingerprint !== now.casesFingerprint) {
    // The stored oracle holds the outputs of other inputs (another --cases, or a cases
    // module changed since): HEAD's outputs on these cases are captured instead.
    log(`${tag} The stored oracle was captured on other cases; capturing HEAD's outputs on these`);
    oracle = await capturedOracleOfHead(step, oracle.ignore);
    now = await captureNow();
  }
  if (now.failure) {
    log(`${tag} Verifying output equivalence... the target crashed: ${now.failure.message}`);
    return { equivalence: { cases: 0, identical: false, differences: [now.failure.message] }, fidelity: null, decision: judge(step, { outputs: "crashed", outputsDetail: now.failure.message }), benchmark: null, guard: null };
  }
  const report = compareRecords(oracle.records, now.records, { ignore: oracle.ignore, limit: 5 });
  const differences = report.differences.map((d) => `case ${d.case} ${d.path}: ${d.expected} (original) vs ${d.actual} (now)`);
  const equivalence = { cases: report.cases, identical: report.equal, differences };
  if (!report.equal) {
    log(`${tag} Verifying output equivalence... DIFFERENT in ${report.casesDiffering} of ${report.cases} cases`);
    for (const d of differences) log(`${tag}   ${d}`);
    return { equivalence, fidelity: null, decision: judge(step, { outputs: "different", outputsDetail: differences[0] }), benchmark: null, guard: null };
  }
  log(`${tag} Verifying output equivalence... identical (${report.cases} cases)`);

  // Benchmark fidelity (docs/loop.md, step 7), beyond reachability: the cases must execute the lines the change touched.
  const fidelity = step.coverage.files.length > 0 ? judgeFidelity(step.repo, now.coverage, now.records.length) : null;
  if (fidelity) for (const line of fidelityLines(fidelity)) log(`${tag} ${line}`);
  if (fidelity?.refused && !request.force) {
    const named = fidelity.unexecuted.map((u) => `${u.file} line${u.lines.length === 1 ? "" : "s"} ${lineRanges(u.lines)}`).join("; ");
    throw new UserError(`the benchmark does not exercise this change: no case executes its changed lines (${named}); add cases that reach them (--cases), or pass --force`);
  }

  const label = step.micro ? "Micro-benchmarking..." : "Benchmarking...";
  log(`${tag} ${label} (on ${runtimeLabel()})`);
  await faultPoint("benchmark");
  const benchmark = await benchmarkInDomain(request.domain.name, step.base, step.head, step.cases, request.ab, undefined, request.session);
  if (benchmark.error) return { equivalence, fidelity, decision: judge(step, { outputs: "crashed", outputsDetail: benchmark.error.message }), benchmark, guard: null };
  // Memory's figures are bytes; every other domain's are times (ns).
  const median = (side: AbResult["base"]) => (side.ok ? (request.domain.name === "memory" ? formatBytes(side.stats.median) : formatHuman(side.stats.median)) : "-");
  log(`${tag} ${label} ${median(benchmark.base)} -> ${median(benchmark.head)}  ${benchmark.ratio.toFixed(3)}x [${benchmark.ci[0].toFixed(3)}, ${benchmark.ci[1].toFixed(3)}] ${benchmark.verdict}`);
  // Signals of another domain: said, never acted on; the user decides with xloop escalate.
  const escalation = await (request.escalation ?? escalationFor)(request.domain.name, step.head, step.cases, benchmark, request.ab.timeoutMs);
  for (const hint of escalation) log(`${tag} Signal: ${hint.signal}: a ${hint.to} issue? (${escalateCommand(hint, request.domain.name)})`);

  // The guard (docs/loop.md, step 9) runs only when the metric improved, on HEAD plus exactly the
  // change (the base checkout, its measuring done), never on the user's other dirty files.
  const command = readGuard(step.repo);
  let guard: GuardResult | null = null;
  if (benchmark.verdict === "faster" && command) {
    log(`${tag} Guard: ${command} ... (on HEAD plus the change)`);
    await faultPoint("guard");
    applyChangeTo(step.repo, step.worktree, step.files);
    guard = await runGuard(command, step.worktree, request.signal);
    log(`${tag} Guard: ${command} ... ${guardOutcomeText(guard)}`);
    if (!guard.passed && guard.tail) for (const line of guard.tail.split("\n").slice(-5)) log(`${tag}   ${line}`);
  }
  // No guard is a choice the user may have made by accident: say it where the guard would have run.
  if (benchmark.verdict === "faster" && !command) log(`${tag} Guard: none — ${conventionsFile(step.repo)} has no ## Guard section; add one holding the command that must pass (e.g. npm test)`);
  return { equivalence, fidelity, decision: judge(step, { outputs: "identical", benchmark, guard: guardVerdict(guard) }), benchmark, guard, escalation };
}

function interrupted(): UserError {
  return new UserError("interrupted: nothing was changed or recorded", ExitCode.interrupted);
}

/**
 * Steps 15-16: commit a KEEP, then measure it end to end (when the project can) and take
 * it back if end to end contradicts the micro gain; save and restore a DISCARD. Only the
 * change's files are touched.
 */
async function act(step: Step, files: string[], findings: Findings, discardedDir: string, experiment: number, config: LoopConfig) {
  const { request, repo, tag } = step;
  let decision = findings.decision;
  let commit: string | null = null;
  let patch: string | null = null;
  let endToEnd: EndToEnd | null = null;
  let configAudit: StaleConfig[] | null = null;
  if (decision.action === "keep") {
    await faultPoint("commit");
    const hash = await commitFiles(repo, files, `${request.domain.name}: ${request.description}${request.body ? `\n\n${request.body}` : ""}`);
    // Until the row is recorded, an interrupt (or `xloop recover` after a kill) takes the commit back.
    journalize(step, { commit: hash });
    commit = await shortCommit(repo, hash);
    try {
      endToEnd = await measureEndToEnd(repo, step.headCommit, hash, config, findings.benchmark?.threshold ?? request.ab.threshold, request.signal, (line) => request.log(`${tag} ${line}`));
    } catch (error) {
      if (request.signal.aborted) throw error;
      request.log(`${tag} E2E: could not be measured (${(error as Error).message.split("\n")[0]}); the micro-benchmark's KEEP stands`);
    }
    if (request.signal.aborted) throw interrupted();
    if (endToEnd) {
      request.log(`${tag} E2E: ${endToEnd.summary}`);
      if (!endToEnd.improved) {
        // End to end contradicts the micro-benchmark: the design says trust end to end.
        decision = judge(step, { outputs: "identical", benchmark: findings.benchmark, guard: guardVerdict(findings.guard), endToEnd: "not-improved" });
        if (decision.action === "discard") {
          await uncommit(repo, hash, files);
          journalize(step, { commit: null });
          commit = null;
        }
      }
    }
    if (decision.action === "keep") {
      // The design's config audit: report what the change left unread; never edit it.
      configAudit = await auditConfig(repo, step.headCommit, hash, files);
      for (const line of configAuditLines(configAudit)) request.log(`${tag} ${line}`);
    }
  }
  if (decision.action === "discard") {
    patch = join(discardedDir, `exp-${experiment}${step.rework ? `-rework${step.rework}` : ""}.patch`);
    await faultPoint("patch");
    journalize(step, { patch });
    await savePatch(repo, files, patch);
    await faultPoint("restore");
    await restoreFiles(repo, files);
  }
  return { decision, commit, patch, endToEnd, configAudit };
}

/**
 * One step of the loop (steps 4-16 of the design) on the change in the working
 * tree: fidelity, equivalence against the oracle of HEAD, the interleaved benchmark
 * of HEAD against the working tree, the guard, the decision, then commit (KEEP, checked
 * end to end where possible) or save-and-restore (DISCARD), and the record. Only the
 * files of the change are ever touched; an interrupt leaves the tree and the record as
 * they were.
 */
export async function runExperiment(request: ExperimentRequest): Promise<ExperimentOutcome> {
  const repo = await openRepo(request.cwd);
  // A KEEP commits: on a detached HEAD that commit is easily lost, so refuse before anything runs.
  await assertOnBranch(repo);
  const paths = requireCodeflash(repo);
  // One experiment at a time: a running one refuses this; a killed one is rolled back first.
  for (const line of recoverInterrupted(repo)) request.log(`xloop: ${line}`);
  // Read (and validate) the configuration before anything is changed.
  const config = readLoopConfig(paths.config);
  const { log, target } = request;
  const key = targetKey(repo, target);
  const inRepo = relative(repo, target.file);
  if (inRepo.startsWith("..")) throw new UserError(`${target.label}: not inside the repository ${repo}`);
  const rows = existsSync(paths.results) ? readResults(paths.results).rows : [];
  requireBaselineRuntime(rows, key, runtimeLabel());
  const { experiment, rework } = reworkState(rows, request.rework, key);
  const tag = `[experiment ${experiment}]`;

  const changes = (await changedFiles(repo)).filter((c) => !isStatePath(c.path) && !(c.from && isStatePath(c.from)));
  const dirty = changedPaths(changes);
  if (dirty.length === 0) throw new UserError(`no change in the working tree of ${repo} (outside .codeflash/): edit the code, then run the experiment`);
  const files = selectChangeFiles(repo, target, dirty, request);
  const unrelated = dirty.filter((f) => !files.includes(f));
  // The guard cannot be gamed: a change to the files it exercises is refused before any measurement.
  const guardListed = listedGuardFiles(repo);
  const testChanges = protectedFiles(files, guardListed);
  // Edited tests left out of the change are not seen by the guard, which runs on HEAD plus the change.
  const testsLeftOut = protectedFiles(unrelated, guardListed);
  if (testChanges.length > 0 && !request.allowTestChanges) {
    throw new UserError(
      `the change touches ${testChanges.length === 1 ? "a file" : "files"} the guard exercises (${testChanges.join(", ")}): an optimization must pass the guard unchanged; revert ${testChanges.length === 1 ? "it" : "them"}, or pass --allow-test-changes if you mean it (the record says so)`,
    );
  }
  const cases = casesForExperiment(request, repo);
  // The journal restores the user's files exactly if an interrupt (or a kill, through
  // the next xloop) lands while they are being changed, and takes back an unrecorded commit.
  const snapshot = await snapshotFiles(repo, files);
  const journal = newJournal(snapshot, { experiment, target: key, head: await headCommit(repo) });
  beginJournal(repo, journal);
  const undo = registerCleanup(() => {
    rollBack(repo, journal);
  });
  let finished = false;
  try {
    log(`${tag} Target: ${key} (${targetNotes(repo, key, request)})${rework ? ` — rework ${rework}/2` : ""}`);
    log(`${tag} Change: ${files.join(", ")}${unrelated.length ? ` (left alone: ${unrelated.join(", ")})` : ""}`);
    if (testChanges.length > 0) log(`${tag} Guard files changed, allowed by --allow-test-changes: ${testChanges.join(", ")}`);
    if (testsLeftOut.length > 0) log(`${tag} Guard files left out of the change (the guard runs on HEAD's versions): ${testsLeftOut.join(", ")}`);
    const coverage = await changedLines(repo, files);
    const micro = await hasEndToEnd(repo, "HEAD", config);
    return await withWorktree(repo, "HEAD", async (worktree) => {
      journal.worktree = worktree.path;
      saveJournal(repo, journal);
      await faultPoint("worktree");
      const step: Step = {
        request,
        repo,
        key,
        tag,
        rework,
        base: { ...target, file: join(worktree.path, inRepo), label: `${key}@HEAD` },
        head: { ...target, label: key },
        cases,
        headCommit: await headCommit(repo),
        worktree: worktree.path,
        files,
        coverage,
        micro,
        journal,
      };
      // The target runs in the user's tree while measured: whatever it writes or deletes there goes back.
      const tree = await takeTree(repo);
      const findings = await measure(step);
      const touched = await restoreTree(repo, tree);
      if (touched.length > 0) log(`${tag} The target changed the working tree while it ran: ${touched.join(", ")}; put back as it was`);
      if (request.signal.aborted) throw interrupted();
      const outcome = await act(step, files, findings, paths.discarded, experiment, config);

      const row = experimentRow({
        experiment,
        decision: outcome.decision,
        pattern: request.pattern,
        target: key,
        domain: request.domain.name,
        description: request.description,
        files,
        commit: outcome.commit,
        benchmark: findings.benchmark,
        guard: findings.guard,
        endToEnd: outcome.endToEnd,
        timestamp: new Date().toISOString(),
        runtime: runtimeLabel(),
        testChanges,
      });
      // A rework's checklist replaces the earlier attempt's, which a rollback must not delete.
      const fresh = request.checklist !== undefined && !existsSync(join(checklistDir(repo), `exp-${experiment}.md`));
      const checklist = request.checklist ? writeChecklist(repo, experiment, request.checklist) : null;
      if (checklist && fresh) journalize(step, { written: [join(repo, checklist)] });
      await faultPoint("record");
      if (request.signal.aborted) throw interrupted();
      journalize(step, { rowTimestamp: row.timestamp });
      appendResult(paths.results, row);
      // Recorded: from here on nothing is undone, whatever stops the process (the
      // rollback sees the row and only removes the leftovers).
      await faultPoint("recorded");
      finished = true;
      undo.cancel();
      endJournal(repo, journal);
      log(outcome.decision.action === "keep" ? `${tag} KEEP  (commit ${outcome.commit})` : `${tag} DISCARD — ${outcome.decision.reason}`);
      if (outcome.patch) log(`${tag} the change is saved in ${relative(request.cwd, outcome.patch)} (git apply it to resume)`);
      return {
        experiment,
        ...outcome,
        row,
        files,
        benchmark: findings.benchmark,
        guard: findings.guard,
        equivalence: findings.equivalence,
        fidelity: findings.fidelity,
        testChanges,
        checklist,
        escalation: findings.escalation ?? [],
      };
    });
  } finally {
    // Whatever went wrong before the row was recorded, the repository goes back as it was.
    if (!finished) await undo.run();
  }
}
