/**
 * The signals of another domain that a measurement in one domain notices: pure rules
 * over figures already measured, so the loop can say "this looks like a memory (async,
 * structure) problem" without switching. Each hint names the domain and the evidence in
 * one line, worded for `xloop escalate --to <domain> --signal "<line>"`.
 */

/** Figures a measurement may have; each rule uses the ones it needs and skips when absent. */
export interface EscalationFacts {
  /** The domain being measured. */
  domain: string;
  /** The target, as the user wrote it. */
  target: string;
  /** Time of one call, ns (CPU or async). */
  callNs?: number;
  /** Cold import time of the target's module, ms. */
  importMs?: number;
  /** Share of wall time an async target spent off the CPU (0-1). */
  waitingShare?: number;
  /** Whether the target returns a promise. */
  isAsync?: boolean;
  /** Heap growth per call that survives full GCs, bytes, and whether it was judged a leak. */
  growthPerCall?: number;
  leaking?: boolean;
  /** Bytes allocated per call. */
  allocatedPerCall?: number;
}

/** A hint to escalate. */
export interface EscalationHint {
  to: "cpu" | "memory" | "async" | "structure";
  signal: string;
}

/** Import time counts as the bottleneck from 10 ms, at 1,000 calls' worth or more. */
export const importDominates = { minimumMs: 10, callsWorth: 1000 };

/** Waiting counts as the bottleneck at 80% of an async target's wall time. */
export const waitingDominates = 0.8;

/** Allocation counts as a memory signal for a CPU target at 1 MiB per call. */
export const allocationHeavyBytes = 1024 * 1024;

function ms(value: number): string {
  return value >= 10 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`;
}

/**
 * The hints the figures support, none for the domain being measured: a leak or a MiB
 * allocated per call → memory; an async target waiting most of its time → async; an
 * import costing more than `importDominates` → structure.
 */
export function escalationHints(facts: EscalationFacts): EscalationHint[] {
  const hints: EscalationHint[] = [];
  if (facts.domain !== "memory") {
    if (facts.leaking && facts.growthPerCall !== undefined) {
      hints.push({ to: "memory", signal: `${facts.target} keeps ${Math.round(facts.growthPerCall)} bytes alive after every call (heap growing with the calls)` });
    } else if (facts.allocatedPerCall !== undefined && facts.allocatedPerCall >= allocationHeavyBytes) {
      hints.push({ to: "memory", signal: `${facts.target} allocates ${(facts.allocatedPerCall / 1048576).toFixed(1)} MiB per call, so GC pressure may dominate its time` });
    }
  }
  if (facts.domain !== "async" && facts.isAsync && facts.waitingShare !== undefined && facts.waitingShare >= waitingDominates) {
    hints.push({ to: "async", signal: `${facts.target} spends ${Math.round(facts.waitingShare * 100)}% of its time waiting, not computing` });
  }
  if (facts.domain !== "structure" && facts.importMs !== undefined && facts.callNs !== undefined && facts.callNs > 0) {
    const callsWorth = (facts.importMs * 1e6) / facts.callNs;
    if (facts.importMs >= importDominates.minimumMs && callsWorth >= importDominates.callsWorth) {
      hints.push({ to: "structure", signal: `importing ${facts.target.split("#")[0]} takes ${ms(facts.importMs)}, as long as ${Math.round(callsWorth).toLocaleString("en-US")} calls of ${facts.target}` });
    }
  }
  return hints;
}

/** The hint as the command that records it. */
export function escalateCommand(hint: EscalationHint, from: string): string {
  return `xloop escalate --to ${hint.to} --from ${from} --signal ${JSON.stringify(hint.signal)}`;
}
