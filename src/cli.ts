#!/usr/bin/env node
/**
 * The xloop command line: wires each command to its function. Nothing here
 * measures or decides; it parses, dispatches and maps errors to exit codes.
 */
import { cac } from "cac";
import { ExitCode } from "./exit-codes.ts";
import { isUserError, UserError } from "./errors.ts";
import { installInterruptHandlers } from "./process/interrupt.ts";
import { forwardToHostedChild } from "./runtime/host.ts";
import { xloopVersion } from "./version.ts";
import { rankingRule } from "./profile/rank.ts";
import { defaults, maxRoundsFactorFor } from "./settings/defaults.ts";
import { cpuNoiseThreshold } from "./domains/definitions.ts";
import { dashedTarget, negativeValuesJoined } from "./commands/argv.ts";
import type { CommandContext } from "./commands/context.ts";

const cli = cac("xloop");
let verbose = process.argv.includes("--verbose");

type Handler = (args: any[], options: Record<string, any>, context: CommandContext) => Promise<number>;

/**
 * Runs a command's function lazily (start-up stays fast) and exits with its code. A
 * measuring command first goes to the runtime it must measure on, which may run it
 * in a child process instead.
 */
function action(load: () => Promise<Handler>, kind: "measuring" | "other" | ((options: Record<string, any>) => "measuring" | "other") = "other") {
  return async (...parsed: any[]) => {
    const options = parsed.pop() as Record<string, any>;
    verbose = Boolean(options.verbose);
    const context: CommandContext = { cwd: process.cwd(), signal: interrupts.signal, verbose };
    if ((typeof kind === "function" ? kind(options) : kind) === "measuring") {
      const hosted = await (await import("./commands/runtime.ts")).hostMeasuringCommand(options, context, process.argv.slice(2), interrupts.handOver);
      if (hosted !== null) {
        process.exitCode = hosted;
        return;
      }
    }
    const handler = await load();
    const code = await handler(parsed, options, context);
    process.exitCode = interrupts.signal.aborted ? ExitCode.interrupted : code;
  };
}

/** Which runtime measures, on every command that loads the user's code. */
function runtimeOptions<T extends ReturnType<typeof cli.command>>(command: T): T {
  return command
    .option("--runtime <name>", "node, bun or deno (default: .codeflash/config.json's runtime, else the project's own: a Bun lockfile or bunfig.toml: bun; deno.json: deno; else node when installed, else bun)")
    .option("--runtime-path <file>", "The runtime's executable (default: the one on PATH; bun: this binary's own)") as T;
}

function measureOptions<T extends ReturnType<typeof cli.command>>(command: T): T {
  return runtimeOptions(command)
    .option("--args <json>", "One argument list as a JSON array, e.g. '[\"Hello World\"]'")
    .option("--cases <file#export>", "An array of argument lists, or a function (maybe async) returning one")
    .option("--time <duration>", `Sampling time per target: seconds, or with a unit such as 500ms (default ${defaults.timeS})`)
    .option("--rounds <n>", `Sessions, one after the other, each with fresh workers (default ${defaults.rounds})`)
    .option("--workers <n>", `Fresh workers per target in each session, interleaved (default ${defaults.workers}; ab: worker pairs, default ${defaults.abWorkers})`)
    .option("--timeout <duration>", `Terminate a target silent for this long: milliseconds, or with a unit such as 30s (default ${defaults.timeoutMs}; bench --domain memory|async: a measuring process running this long, default ${defaults.domainTimeoutMs})`)
    .option("--max-memory <MiB>", `Terminate a target whose process exceeds this resident memory (default ${defaults.maxMemoryMib})`)
    .option("--clone-args", "Give every call a fresh copy of its arguments (automatic when the target mutates them)")
    .option("--no-pin", "Do not pin the measuring thread to a CPU")
    .option("--cpu <n>", "The CPU to pin to (default: the last allowed one)")
    .option("--warmup <duration>", `Warm-up budget per worker and copy: milliseconds, or with a unit such as 1s (default ${defaults.warmupMs})`)
    .option("--slice <duration>", `Shortest timed batch: microseconds, or with a unit such as 2ms (default ${defaults.sliceUs}; unless given, lengthened up to ${defaults.maxSliceUs / 1000} ms to make ${defaults.slicePasses} passes over the cases)`)
    .option("--copies <n>", `Copies of each target's module per worker, taking turns: averages the JIT's code-placement luck within a worker (bench default ${defaults.benchCopies}, ${defaults.benchTightCopies} with --precision below ${defaults.precision}; ab ${defaults.copies}; top-level code runs once per copy)`)
    .option("--json", "Print one JSON document on stdout")
    .option("--no-color", "No colour (NO_COLOR is honoured too)") as T;
}

