/**
 * `xloop profile -- <command>` / `xloop profile --bench <path>`: profile a real
 * workload, rank the project's functions, keep the profiles under .codeflash/profiles/
 * and the list in .codeflash/bottlenecks.json. `xloop targets` prints the list (and
 * whether it is stale); `xloop next` picks the next target given the record.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { UserError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import { gitOrNull } from "../git/run.ts";
import { bottlenecksPath, bottlenecksSchemaVersion, readBottlenecks, type Bottlenecks } from "../loop/bottlenecks-file.ts";
import { impactText, renderRankedTable } from "../output/profile-report.ts";
import { benchDriverSource, benchFilesUnder, needsVitest } from "../profile/bench-driver.ts";
import { mergedCallTree } from "../profile/call-tree.ts";
import { renderFlameHtml } from "../profile/flame-html.ts";
import { loadProfiles, sourceReader, type ProfileFile } from "../profile/load-profiles.ts";
import { rankFunctions, rankingRule, type RankedFunction } from "../profile/rank.ts";
import { profileWorkload, type RunOutcome, type WorkloadProfiles } from "../profile/run-workload.ts";
import { toSpeedscope } from "../profile/speedscope.ts";
import { mergeRanked, structureCandidates } from "../profile/structure-candidates.ts";
import type { ImportTimes } from "../structure/import-time.ts";
import { runOnce } from "../profile/run-workload.ts";
import { projectRoot } from "../project/root.ts";
import { planHosting } from "../runtime/host.ts";
import { isCompiledBinary, selfCommand } from "../runtime/runtime.ts";
import { runtimeKitEntry } from "../runtime/kit.ts";
import { readLoopConfig } from "../loop/config.ts";
import { analyzeHistory } from "../loop/history.ts";
import { chooseNextTarget, recordContext } from "../loop/next-target.ts";
import { candidateTarget } from "../loop/ranked-targets.ts";
import { summarize } from "../loop/state.ts";
import { recentCommits } from "../git/log.ts";
import { renderTable } from "../format/table.ts";
import { readResults } from "../record/results-tsv.ts";
import { runHeader } from "../machine/metadata.ts";
import { jsonSchemaVersion } from "../version.ts";
import type { CommandContext } from "./context.ts";
import { codeflashPaths } from "../project/codeflash-paths.ts";
import { defaults } from "../settings/defaults.ts";

/** What a profile run leaves in its folder beside the profiles. */
interface ProfileMeta {
  version: number;
  command: string;
  commit: string | null;
  createdAt: string;
  /** "complete", or "failed: exit N" / "failed: signal S" for a partial profile. */
  status: string;
  wallMs: number;
  secondRunWallMs: number | null;
  intervalUs: number;
  cpuProfiles: string[];
  heapProfiles: string[];
  coverageFiles: number;
  notes: string[];
}

function positiveNumber(value: unknown, flag: string, example: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === "number" ? value : Number(String(value).trim());
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`${flag}: give a number above 0, e.g. ${example} (got ${JSON.stringify(value)})`);
  return n;
}

function outputFile(value: unknown, flag: string, cwd: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") throw new UserError(`${flag}: give a file name, e.g. ${flag} profile.${flag === "--html" ? "html" : "json"}`);
  const file = resolve(cwd, value);
  if (!existsSync(dirname(file))) throw new UserError(`${flag}: the folder ${dirname(file)} does not exist; create it or give another path`);
  return file;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
}

/** The checked-out commit, or null outside a git repository or before its first commit. */
async function headOrNull(root: string): Promise<string | null> {
  try {
    return (await gitOrNull(root, ["rev-parse", "--verify", "--quiet", "HEAD"]))?.trim() || null;
  } catch {
    return null;
  }
}

/**
 * The import times of --imports' entry, measured by `xloop imports` (cold processes of
 * the project's runtime) run as a child of this same xloop; kept as imports.json.
 */
