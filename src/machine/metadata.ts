import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { simpleGit } from "simple-git";
import { runtimeInfo } from "../runtime/runtime.ts";
import { allowedCpus } from "../pin/pin.ts";
import { xloopVersion } from "../version.ts";

/** The machine facts every JSON result carries, so a figure can be judged later. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  allowedCpus: number[];
  memoryBytes: number;
  /** 1, 5 and 15-minute load averages at the start of the run. */
  loadAverage: [number, number, number];
  /** e.g. "performance", or null when the kernel does not expose it (VMs). */
  governor: string | null;
  platform: string;
  arch: string;
}

/** Reads the machine's facts (cheap: no subprocess). */
export function machineInfo(): MachineInfo {
  let governor: string | null = null;
  try {
    governor = readFileSync("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "utf8").trim();
  } catch {
    governor = null;
  }
  const list = cpus();
  const [l1, l5, l15] = loadavg();
  return {
    cpuModel: list[0]?.model?.trim() ?? "unknown",
    cores: list.length,
    allowedCpus: allowedCpus(),
    memoryBytes: totalmem(),
    loadAverage: [l1, l5, l15],
    governor,
    platform: process.platform,
    arch: process.arch,
  };
}

/** The repository state of a measured file: which code the figures belong to. */
export interface GitInfo {
  commit: string | null;
  dirty: boolean | null;
}

/** Commit and dirty flag of the repository holding `dir`, or nulls outside one. */
export async function gitInfo(dir: string): Promise<GitInfo> {
  try {
    const git = simpleGit({ baseDir: dir });
    const commit = (await git.revparse(["HEAD"])).trim();
    const status = await git.status();
    return { commit, dirty: !status.isClean() };
  } catch {
    return { commit: null, dirty: null };
  }
}

/** The header of every JSON document. */
export function runHeader() {
  return { xloop: xloopVersion, runtime: runtimeInfo(), machine: machineInfo() };
}
