import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import * as v from "valibot";
import { UserError } from "../errors.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import { machineInfo } from "../machine/metadata.ts";
import { engineOf, runtimeInfo } from "../runtime/runtime.ts";
import { quantile } from "../stats/descriptive.ts";
import { estimateRatio } from "../stats/paired.ts";
import { codeflashPaths } from "../project/codeflash-paths.ts";

/** A stored noise floor of one target on one machine. */
export interface NoiseFloor {
  /** Relative difference below which this target's A/B results are not resolvable. */
  floor: number;
  /** The A/A ratio and its CI behind it. */
  ratio: number;
  ci: [number, number];
  /** 99th percentile of |ln ratio| of single fresh worker pairs. */
  perRoundP99: number;
  rounds: number;
  measuredAt: string;
  machine: { hostname: string; cpuModel: string; cores: number };
  runtime: string;
}

const NoiseFileSchema = v.object({
  version: v.literal(1),
  targets: v.record(
    v.string(),
    v.object({
      floor: v.number(),
      ratio: v.number(),
      ci: v.tuple([v.number(), v.number()]),
      perRoundP99: v.number(),
      rounds: v.number(),
      measuredAt: v.string(),
      machine: v.object({ hostname: v.string(), cpuModel: v.string(), cores: v.number() }),
      runtime: v.string(),
    }),
  ),
});

/**
 * The floor from A/A rounds: the far end of the CI (99%, as ab judges) of the A/A ratio, as a
 * relative difference. Identical code cannot be told apart from itself more finely
 * than that on this machine, so no verdict threshold may go below it.
 */
export function noiseFloorFromRatios(roundRatios: number[], confidence = 0.99): Omit<NoiseFloor, "measuredAt" | "machine" | "runtime"> {
  const estimate = estimateRatio(roundRatios, confidence);
  const floor = Math.max(Math.abs(estimate.ci[0] - 1), Math.abs(estimate.ci[1] - 1));
  return {
    floor,
    ratio: estimate.ratio,
    ci: estimate.ci,
    perRoundP99: quantile(roundRatios.map((r) => Math.abs(Math.log(r))), 0.99),
    rounds: roundRatios.length,
  };
}

/** The file the floors live in. */
export function noiseFile(root: string): string {
  return codeflashPaths(root).noise;
}

function readNoiseFile(root: string): v.InferOutput<typeof NoiseFileSchema> {
  const path = noiseFile(root);
  if (!existsSync(path)) return { version: 1, targets: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UserError(`${path}: not valid JSON (${(error as Error).message}); delete it and rerun \`xloop noise\``);
  }
  const parsed = v.safeParse(NoiseFileSchema, raw);
  if (!parsed.success) {
    const field = parsed.issues[0].path?.map((p) => String(p.key)).join(".");
    throw new UserError(`${path}: not a noise file this xloop understands (${field ? `${field}: ` : ""}${parsed.issues[0].message}); delete it and rerun \`xloop noise\``);
  }
  return parsed.output;
}

/** Identity of this machine and runtime, to tell whether a stored floor applies. */
export function currentMachineKey(): { machine: NoiseFloor["machine"]; runtime: string } {
  const m = machineInfo();
  const r = runtimeInfo();
  return { machine: { hostname: hostname(), cpuModel: m.cpuModel, cores: m.cores }, runtime: `${r.name} ${r.version}` };
}

/** Stores a target's floor (atomically, other targets' floors kept). */
export function storeNoiseFloor(root: string, target: string, floor: Omit<NoiseFloor, "measuredAt" | "machine" | "runtime">): NoiseFloor {
  const file = readNoiseFile(root);
  const entry: NoiseFloor = { ...floor, measuredAt: new Date().toISOString(), ...currentMachineKey() };
  file.targets[target] = entry;
  writeFileAtomic(noiseFile(root), `${JSON.stringify(file, null, 2)}\n`);
  return entry;
}

/** A stored floor and whether it applies here and now. */
export interface StoredFloor {
  entry: NoiseFloor;
  /** Measured on another machine or runtime: not applied. */
  otherMachine: boolean;
  /** Measured on another runtime (node, bun, deno), not merely another version of this one. */
  otherRuntime: boolean;
  /** Older than `maxAgeDays`: applied, with a warning. */
  stale: boolean;
}

/** Looks up the stored floor of a target. */
export function lookupNoiseFloor(root: string, target: string, maxAgeDays = 7): StoredFloor | null {
  const entry = readNoiseFile(root).targets[target];
  if (!entry) return null;
  const here = currentMachineKey();
  const otherMachine =
    entry.machine.hostname !== here.machine.hostname || entry.machine.cpuModel !== here.machine.cpuModel || entry.machine.cores !== here.machine.cores || entry.runtime !== here.runtime;
  const stale = Date.now() - Date.parse(entry.measuredAt) > maxAgeDays * 86_400_000;
  return { entry, otherMachine, otherRuntime: engineOf(entry.runtime) !== engineOf(here.runtime), stale };
}