async function importTimesOf(options: Record<string, unknown>, context: CommandContext, dir: string, say: (line: string) => void): Promise<ImportTimes> {
  const entry = options.imports;
  if (typeof entry !== "string" || entry === "") throw new UserError("--imports: give the workload's entry module, e.g. --imports src/index.js");
  if (!existsSync(resolve(context.cwd, entry))) throw new UserError(`--imports: ${entry} does not exist; give the entry module the workload starts from`);
  const self = selfCommand();
  const runtime = typeof options.runtime === "string" ? ["--runtime", options.runtime] : [];
  const runtimePath = typeof options.runtimePath === "string" ? ["--runtime-path", options.runtimePath] : [];
  say(`xloop profile: measuring the import times of ${entry} (xloop imports, cold processes)`);
  let stdout = "";
  const outcome = await runOnce([...self, "imports", entry, "--json", ...runtime, ...runtimePath], context.cwd, process.env, context.signal, (chunk, stream) => {
    if (stream === "stdout") stdout += chunk;
  });
  const json = stdout.slice(stdout.indexOf("{"));
  if (outcome.exitCode !== 0) throw new UserError(`--imports: xloop imports ${entry} failed (exit ${outcome.exitCode}): ${outcome.outputTail.trim().split("\n").at(-1)}`, outcome.exitCode === 3 ? ExitCode.targetFailed : ExitCode.usage);
  writeFileAtomic(join(dir, "imports.json"), json);
  return JSON.parse(json) as ImportTimes;
}