/** bench's adaptive rounds, shared with baseline, which benchmarks the same way. */
function precisionOptions<T extends ReturnType<typeof cli.command>>(command: T): T {
  return command
    .option("--precision <fraction>", `Add rounds of fresh workers until the median's 95% CI is within ±this of it (default ${defaults.precision}; 0: exactly --rounds)`)
    .option("--max-rounds <n>", `Most rounds a target may take while aiming at --precision (default ${defaults.maxRoundsFactor}x --rounds at ±${defaults.precision * 100}%, more for a tighter goal: ${maxRoundsFactorFor(0.01)}x at 0.01)`) as T;
}

/** The files a command can write its results to besides stdout (bench, ab, compare). */
function exportOptions<T extends ReturnType<typeof cli.command>>(command: T): T {
  return command
    .option("--export-json <file>", "Also write the --json document to this file")
    .option("--export-csv <file>", "Also write CSV (ns; safe to open in a spreadsheet)")
    .option("--export-markdown <file>", "Also write the markdown report")
    .option("--export-bmf <file>", "Also write Bencher Metric Format (bencher run --adapter json)")
    .option("--export-gab <file>", "Also write github-action-benchmark's customSmallerIsBetter JSON")
    .option("--html <file>", "Also write a self-contained HTML report with pictures") as T;
}

exportOptions(precisionOptions(measureOptions(cli.command("bench [...targets]", "Measure functions given as path#export, each in fresh pinned workers; a tinybench, mitata or vitest suite file alone for all its tasks")))
  .option("--tsv", "Print tab-separated values")
  .option("--md", "Print a markdown table")
  .option("--filter <regex>", "Only benchmarks whose shown name matches (file > group > task, or file#export)")
  .option("--plot", "Draw each target's distribution of per-worker medians in the terminal")
  .option("--domain <name>", `cpu (default: time per call), memory (allocated and retained bytes, peak heap and RSS, GCs, leaks), async (throughput, p50/p99 latency, event-loop delay, waiting share at each --concurrency for --time, default ${defaults.asyncLevelS} s); --rounds fresh processes, default ${defaults.domainRounds}`)
  .option("--concurrency <levels>", `async: calls in flight, comma-separated levels (default ${defaults.asyncLevels.join(",")})`))
  .example("xloop bench src/parse.ts#parse --cases bench/parse.cases.ts#cases")
  .example("xloop bench bench/suite.bench.ts --filter parse")
  .action(action(async () => (await import("./commands/bench.ts")).benchCommand as Handler, "measuring"));

/** The options of the interleaved A/B engine, shared by every command that runs it. */
function abOptions<T extends ReturnType<typeof cli.command>>(command: T): T {
  return measureOptions(command)
    .option("--threshold <fraction>", `Differences within ±threshold are 'same' (default: the domain's noise threshold, ${cpuNoiseThreshold} for cpu, never below a stored noise floor); auto: the stored noise floor itself, the smallest threshold it allows`)
    .option("--max-time <duration>", `Give up as 'inconclusive' after this long: seconds, or with a unit such as 2min (default ${defaults.maxTimeS})`)
    .option("--min-rounds <n>", `Fewest fresh worker pairs before a verdict (default ${defaults.minRounds})`)
    .option("--round-time <duration>", `Sampling time of one session of worker pairs, and at least 20 slices of each worker: seconds, or with a unit such as 200ms (default ${defaults.roundTimeS}; ${defaults.longRoundFactor}x once a look leaves the verdict open)`)
    .option("--confidence <level>", `Confidence of the whole sequential decision: each look at the interval is stricter so that identical code is called different at most 1 - level of the time (default ${defaults.confidence})`) as T;
}

