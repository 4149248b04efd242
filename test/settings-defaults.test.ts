import { expect, test } from "bun:test";
import * as v from "valibot";
import { defaults } from "../src/settings/defaults.ts";
import { MeasureOptionsSchema } from "../src/settings/options.ts";
import { repoRoot, runIn, bunBinary } from "./helpers.ts";

test("the measuring options left out validate to the defaults the help prints", () => {
  const o = v.parse(MeasureOptionsSchema, {});
  expect(o).toMatchObject({ time: defaults.timeS, rounds: defaults.rounds, workers: defaults.workers, timeout: defaults.timeoutMs, maxMemory: defaults.maxMemoryMib, warmup: defaults.warmupMs, slice: defaults.sliceUs });
  const help = runIn(bunBinary, ["src/cli.ts", "bench", "--help"], repoRoot).stdout;
  expect(help).toContain(`(default ${defaults.timeoutMs})`);
  expect(help).toContain(`(default ${defaults.sliceUs})`);
  const abHelp = runIn(bunBinary, ["src/cli.ts", "ab", "--help"], repoRoot).stdout;
  expect(abHelp).toContain(`after this long: seconds, or with a unit such as 2min (default ${defaults.maxTimeS})`);
  expect(abHelp).toContain(`(default ${defaults.confidence})`);
});
