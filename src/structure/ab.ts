/**
 * `ab --domain structure`: the import time of two entries compared in cold processes,
 * base and head alternately (ABBA), each round's ratio one replicate of the paired
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
 * Compares the cold import time of `head` against `base`. Each round runs three cold
 * processes per side in ABBA order and compares the fastest of each side's three (one
 * replicate); a warm-up process of each goes first and is not counted (it fills the
 * file and transpile caches).
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
        // Three cold processes per side, in the order b h h b b h: the host's interference
        // (a process descheduled mid-import, a busy disk) only ever adds time, so the
        // fastest of three is each side's figure, and their ratio one replicate.
        const times = new Map<EntrySpec, number[]>([
          [base, []],
          [head, []],
        ]);
        for (const side of [base, head, head, base, base, head]) {
          const t = await time(side);
          if (typeof t !== "number") return { ratios: [], failure: t };
          times.get(side)!.push(t);
        }
        const b = Math.min(...times.get(base)!);
        const h = Math.min(...times.get(head)!);
        baseValues.push(b);
        headValues.push(h);
        return { ratios: [h / b] };
      },
      progress,
    );
    return domainAbResult(what, domainSide(base.label, baseValues), domainSide(head.label, headValues), outcome);
  } finally {
    kit.dispose();
  }
}