exportOptions(abOptions(cli.command("ab [...targets]", "Compare head against base (pairs of path#export): interleaved fresh worker pairs, a CI on the ratio and a verdict"))
  .option("--expect <verdict>", "Exit 4 unless the verdict is this (faster, slower, same, inconclusive)")
  .option("--domain <name>", `cpu (default: CPU time), memory (bytes allocated per call), async (throughput at --concurrency, default ${defaults.asyncConcurrency}; --round-time per process, default ${defaults.asyncLevelS} s), structure (import time of entry modules given as paths)`)
  .option("--concurrency <n>", `async: calls in flight (default ${defaults.asyncConcurrency})`)
  .option("--plot", "Draw both sides' distributions, each pair's ratio, the CI and the threshold band in the terminal"))
  .example("xloop ab src/v1.ts#parse src/v2.ts#parse --cases bench/parse.cases.ts#cases")
  .action(action(async () => (await import("./commands/ab.ts")).abCommand as Handler, "measuring"));

runtimeOptions(cli.command("imports <entry>", "The entry's module graph with each module's own and cumulative import time, cold in fresh processes; cycles, fan-in, barrel files, top-level work"))
  .option("--runs <n>", `Cold processes of each kind (default ${defaults.importRuns})`)
  .option("--timeout <duration>", `Kill a process still importing after this long: milliseconds, or with a unit such as 30s (default ${defaults.timeoutMs})`)
  .option("--json", "Print one JSON document on stdout")
  .option("--tsv", "Print tab-separated values")
  .option("--md", "Print a markdown table")
  .example("xloop imports src/index.ts")
  .action(action(async () => (await import("./commands/imports.ts")).importsCommand as Handler, "measuring"));

measureOptions(cli.command("noise <target>", "Measure this machine's noise floor for a target (A/A) and store it in .codeflash/noise.json"))
  .option("--pairs <n>", `Fresh worker pairs (default ${defaults.noisePairs})`)
  .option("--round-time <duration>", `Sampling time of one session of worker pairs: seconds, or with a unit such as 200ms (default ${defaults.roundTimeS})`)
  .action(action(async () => (await import("./commands/noise.ts")).noiseCommand as Handler, "measuring"));

runtimeOptions(cli.command("oracle <action> [target]", "capture: store the target's original outputs; verify: check the code now produces identical ones"))
  .option("--args <json>", "One argument list as a JSON array (capture)")
  .option("--cases <file#export>", "An array of argument lists, or a function returning one (capture)")
  .option("--stdout", "Also record what each call prints (capture)")
  .option("--ignore <path pattern>", "Exclude a path from comparison, e.g. 'return.createdAt' or '**.id' (repeatable)")
  .option("--base <rev>", "verify: capture the original from this git revision on the fly")
  .option("--rtol <fraction>", `verify: relative tolerance of numbers (default ${defaults.rtol}: identical)`)
  .option("--atol <value>", `verify: absolute tolerance of numbers (default ${defaults.atol})`)
  .option("--key-order", "verify: the key order of plain objects matters too")
  .option("--limit <n>", `verify: how many differences to show (default ${defaults.oracleLimit})`)
  .option("--max-bytes <n>", `Refuse values whose encoding exceeds this size (default ${defaults.oracleMaxBytes / 1024 ** 2} MiB)`)
  .option("--timeout <duration>", `Terminate a case silent for this long: milliseconds, or with a unit such as 30s (default ${defaults.timeoutMs})`)
  .option("--max-memory <MiB>", `Terminate when resident memory exceeds this (default ${defaults.maxMemoryMib})`)
  .option("--json", "Print one JSON document on stdout")
  .example("xloop oracle capture src/price.ts#total --cases bench/price.cases.ts#cases")
  .example("xloop oracle verify src/price.ts#total --base HEAD")
  .action(
    action(async () => {
      const oracle = await import("./commands/oracle.ts");
      return (async ([which, target], options, context) => {
        if (which === "capture") return oracle.oracleCaptureCommand([target], options, context);
        if (which === "verify") return oracle.oracleVerifyCommand([target], options, context);
        throw new UserError(`oracle: unknown action "${which}"; use \`xloop oracle capture <target>\` or \`xloop oracle verify <target>\``);
      }) as Handler;
    }, "measuring"),
  );

