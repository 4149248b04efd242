import { describe, expect, test } from "bun:test";
import { escalateCommand, escalationHints } from "../src/loop/escalation-signals.ts";

describe("escalation signals", () => {
  test("an import as long as thousands of calls points to structure; a quick one does not", () => {
    const hints = escalationHints({ domain: "cpu", target: "src/p.ts#f", callNs: 2_000, importMs: 40 });
    expect(hints).toEqual([{ to: "structure", signal: "importing src/p.ts takes 40 ms, as long as 20,000 calls of src/p.ts#f" }]);
    expect(escalationHints({ domain: "cpu", target: "p.ts#f", callNs: 2_000, importMs: 3 })).toEqual([]);
    expect(escalationHints({ domain: "cpu", target: "p.ts#f", callNs: 5e6, importMs: 40 })).toEqual([]);
  });

  test("a leak or a MiB per call points to memory, an async target mostly waiting to async", () => {
    expect(escalationHints({ domain: "cpu", target: "p.ts#f", leaking: true, growthPerCall: 1024 })[0]).toEqual({ to: "memory", signal: "p.ts#f keeps 1024 bytes alive after every call (heap growing with the calls)" });
    expect(escalationHints({ domain: "cpu", target: "p.ts#f", allocatedPerCall: 3 * 1048576 })[0].to).toBe("memory");
    expect(escalationHints({ domain: "cpu", target: "p.ts#f", isAsync: true, waitingShare: 0.95 })).toEqual([{ to: "async", signal: "p.ts#f spends 95% of its time waiting, not computing" }]);
    expect(escalationHints({ domain: "cpu", target: "p.ts#f", isAsync: true, waitingShare: 0.3 })).toEqual([]);
  });

  test("no hint points to the domain being measured, and each becomes an escalate command", () => {
    expect(escalationHints({ domain: "memory", target: "p.ts#f", leaking: true, growthPerCall: 1024 })).toEqual([]);
    expect(escalationHints({ domain: "structure", target: "p.ts#f", callNs: 2_000, importMs: 40 })).toEqual([]);
    expect(escalateCommand({ to: "memory", signal: 'keeps "x" alive' }, "cpu")).toBe('xloop escalate --to memory --from cpu --signal "keeps \\"x\\" alive"');
  });
});