/** A new folder named `name` under `parent`, suffixed -2, -3, … when runs start within the same second. */
function freshFolder(parent: string, name: string): string {
  mkdirSync(parent, { recursive: true });
  for (let n = 1; ; n++) {
    const dir = join(parent, n === 1 ? name : `${name}-${n}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

function outcomeText(outcome: RunOutcome): string {
  if (outcome.signal) return `failed: signal ${outcome.signal}`;
  return outcome.exitCode === 0 ? "complete" : `failed: exit ${outcome.exitCode}`;
}

/** The executable and leading arguments that run a script on `runtime` for --bench. */
async function benchRunner(options: Record<string, unknown>, cwd: string, root: string): Promise<{ argv: (driver: string, benchFile: string) => string[]; env: Record<string, string>; runtime: string; notes: string[] }> {
  const configured = readLoopConfig(codeflashPaths(root).config).runtime;
  const plan = planHosting(options, cwd, configured);
  const runtime = plan.choice.name;
  const env: Record<string, string> = {};
  let executable = plan.executable ?? process.execPath;
  // The standalone binary is a Bun: BUN_BE_BUN makes it behave as the bun command.
  if (plan.executable === null && isCompiledBinary()) env.BUN_BE_BUN = "1";
  if (runtime === "deno") return { argv: (driver) => [executable, "run", "--allow-all", "--quiet", driver], env, runtime, notes: plan.notes };
  if (runtime === "node") {
    executable = plan.executable ?? process.execPath;
    let tsx: string | undefined;
    try {
      tsx = pathToFileURL(createRequire(await runtimeKitEntry()).resolve("tsx/esm")).href;
    } catch {
      tsx = undefined;
    }
    return {
      // Node 20 runs no TypeScript: a .ts bench file gets the kit's tsx loader.
      argv: (driver, benchFile) => [executable, ...(tsx && /\.[cm]?ts$/.test(extname(benchFile)) ? ["--import", tsx] : []), driver],
      env,
      runtime,
      notes: plan.notes,
    };
  }
  return { argv: (driver) => [executable, driver], env, runtime, notes: plan.notes };
}

/**
 * profile's numeric options, each checked and defaulted: the sampling interval (µs), the
 * self-time share under which functions are dropped (a fraction), the --bench time
 * budget (ms) and the rows printed.
 */
export function profileSettings(options: Record<string, unknown>): { intervalUs: number; threshold: number; budgetMs: number; top: number } {
  return {
    intervalUs: Math.round(positiveNumber(options.interval, "--interval", `--interval ${defaults.profileIntervalUs} (microseconds)`, defaults.profileIntervalUs)),
    threshold: positiveNumber(options.threshold, "--threshold", `--threshold ${defaults.profileThresholdPercent} (percent of CPU time)`, defaults.profileThresholdPercent) / 100,
    budgetMs: positiveNumber(options.time, "--time", `--time ${defaults.profileTimeS} (seconds per bench file)`, defaults.profileTimeS) * 1000,
    top: Math.round(positiveNumber(options.top, "--top", `--top ${defaults.profileTop}`, defaults.profileTop)),
  };
}

/** `xloop profile`: profile, rank, store, print. */
export async function profileCommand(_: unknown[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  const command = ((options["--"] as string[] | undefined) ?? []).map(String);
  const bench = options.bench;
  if (command.length === 0 && bench === undefined) {
    throw new UserError("profile: give the workload to profile after --, e.g. `xloop profile -- node scripts/build.js`, or a bench folder with --bench bench/");
  }
  if (command.length > 0 && bench !== undefined) throw new UserError("profile: give either a command after -- or --bench <path>, not both");
  const { intervalUs, threshold, budgetMs, top } = profileSettings(options);
  const speedscopeFile = outputFile(options.speedscope, "--speedscope", context.cwd);
  const htmlFile = outputFile(options.html, "--html", context.cwd);
  const root = projectRoot(context.cwd);
  const commit = await headOrNull(root);
  const createdAt = new Date();
  const dir = freshFolder(codeflashPaths(root).profiles, `${stamp(createdAt)}${commit ? `-${commit.slice(0, 7)}` : ""}`);
  const notes: string[] = [];
  const say = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const echo = (chunk: string): void => {
    process.stderr.write(chunk);
  };
  const heap = options.heap !== false;
  const countCalls = options.calls !== false;

  let workloads: { argv: string[]; env: Record<string, string> }[];
  let label: string;
  if (bench !== undefined) {
    if (typeof bench !== "string" || bench === "") throw new UserError("--bench: give a bench file or folder, e.g. --bench bench/");
    const path = resolve(context.cwd, bench);
    if (!existsSync(path)) throw new UserError(`--bench: ${bench} does not exist; give the project's bench file or folder`);
    const files = benchFilesUnder(path);
    const runner = await benchRunner(options, context.cwd, root);
    for (const note of runner.notes) say(`xloop: note: ${note}`);
    const driver = join(dir, "xloop-bench-driver.mjs");
    writeFileSync(driver, benchDriverSource);
    const runnable = files.filter((file) => {
      if (!needsVitest(file)) return true;
      notes.push(`${relative(context.cwd, file)}: a vitest bench file runs only under vitest's runner: profile it with \`xloop profile -- npx vitest bench --run ${relative(context.cwd, file)}\``);
      return false;
    });
    if (runnable.length === 0) throw new UserError(`--bench: no bench file to run under ${bench}${notes.length ? ` (${notes.join("; ")})` : ""}`);
    workloads = runnable.map((file) => ({ argv: runner.argv(driver, file).concat(file, String(budgetMs / runnable.length)), env: runner.env }));
    label = `--bench ${bench} on ${runner.runtime}`;
  } else {
    workloads = [{ argv: command, env: {} }];
    label = command.map(quoteArg).join(" ");
  }

  say(`xloop profile: profiling ${label} (sampling every ${intervalUs} µs; profiles in ${relative(context.cwd, dir) || dir})`);
  let profiles: WorkloadProfiles | undefined;
  let wallMs = 0;
  let secondRunWallMs: number | null = null;
  let failed: RunOutcome | undefined;
  for (const workload of workloads) {
    profiles = await profileWorkload({ argv: workload.argv, cwd: context.cwd, dir, intervalUs, heap, countCalls, signal: context.signal, echo, env: workload.env });
    wallMs += profiles.profiled.wallMs;
    if (profiles.counted) secondRunWallMs = (secondRunWallMs ?? 0) + profiles.counted.wallMs;
    if (outcomeText(profiles.profiled) !== "complete") {
      failed = profiles.profiled;
      break;
    }
    if (context.signal.aborted) break;
  }
  const result = profiles as WorkloadProfiles;
  const status = failed ? outcomeText(failed) : "complete";
  const meta: ProfileMeta = {
    version: jsonSchemaVersion,
    command: label,
    commit,
    createdAt: createdAt.toISOString(),
    status,
    wallMs,
    secondRunWallMs,
    intervalUs,
    cpuProfiles: result.cpuProfiles.map((p) => relative(dir, p.file)),
    heapProfiles: result.heapProfiles.map((p) => relative(dir, p.file)),
    coverageFiles: result.coverageFiles.length,
    notes,
  };
  writeFileAtomic(join(dir, "meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
  if (failed) {
    const tail = failed.outputTail.trimEnd().split("\n").slice(-10).join("\n");
    say(`xloop profile: ${label} ${status}${tail ? `; its output ended with:\n${tail}` : " with no output"}`);
    say(`xloop profile: the partial profile is kept in ${dir} (meta.json says "${status}"); .codeflash/bottlenecks.json is left as it was`);
  }
  if (result.cpuProfiles.length === 0) {
    if (failed) return ExitCode.targetFailed;
    throw new UserError(`profile: ${label} wrote no CPU profile: it ran no Node, Bun or Deno process that exited normally (deno needs \`deno run\` in the command itself); profiles are in ${dir}`);
  }

  const rankStart = performance.now();
  const loaded = loadProfiles(result.cpuProfiles as ProfileFile[], result.heapProfiles as ProfileFile[], result.coverageFiles);
  const { summary } = loaded;
  const minimumSamples = 20;
  if (summary.samples < minimumSamples || summary.busyUs < minimumSamples * intervalUs) {
    if (failed) return ExitCode.targetFailed;
    throw new UserError(
      `profile: ${label} ran ${(wallMs / 1000).toFixed(2)} s with ${summary.samples} samples (${(summary.busyUs / 1000).toFixed(1)} ms busy): too short to sample at ${intervalUs} µs; run it longer or loop it (or lower --interval)`,
    );
  }
  const functions = rankFunctions(summary, { root, threshold, includeDeps: Boolean(options.includeDeps), calls: loaded.calls, sourceOf: sourceReader() });
  const rankMs = performance.now() - rankStart;
  let ranked = functions;
  if (options.imports !== undefined) {
    const times = await importTimesOf(options, context, dir, say);
    ranked = mergeRanked(functions, structureCandidates(times, wallMs / workloads.length, { root, threshold, includeDeps: Boolean(options.includeDeps) }));
  }
  writeFileAtomic(join(dir, "ranking.json"), `${JSON.stringify({ version: jsonSchemaVersion, rule: rankingRule, threshold, ranked }, null, 2)}\n`);
  if (speedscopeFile) {
    const doc = toSpeedscope(
      loaded.cpu.map((p) => ({ name: `${p.runtime} ${relative(dir, p.file)}`, profile: p.profile })),
      `xloop profile: ${label}`,
    );
    writeFileAtomic(speedscopeFile, JSON.stringify(doc));
  }
  if (htmlFile) {
    const tree = mergedCallTree(loaded.cpu.map((p) => p.profile));
    writeFileAtomic(htmlFile, renderFlameHtml({ title: `xloop profile: ${label}`, subtitle: `${commit ? `commit ${commit.slice(0, 7)}, ` : ""}${createdAt.toISOString()}, ${status}`, tree, ranked, root }));
  }
  if (!failed) {
    const file: Bottlenecks & { profile: string; rule: string } = {
      schema: bottlenecksSchemaVersion,
      commit: commit ?? "",
      createdAt: createdAt.toISOString(),
      command: label,
      profile: relative(root, dir),
      rule: rankingRule,
      candidates: ranked.map((r) => ({
        rank: r.rank,
        name: r.name,
        file: r.file,
        line: r.line,
        target: r.target,
        selfShare: round(r.selfShare),
        totalShare: round(r.totalShare),
        domain: r.domain,
        category: r.category,
        impact: round(r.impact),
      })),
    };
    writeFileAtomic(bottlenecksPath(root), `${JSON.stringify(file, null, 2)}\n`);
  }

  const callsNote = loaded.calls
    ? "calls counted in a second run (NODE_V8_COVERAGE)"
    : countCalls
      ? "no call counts (only Node gives them): ranked by self time"
      : "--no-calls: ranked by self time";
  say(
    `xloop profile: ${(wallMs / 1000).toFixed(2)} s profiled${secondRunWallMs !== null ? ` + ${(secondRunWallMs / 1000).toFixed(2)} s second run (call counts, allocations)` : ""}; ${summary.cpuProfiles} CPU profile${summary.cpuProfiles === 1 ? "" : "s"} (${summary.samples} samples, ${(summary.busyUs / 1000).toFixed(0)} ms busy, GC ${pct(summary.gcUs, summary.busyUs)})${summary.heapProfiles ? `, ${summary.heapProfiles} heap profile${summary.heapProfiles === 1 ? "" : "s"}` : ""}; ${callsNote}; ranked in ${rankMs.toFixed(0)} ms`,
  );
  for (const note of notes) say(`xloop: note: ${note}`);
  if (result.cpuProfiles.some((p) => p.runtime === "bun")) say("xloop: note: Bun profiles its main threads only: work in Bun worker threads is not in the profile");
  if (options.json) {
    const header = { version: jsonSchemaVersion, command: "profile", ...runHeader() };
    const body = { workload: label, commit, createdAt: createdAt.toISOString(), status, profileDir: dir, rule: rankingRule, threshold, wallMs, secondRunWallMs, samples: summary.samples, busyMs: summary.busyUs / 1000, gcShare: summary.busyUs > 0 ? summary.gcUs / summary.busyUs : 0 };
    process.stdout.write(`${JSON.stringify({ ...header, ...body, ranked: ranked.slice(0, top) }, null, 2)}\n`);
  } else if (ranked.length === 0) {
    say(`xloop profile: no function of the project's code reached ${(threshold * 100).toFixed(1)}% of the CPU time${describeElsewhere(summary.busyUs, ranked, loaded)}; try --include-deps, a lower --threshold, or a workload that runs more of your code`);
  } else {
    process.stdout.write(`${renderRankedTable(ranked.slice(0, top))}\n`);
  }
  return failed ? ExitCode.targetFailed : ExitCode.ok;
}

function describeElsewhere(busyUs: number, _ranked: RankedFunction[], loaded: ReturnType<typeof loadProfiles>): string {
  const top = [...loaded.summary.functions.values()].sort((a, b) => b.selfUs - a.selfUs).slice(0, 3);
  if (top.length === 0) return "";
  return ` (the time went to ${top.map((f) => `${f.name} ${pct(f.selfUs, busyUs)}`).join(", ")})`;
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : "0%";
}

function round(share: number): number {
  return Math.min(1, Math.max(0, Math.round(share * 10000) / 10000));
}

/** Whether the list is stale: files of its top entries changed since the profiled commit (committed or not). */
async function staleFiles(root: string, list: Bottlenecks): Promise<string[]> {
  const files = [...new Set(list.candidates.slice(0, 3).map((c) => c.file))].filter((f) => !f.startsWith("/"));
  if (files.length === 0 || !list.commit) return [];
  let changed: string | null;
  try {
    changed = await gitOrNull(root, ["diff", "--name-only", list.commit, "--", ...files]);
  } catch {
    // The profiled commit is gone (rebased away) or this is no repository any more: the list cannot be trusted.
    return files;
  }
  if (changed === null) return files;
  return changed.split("\n").map((l) => l.trim()).filter(Boolean);
}

function requireList(root: string): Bottlenecks {
  const list = readBottlenecks(root);
  if (!list) throw new UserError(`${bottlenecksPath(root)} does not exist: build the ranked list first with \`xloop profile -- <your workload>\` or \`xloop profile --bench <bench folder>\``);
  return list;
}

function staleLine(list: Bottlenecks, stale: readonly string[]): string {
  return `the list is stale: ${stale.join(", ")} changed since the profiled commit ${list.commit.slice(0, 7)}; rebuild it with \`xloop profile ${list.command.startsWith("--bench") ? list.command.replace(/ on \w+$/, "") : `-- ${list.command}`}\``;
}

/** `xloop targets`: the ranked list with its estimated impact, and whether it is stale. */
export async function targetsCommand(_: unknown[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  const root = projectRoot(context.cwd);
  const list = requireList(root);
  const stale = await staleFiles(root, list);
  if (options.json) {
    const { schema: _schema, command: workload, ...rest } = list;
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "targets", workload, ...rest, stale: stale.length > 0, staleFiles: stale }, null, 2)}\n`);
    return ExitCode.ok;
  }
  process.stderr.write(`ranked list of ${list.createdAt} (commit ${list.commit ? list.commit.slice(0, 7) : "none"}): ${list.command}\n`);
  if (stale.length > 0) process.stderr.write(`xloop: note: ${staleLine(list, stale)}\n`);
  if (list.candidates.length === 0) {
    process.stderr.write("the list is empty: no function of the project's code reached the threshold in that profile\n");
    return ExitCode.ok;
  }
  const rows = list.candidates.map((c) => [String(c.rank), `${(c.selfShare * 100).toFixed(1)}%`, `${(c.totalShare * 100).toFixed(1)}%`, c.name, `${c.file}:${c.line}`, c.domain, c.category ?? "-", impactText(c.impact), c.target ?? "(not exported)"]);
  process.stdout.write(`${renderTable(["rank", "self", "total", "function", "file:line", "domain", "category", "est. impact", "target"], rows, [3, 4, 5, 6, 7, 8])}\n`);
  return ExitCode.ok;
}

/** `xloop next`: the next target from the list and the record. */
export async function nextCommand(_: unknown[], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  const root = projectRoot(context.cwd);
  const list = requireList(root);
  const stale = await staleFiles(root, list);
  const recordFile = codeflashPaths(root).results;
  const rows = existsSync(recordFile) ? readResults(recordFile).rows : [];
  const commits = (await headOrNull(root)) ? await recentCommits(root, 50) : [];
  const analysis = analyzeHistory(commits, rows, { minCommits: 3, minFailures: 3 });
  const choice = chooseNextTarget(list.candidates, { ...recordContext(rows), hotspots: analysis.hotspots, failedPatterns: analysis.failedPatterns });
  const experiment = summarize(rows).experiments + 1;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ version: jsonSchemaVersion, command: "next", experiment, target: choice.candidate ?? null, reasons: choice.reasons, skipped: choice.skipped.map((s) => ({ target: candidateTarget(s.candidate), why: s.why })), stale: stale.length > 0, staleFiles: stale }, null, 2)}\n`);
    return choice.candidate ? ExitCode.ok : ExitCode.stop;
  }
  if (stale.length > 0) process.stderr.write(`xloop: note: ${staleLine(list, stale)}\n`);
  for (const s of choice.skipped) process.stderr.write(`skipped ${candidateTarget(s.candidate)}: ${s.why}\n`);
  const best = choice.candidate;
  if (!best) {
    process.stdout.write(`[experiment ${experiment}] No target left: every candidate of the list is marked non-optimizable or keeps failing; stop, or profile another workload\n`);
    return ExitCode.stop;
  }
  process.stdout.write(`[experiment ${experiment}] Target: ${best.name} in ${best.file}:${best.line} (${best.category ?? "no category guessed"}, ${impactText(best.impact)})\n`);
  for (const reason of choice.reasons) process.stdout.write(`  why: ${reason}\n`);
  if (best.target) process.stdout.write(`  target: ${best.target}   (xloop bench ${best.target}; xloop experiment ${best.target})\n`);
  else process.stdout.write(`  target: ${best.name} is not exported from ${best.file}: export it (e.g. \`export function ${best.name}\`) to benchmark it alone, or benchmark the exported function that calls it\n`);
  return ExitCode.ok;
}