cli
  .command("init", "Create .codeflash/ (conventions.md with a ## Guard section, config.json, results.tsv)")
  .option("--guard <command>", "A command that must always pass, e.g. \"npm test\"")
  .option("--force", "Overwrite existing files")
  .action(action(async () => (await import("./commands/loop/setup.ts")).initCommand as Handler));

precisionOptions(measureOptions(cli.command("baseline <target>", "Capture the target's oracle and record its baseline benchmark")))
  .option("--domain <name>", `Domain recorded with the row (default ${defaults.domain})`)
  .action(action(async () => (await import("./commands/loop/setup.ts")).baselineCommand as Handler, "measuring"));

abOptions(cli.command("experiment <target>", "One loop step on the working tree's change: verify outputs, benchmark against HEAD, guard, KEEP (commit) or DISCARD (restore), record"))
  .option("--pattern <name>", "The kind of optimization (strategy), e.g. data-structure (one of the domain's rotation, see xloop domain cpu)")
  .option("-m, --message <text>", "What the change does, in a few words (the commit message)")
  .option("--domain <name>", `${defaults.domain} (default), memory, async or structure`)
  .option("--hot-path", "A profiler confirmed the target is on the hot path (allows micro-only keeps)")
  .option("--rework", "This is a rework of the last experiment after its guard failed")
  .option("--files <list>", "The change's files, comma-separated (default: the changed files the target imports)")
  .option("--force", "Run even when the target does not reach the changed files or no case executes the changed lines")
  .option("--allow-test-changes", "Let the change touch files the guard exercises (tests, ## Guard files); the record says so")
  .option("--pattern-free", "Accept a --pattern outside the domain's rotation")
  .option("--checklist <file>", "The domain checklist's answers, stored with the experiment (or a ## Checklist section in -m's body)")
  .option("--md", "Print the step's markdown report on stdout")
  .option("--no-summary", "Do not append the markdown report to GITHUB_STEP_SUMMARY")
  .example('xloop experiment src/price.ts#total --pattern data-structure -m "index lines by sku"')
  .action(action(async () => (await import("./commands/experiment.ts")).experimentCommand as Handler, "measuring"));

cli
  .command("results", "Print the record (.codeflash/results.tsv)")
  .option("--json", "As JSON")
  .option("--tsv", "The file as it is")
  .action(action(async () => (await import("./commands/loop/setup.ts")).resultsCommand as Handler));

cli.command("guard", "Run the guard command of .codeflash/conventions.md").action(action(async () => (await import("./commands/loop/setup.ts")).guardCommand as Handler));

cli
  .command("status", "Where the loop stands and the one next action, with the reason")
  .option("--json", "As JSON")
  .option("--continue", "Exit 0 while the loop should go on, 7 when it should stop (for `while xloop status --continue; do ...; done`)")
  .action(action(async () => (await import("./commands/loop/status.ts")).statusCommand as Handler));

cli
  .command("recover", "Put the repository back after an experiment was killed (SIGKILL, a crash): take back its unrecorded commit, restore its files, remove its worktrees")
  .option("--json", "As JSON")
  .action(action(async () => (await import("./commands/recover.ts")).recoverCommand as Handler));

cli
  .command("history", "What git and the record say: where wins cluster, what keeps failing, what to try elsewhere")
  .option("--json", "As JSON")
  .option("-n, --commits <n>", `How many recent commits to read (default ${defaults.historyCommits})`)
  .action(action(async () => (await import("./commands/loop/history.ts")).historyCommand as Handler));

abOptions(cli.command("milestone", "Create branch codeflash/milestone-vN at HEAD with the cumulative gain measured against the baseline commit (due every 3-5 keeps)"))
  .option("--estimate", "Report the product of the kept ratios instead of measuring the baseline against HEAD")
  .action(action(async () => (await import("./commands/loop/milestone.ts")).milestoneCommand as Handler, "measuring"));

