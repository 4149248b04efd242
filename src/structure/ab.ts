/**
 * `ab --domain structure`: the import time of two entries compared in cold processes,
 * base and head alternately (ABBA), each pair's ratio one replicate of the paired
 * sequential decision that CPU comparisons use.
 */
import { failedOutcome, runSequential, type SequentialSettings } from "../ab/sequential-run.ts";
import { domainAbResult, domainSide, type DomainAbResult } from "../ab/domain-result.ts";
import type { Failure } from "../measure/protocol.ts";
import { ProbeKit } from "./probe.ts";
import { timeImportOnce } from "./import-time.ts";

/** An entry to compare: its absolute path and how the user wrote it. */
export interface EntrySpec {
  file: string;
  label: string;
}

/**
 * Compares the cold import time of `head` against `base`. Each round runs two pairs of
 * processes, base-head then head-base, so neither side always runs first; a warm-up
 * process of each goes first and is not counted (it fills the file and transpile caches).
 */
export async function runImportAb(
  base: EntrySpec,
  head: EntrySpec,
  settings: SequentialSettings & { timeoutMs: number },
  progress?: (done: number, label: string) => void,
): Promise<DomainAbResult> {
  const what = { domain: "structure", metric: "import time of the entry in a fresh process", unit: "ms", threshold: settings.threshold };
  const kit = new ProbeKit();
  const baseValues: number[] = [];
  const headValues: number[] = [];
  const time = async (side: EntrySpec): Promise<number | Failure> => {
    const result = await timeImportOnce(kit, side.file, settings.timeoutMs);
    return "ms" in result ? result.ms : { kind: "load", message: `${side.label}: ${result.error}` };
  };
  try {
    for (const side of [base, head]) {
      const warm = await time(side);
      if (typeof warm !== "number") return domainAbResult(what, domainSide(base.label, []), domainSide(head.label, []), failedOutcome(warm));
    }
    const outcome = await runSequential(
      settings,
      async () => {
        const ratios: number[] = [];
        for (const order of [[base, head], [head, base]]) {
          const times = new Map<EntrySpec, number>();
          for (const side of order) {
            const t = await time(side);
            if (typeof t !== "number") return { ratios, failure: t };
            times.set(side, t);
          }
          baseValues.push(times.get(base)!);
          headValues.push(times.get(head)!);
          ratios.push(times.get(head)! / times.get(base)!);
        }
        return { ratios };
      },
      progress,
    );
    return domainAbResult(what, domainSide(base.label, baseValues), domainSide(head.label, headValues), outcome);
  } finally {
    kit.dispose();
  }
}
