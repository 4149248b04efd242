/**
 * After an experiment's benchmark, the figures of other domains it can get cheaply, and
 * the escalation hints they support (loop/escalation-signals.ts): the target module's
 * cold import time against the call time; what its calls allocate and keep alive (a
 * quick memory look: heap growth with the calls, a MiB or more per call); and, for an
 * async target, the share of its time spent waiting. Measured in a few fresh processes
 * (one to three seconds); a measurement that fails only means no hint.
 */
import type { AbResult } from "../ab/run-ab.ts";
import type { CasesSpec, TargetSpec } from "../measure/protocol.ts";
import { ProbeKit } from "../structure/probe.ts";
import { timeImportOnce } from "../structure/import-time.ts";
import { runAsyncBench } from "../async/run-async.ts";
import { runMemoryBench } from "../memory/run-memory.ts";
import { median } from "../stats/descriptive.ts";
import { escalationHints, type EscalationFacts, type EscalationHint } from "../loop/escalation-signals.ts";

/** Cold import time of `file`: the median of three fresh processes after a discarded one, ms; undefined when it fails. */
async function coldImportMs(file: string, timeoutMs: number): Promise<number | undefined> {
  const kit = new ProbeKit();
  try {
    const times: number[] = [];
    for (let run = 0; run < 4; run++) {
      const result = await timeImportOnce(kit, file, timeoutMs);
      if (!("ms" in result)) return undefined;
      if (run > 0) times.push(result.ms);
    }
    return median(times);
  } finally {
    kit.dispose();
  }
}

/** The escalation hints for a CPU experiment's target (none for the other domains, whose own measurements carry their figures). */
export async function escalationFor(domain: string, target: TargetSpec, cases: CasesSpec, benchmark: AbResult, timeoutMs: number): Promise<EscalationHint[]> {
  if (domain !== "cpu" || !benchmark.base.ok) return [];
  const facts: EscalationFacts = { domain, target: target.label, callNs: benchmark.base.stats.median, isAsync: benchmark.base.facts.isAsync };
  facts.importMs = await coldImportMs(target.file, timeoutMs);
  // A quick memory look (3 batches, 4 retention chunks of 50 ms) in one fresh process.
  const [memory] = await runMemoryBench([target], cases, { processes: 1, timeoutMs, quick: true });
  if (memory.ok) Object.assign(facts, { leaking: memory.stats.leaking, growthPerCall: memory.stats.growthPerCall, allocatedPerCall: memory.stats.allocatedPerCall });
  if (facts.isAsync) {
    const [result] = await runAsyncBench([target], cases, { processes: 1, concurrency: [1], levelMs: 200, timeoutMs });
    if (result.ok) facts.waitingShare = result.stats.levels[0].waitingShare;
  }
  return escalationHints(facts);
}