cli
  .command("escalate", "Record that the real bottleneck is in another domain, and write it into HANDOFF.md")
  .option("--to <domain>", "The domain the signal suggests: cpu, memory, async or structure")
  .option("--signal <text>", "What was observed, e.g. \"peak heap dominates runtime\"")
  .option("--from <domain>", `The domain of this session (default: the last experiment's, else ${defaults.domain})`)
  .action(action(async () => (await import("./commands/loop/escalate.ts")).escalateCommand as Handler));

cli
  .command("handoff", "Write .codeflash/HANDOFF.md for the next session")
  .option("--target <path#export>", "A remaining target, best first (repeatable)")
  .action(action(async () => (await import("./commands/loop/handoff.ts")).handoffCommand as Handler));

cli
  .command("target <action> <target>", "Mark a target's state in the record: `xloop target done <path#export> --reason \"<why>\"` (non-optimizable), `xloop target open <path#export>` (undo)")
  .option("--reason <text>", "Why it is non-optimizable (the domain's criterion it meets)")
  .action(action(async () => (await import("./commands/loop/target.ts")).targetCommand as Handler));

cli
  .command("learnings", "Append this session's learnings to .codeflash/learnings.md")
  .option("--insight <text>", "A codebase insight (repeatable)")
  .option("--domain <name>", "The session's domain (default: the record's)")
  .action(action(async () => (await import("./commands/loop/learnings.ts")).learningsCommand as Handler));

cli
  .command("domain <name>", "Print a domain's definition: metrics, thresholds, checklist, rotation, profiling sources")
  .option("--json", "As JSON")
  .action(action(async () => (await import("./commands/loop/domain.ts")).domainCommand as Handler));

exportOptions(runtimeOptions(cli.command("compare [base] [head]", "End-to-end benchmark of two git revisions in temporary worktrees (default: merge-base with main/master, or HEAD~1, vs HEAD)"))
  .option("--script <command>", "Whole-process mode: time this command in each revision, interleaved")
  .option("--runs <n>", `Whole-process mode: runs per side (default ${defaults.compareRuns})`)
  .option("--warmup <n>", `Whole-process mode: warm-up runs per side (default ${defaults.compareWarmupRuns})`)
  .option("--prepare <command>", "Whole-process mode: run before each timed run")
  .option("--filter <regex>", "Suite mode: only benchmarks whose name matches")
  .option("--install", "Install dependencies fresh in each worktree instead of linking the checkout's node_modules")
  .option("--threshold <fraction>", `Differences within ±threshold are 'same' (default ${cpuNoiseThreshold})`)
  .option("--max-time <duration>", `Time budget per benchmark: seconds, or with a unit such as 2min (default ${defaults.maxTimeS})`)
  .option("--md", "GitHub-flavoured markdown")
  .option("--json", "As JSON")
  .option("-o, --output <file>", "Write the report to a file")
  .option("--no-summary", "Do not append the markdown report to GITHUB_STEP_SUMMARY")
  .option("--domain <name>", "memory, async or structure: compare --target on the domain's metric (bytes per call, throughput, import time) instead of the bench suite")
  .option("--target <path#export|entry>", "--domain: what to compare, relative to here (structure: an entry module's path)")
  .option("--args <json>", "--domain memory|async: one argument list as a JSON array")
  .option("--cases <file#export>", "--domain memory|async: the cases, taken from each revision's checkout")
  .option("--concurrency <n>", `--domain async: calls in flight (default ${defaults.asyncConcurrency})`))
  .example("xloop compare v1.4.0 HEAD --md -o compare.md")
  .example("xloop compare main HEAD --domain structure --target src/index.ts")
  .example('xloop compare HEAD~3 HEAD --script "node scripts/build-index.js"')
  // Whole-process mode times the user's own command, whatever runs it: it stays on the
  // binary's Bun, whose wait4 gives each run's CPU times and peak memory exactly.
  .action(action(async () => (await import("./commands/compare.ts")).compareCommand as Handler, (options) => (options.script === undefined ? "measuring" : "other")));

