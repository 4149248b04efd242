import { compareEncoded, type CompareOptions } from "./compare.ts";
import type { CaseRecord } from "./capture-protocol.ts";
import { renderValue } from "./render.ts";
import type { EncodedValue } from "./encoded.ts";

/** A difference located in a case. */
export interface CaseDifference {
  case: number;
  path: string;
  expected: string;
  actual: string;
  reason: string;
}

/** The outcome of comparing two runs of the same cases. */
export interface VerifyReport {
  equal: boolean;
  cases: number;
  casesDiffering: number;
  /** Index of every case that differs, ascending: all of them, however few differences `limit` lets be described. */
  differingCases: number[];
  /** The first `limit` differences. */
  differences: CaseDifference[];
  totalDifferences: number;
  maxRelativeDifference: number;
}

/** Options of the comparison: tolerance, key order, ignored paths, how many to describe. */
export type VerifyOptions = Pick<CompareOptions, "rtol" | "atol" | "keyOrder" | "ignore"> & { limit?: number };

function describeOutcome(record: CaseRecord): string {
  return record.outcome === "return" ? `returned ${renderValue(record.value as EncodedValue, "return", 60)}` : `threw ${renderValue(record.value as EncodedValue, "thrown", 60)}`;
}

/**
 * Compares the records of the original (expected) with a new run (actual), case by
 * case: the outcome kind, the returned value or thrown error, the arguments after
 * the call, and what was printed when both captured it.
 */
export function compareRecords(expected: readonly CaseRecord[], actual: readonly CaseRecord[], options: VerifyOptions = {}): VerifyReport {
  const limit = options.limit ?? 10;
  const differences: CaseDifference[] = [];
  let total = 0;
  let maxRelative = 0;
  const differingCases: number[] = [];
  const add = (caseNumber: number, d: Omit<CaseDifference, "case">) => {
    total++;
    if (differences.length < limit) differences.push({ case: caseNumber, ...d });
  };
  const count = Math.max(expected.length, actual.length);
  for (let i = 0; i < count; i++) {
    const e = expected[i];
    const a = actual[i];
    const before = total;
    if (!e || !a) {
      add(i, { path: "case", expected: e ? "present" : "<missing>", actual: a ? "present" : "<missing>", reason: "the number of cases differs" });
    } else if (e.outcome !== a.outcome) {
      add(i, { path: e.outcome === "return" ? "return" : "thrown", expected: describeOutcome(e), actual: describeOutcome(a), reason: "one returned, the other threw" });
    } else {
      for (const [root, x, y] of [
        [e.outcome === "return" ? "return" : "thrown", e.value, a.value],
        ["args", e.args, a.args],
      ] as const) {
        const c = compareEncoded(x as EncodedValue, y as EncodedValue, { ...options, root, limit: Math.max(0, limit - differences.length) });
        maxRelative = Math.max(maxRelative, c.maxRelativeDifference);
        for (const d of c.differences) add(i, d);
        total += c.totalDifferences - c.differences.length;
      }
      if (e.stdout !== undefined && a.stdout !== undefined && e.stdout !== a.stdout) {
        add(i, { path: "stdout", expected: JSON.stringify(e.stdout.slice(0, 60)), actual: JSON.stringify(a.stdout.slice(0, 60)), reason: "printed output differs" });
      }
    }
    if (total > before) differingCases.push(i);
  }
  return {
    equal: total === 0,
    cases: count,
    casesDiffering: differingCases.length,
    differingCases,
    differences,
    totalDifferences: total,
    maxRelativeDifference: maxRelative,
  };
}
