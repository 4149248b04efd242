/**
 * Profiles as one speedscope file (https://www.speedscope.app/file-format-schema.json):
 * one sampled profile per process or thread, frames shared. Pure.
 */
import { stacksOf } from "./call-tree.ts";
import type { CpuProfile } from "./formats.ts";
import { displayName, weightedSamples } from "./function-stats.ts";

/** The speedscope document for `profiles`, each named (file, runtime). */
export function toSpeedscope(profiles: readonly { name: string; profile: CpuProfile }[], title: string): object {
  const frames: { name: string; file?: string; line?: number; col?: number }[] = [];
  const frameIndex = new Map<string, number>();
  const indexOf = (name: string, url: string, line: number, column: number): number => {
    const key = `${name}\u0000${url}\u0000${line}:${column}`;
    let index = frameIndex.get(key);
    if (index === undefined) {
      index = frames.length;
      frameIndex.set(key, index);
      frames.push(url ? { name, file: url, line: line + 1, col: column + 1 } : { name });
    }
    return index;
  };
  const out = profiles.map(({ name, profile }) => {
    const stacks = stacksOf(profile);
    const { nodes, weights } = weightedSamples(profile);
    const samples = nodes.map((id) => (stacks.get(id) ?? []).map((f) => indexOf(displayName(f), f.url, f.lineNumber, f.columnNumber)));
    const total = weights.reduce((a, b) => a + b, 0);
    return { type: "sampled", name, unit: "microseconds", startValue: 0, endValue: total, samples, weights };
  });
  return {
    $schema: "https://www.speedscope.app/file-format-schema.json",
    shared: { frames },
    profiles: out,
    name: title,
    activeProfileIndex: 0,
    exporter: "xloop profile",
  };
}