runtimeOptions(cli.command("profile", "Profile a real workload (a command after --, or --bench <path>) and rank the project's functions: the list the loop picks targets from"))
  .option("--bench <path>", "Profile the project's bench file or folder instead of a command (each file run on the project's runtime)")
  .option("--time <seconds>", `--bench: time budget per run of the bench files (default ${defaults.profileTimeS})`)
  .option("--interval <us>", `Sampling interval in microseconds (default ${defaults.profileIntervalUs})`)
  .option("--threshold <percent>", `Drop functions under this share of self time (default ${defaults.profileThresholdPercent})`)
  .option("--imports <entry>", "Also measure the entry's import times (xloop imports) and rank modules by their import cost beside the functions")
  .option("--include-deps", "Rank functions in node_modules too")
  .option("--no-calls", "Skip the second run that counts calls (Node): rank by self time")
  .option("--no-heap", "Skip allocation sampling (Node)")
  .option("--top <n>", `Rows to print (default ${defaults.profileTop})`)
  .option("--speedscope <file>", "Also write the profile as a speedscope file")
  .option("--html <file>", "Also write a self-contained HTML flame (icicle) view")
  .option("--json", "Print one JSON document on stdout")
  .example("xloop profile -- node scripts/build-index.js")
  .example("xloop profile --bench bench/ --html profile.html")
  .usage(`profile [options] -- <command...>\n\nRanking rule: ${rankingRule}`)
  .action(action(async () => (await import("./commands/profile.ts")).profileCommand as Handler));

cli
  .command("targets", "The ranked bottleneck list of the last profile (.codeflash/bottlenecks.json), with estimated impact; says when it is stale")
  .option("--json", "As JSON")
  .action(action(async () => (await import("./commands/profile.ts")).targetsCommand as Handler));

cli
  .command("next", "The next target: the ranked list combined with the record (skips targets marked done, prefers where wins cluster, avoids what keeps failing); exit 7 when none is left")
  .option("--json", "As JSON")
  .action(action(async () => (await import("./commands/profile.ts")).nextCommand as Handler));

// On the runtime that would measure: its clocks, its pinning and its A/A run are what a measurement meets.
runtimeOptions(cli.command("doctor", "Check this machine for benchmarking on the runtime that would measure: runtimes, clocks, pinning, counters, CPU settings, load, a quick A/A noise run; each problem with its fix"))
  .option("--json", "As JSON")
  .option("--strict", "Exit 9 when the machine is unfit for 1% decisions, saying why")
  .option("--pairs <n>", `Fresh worker pairs of the A/A run (default ${defaults.doctorPairs})`)
  .option("--no-color", "No colour (NO_COLOR is honoured too)")
  .example("xloop doctor --strict")
  .action(action(async () => (await import("./commands/doctor.ts")).doctorCommand as Handler, "measuring"));

cli.option("--verbose", "Stack traces and details on errors");
cli.help();
cli.version(xloopVersion);

function fail(error: unknown): void {
  if (isUserError(error)) {
    process.stderr.write(`xloop: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else if ((error as Error)?.name === "CACError") {
    process.stderr.write(`xloop: ${(error as Error).message}; see xloop --help\n`);
    process.exitCode = ExitCode.usage;
  } else {
    const e = error as Error;
    process.stderr.write(`xloop: internal error: ${e?.message ?? e}${verbose ? `\n${e?.stack}` : " (rerun with --verbose for the stack)"}\n`);
    process.exitCode = ExitCode.internal;
  }
}

// An interrupt stops the measurement (workers are terminated), then the cleanup
// registry undoes what the command did (worktrees, the user's files) and exits 130.
const interrupts = installInterruptHandlers({ forward: forwardToHostedChild });

/** Parses the command line and runs the matched command (no top-level await: the binary is bytecode-compiled). */
async function main(): Promise<void> {
  try {
    const dashed = dashedTarget(process.argv.slice(2));
    if (dashed) throw new UserError(`${dashed}: a path starting with "-" reads as options; write it as ./${dashed}`);
    cli.parse(negativeValuesJoined(process.argv), { run: false });
    if (!cli.matchedCommand && cli.args.length > 0) {
      throw Object.assign(new Error(`unknown command "${cli.args[0]}"`), { name: "CACError" });
    }
    if (!cli.matchedCommand && !cli.options.help && !cli.options.version) cli.outputHelp();
    else await cli.runMatchedCommand();
  } catch (error) {
    fail(error);
  }
}

void main();
