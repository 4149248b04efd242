import { expect, test } from "bun:test";
import * as v from "valibot";
import { defaults } from "../src/settings/defaults.ts";
import { benchSettings, measureSettings, MeasureOptionsSchema } from "../src/settings/options.ts";
import { DomainBenchOptionsSchema, parseConcurrency } from "../src/commands/bench-domain.ts";
import { OracleOptionsSchema } from "../src/commands/oracle.ts";
import { DoctorOptionsSchema } from "../src/commands/doctor.ts";
import { commitCount } from "../src/commands/loop/history.ts";
import { profileSettings } from "../src/commands/profile.ts";
import { experimentConcurrency } from "../src/experiment/domain-benchmark.ts";
import { compareEncoded } from "../src/oracle/compare.ts";
import { DEFAULT_MAX_BYTES, encodeValue } from "../src/oracle/encode.ts";
import { getDomain } from "../src/domains/domains.ts";
import { repoRoot, runIn, bunBinary } from "./helpers.ts";

const helps = new Map<string, string>();

/** `xloop <command> --help`, read once per command. */
function helpOf(command: string): string {
  if (!helps.has(command)) helps.set(command, runIn(bunBinary, ["src/cli.ts", command, "--help"], repoRoot).stdout);
  return helps.get(command)!;
}

test("the measuring options left out validate to the defaults the help prints", () => {
  const o = v.parse(MeasureOptionsSchema, {});
  expect(o).toMatchObject({ time: defaults.timeS, rounds: defaults.rounds, workers: defaults.workers, timeout: defaults.timeoutMs, maxMemory: defaults.maxMemoryMib, warmup: defaults.warmupMs });
  expect(measureSettings(o)).toMatchObject({ sliceNs: defaults.sliceUs * 1000, maxSliceNs: defaults.maxSliceUs * 1000 });
  expect(measureSettings(v.parse(MeasureOptionsSchema, { slice: "2ms" }))).toMatchObject({ sliceNs: 2e6, maxSliceNs: 2e6 });
  const help = helpOf("bench");
  expect(help).toContain(`(default ${defaults.timeoutMs}; bench --domain memory|async: a measuring process running this long, default ${defaults.domainTimeoutMs})`);
  expect(v.parse(DomainBenchOptionsSchema, {}).timeout).toBe(defaults.domainTimeoutMs);
  const compareHelp = helpOf("compare");
  expect(compareHelp).toContain(`runs per side (default ${defaults.compareRuns})`);
  expect(compareHelp).toContain(`warm-up runs per side (default ${defaults.compareWarmupRuns})`);
  expect(help).toContain(`(default ${defaults.sliceUs}; unless given, lengthened up to ${defaults.maxSliceUs / 1000} ms to make ${defaults.slicePasses} passes over the cases)`);
  const abHelp = helpOf("ab");
  expect(abHelp).toContain(`after this long: seconds, or with a unit such as 2min (default ${defaults.maxTimeS})`);
  expect(abHelp).toContain(`(default ${defaults.confidence})`);
});

test("bench's precision goal, round limit and copies left out are the ones bench --help prints", () => {
  const loose = benchSettings({});
  const tight = benchSettings({ precision: 0.01 });
  const help = helpOf("bench");
  expect(help).toContain(`within ±this of it (default ${loose.precision}; 0: exactly --rounds)`);
  expect(help).toContain(`(default ${loose.maxRounds! / loose.rounds}x --rounds at ±${loose.precision! * 100}%, more for a tighter goal: ${tight.maxRounds! / tight.rounds}x at 0.01)`);
  expect(help).toContain(`(bench default ${loose.copies}, ${tight.copies} with --precision below ${loose.precision}; ab ${v.parse(MeasureOptionsSchema, {}).copies};`);
});

test("the async and memory domains' processes, levels, concurrency and time left out are the ones bench and ab --help print", () => {
  const o = v.parse(DomainBenchOptionsSchema, {});
  const help = helpOf("bench");
  expect(help).toContain(`for --time, default ${o.time} s); --rounds fresh processes, default ${o.rounds}`);
  expect(help).toContain(`comma-separated levels (default ${parseConcurrency(undefined, defaults.asyncLevels).join(",")})`);
  const abHelp = helpOf("ab");
  expect(abHelp).toContain(`async (throughput at --concurrency, default ${experimentConcurrency}; --round-time per process, default ${o.time} s)`);
  expect(abHelp).toContain(`async: calls in flight (default ${experimentConcurrency})`);
  expect(helpOf("compare")).toContain(`--domain async: calls in flight (default ${experimentConcurrency})`);
});

test("oracle's tolerances, difference limit and size budget left out are the ones oracle --help prints, in the command and in the engine", () => {
  const o = v.parse(OracleOptionsSchema, {});
  const help = helpOf("oracle");
  expect(help).toContain(`relative tolerance of numbers (default ${o.rtol}: identical)`);
  expect(help).toContain(`absolute tolerance of numbers (default ${o.atol})`);
  expect(help).toContain(`how many differences to show (default ${o.limit})`);
  expect(help).toContain(`exceeds this size (default ${o.maxBytes / 1024 ** 2} MiB)`);
  // The engine's own fallbacks, for callers that pass no options, are the same.
  const differing = compareEncoded(encodeValue(Array.from({ length: 50 }, () => 1)), encodeValue(Array.from({ length: 50 }, () => 2)));
  expect(differing.differences.length).toBe(o.limit);
  expect(compareEncoded(encodeValue(1), encodeValue(1 + 1e-12)).equal).toBe(o.rtol === 0 && o.atol === 0 ? false : true);
  expect(DEFAULT_MAX_BYTES).toBe(o.maxBytes);
});

test("compare's threshold left out is cpu's noise threshold, as compare and ab --help print", () => {
  const noise = getDomain("cpu").thresholds.noise.improvement;
  expect(helpOf("compare")).toContain(`Differences within ±threshold are 'same' (default ${noise})`);
  expect(helpOf("ab")).toContain(`the domain's noise threshold, ${noise} for cpu,`);
});

test("history, profile and doctor apply the defaults their --help prints", () => {
  expect(helpOf("history")).toContain(`How many recent commits to read (default ${commitCount(undefined)})`);
  const p = profileSettings({});
  const profileHelp = helpOf("profile");
  expect(profileHelp).toContain(`time budget per run of the bench files (default ${p.budgetMs / 1000})`);
  expect(profileHelp).toContain(`Sampling interval in microseconds (default ${p.intervalUs})`);
  expect(profileHelp).toContain(`share of self time (default ${p.threshold * 100})`);
  expect(profileHelp).toContain(`Rows to print (default ${p.top})`);
  expect(helpOf("doctor")).toContain(`Fresh worker pairs of the A/A run (default ${v.parse(DoctorOptionsSchema, {}).pairs})`);
});

test("the domain baseline and experiment record when none is given is the one their --help prints", () => {
  expect(helpOf("baseline")).toContain(`Domain recorded with the row (default ${defaults.domain})`);
  expect(helpOf("experiment")).toContain(`${defaults.domain} (default), memory, async or structure`);
  expect(helpOf("escalate")).toContain(`(default: the last experiment's, else ${defaults.domain})`);
});
