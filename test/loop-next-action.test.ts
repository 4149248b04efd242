import { describe, expect, test } from "bun:test";
import { getDomain } from "../src/domains/domains.ts";
import { newRow, type ResultRow } from "../src/record/columns.ts";
import { escalationRow, milestoneRow } from "../src/record/row-kinds.ts";
import { DEFAULT_LOOP_CONFIG, type LoopConfig } from "../src/loop/config.ts";
import { nextAction, nextPattern, type NextAction, type RemainingTarget } from "../src/loop/next-action.ts";

const cpu = getDomain("cpu");
const TARGET = "src/price.ts#total";

/** A record built row by row, numbered as xloop numbers experiments. */
class Record {
  readonly rows: ResultRow[] = [];
  private next = 1;

  constructor() {
    this.rows.push(newRow({ experiment: this.next++, status: "baseline", target: TARGET, before: "2.00µs±0.01µs", commit: "base000" }));
  }

  keep(pattern: string, ratio = 0.9, target = TARGET): this {
    const experiment = this.next++;
    this.rows.push(
      newRow({ experiment, status: "keep", pattern, target, ratio: String(ratio), commit: `c0ffee${experiment}`, description: `${pattern} change ${experiment}` }),
    );
    return this;
  }

  discard(pattern: string, reason = "noise"): this {
    this.rows.push(newRow({ experiment: this.next++, status: "discard", pattern, target: TARGET, ratio: "0.999", reason }));
    return this;
  }

  discards(...patterns: string[]): this {
    for (const pattern of patterns) this.discard(pattern);
    return this;
  }

  escalate(signal: string, suggests: string): this {
    this.rows.push(escalationRow({ experiment: this.next++, signal, suggests, from: "cpu" }));
    return this;
  }

  milestone(): this {
    this.rows.push(milestoneRow({ experiment: this.next++, branch: "codeflash/milestone-v1", commit: "abc1234" }));
    return this;
  }

  decide(options: { config?: Partial<LoopConfig>; remainingTargets?: RemainingTarget[] } = {}): NextAction {
    return nextAction({
      rows: this.rows,
      domain: cpu,
      config: { ...DEFAULT_LOOP_CONFIG, ...options.config },
      remainingTargets: options.remainingTargets,
    });
  }
}

describe("strategy rotation", () => {
  test("two discards of one pattern are not yet a reason to rotate", () => {
    const next = new Record().keep("algorithm").discards("hoisting", "hoisting").decide();
    expect(next.action).toBe("continue");
    expect(next.shouldContinue).toBe(true);
  });

  test("the third discard of one pattern in a row rotates to the next pattern in the domain's order", () => {
    const next = new Record().keep("algorithm").discards("hoisting", "hoisting", "hoisting").decide();
    expect(next).toMatchObject({ action: "rotate", from: "hoisting", to: "specialization", shouldContinue: true });
    expect(next.reason).toContain("switch to specialization");
  });

  test("the last pattern of the rotation wraps around to the first", () => {
    const next = new Record().keep("caching").discards("batching", "batching", "batching").decide();
    expect(next).toMatchObject({ action: "rotate", from: "batching", to: "algorithm" });
  });

  test("rotation skips a pattern that has itself failed three times in a row", () => {
    const next = new Record()
      .discards("specialization", "specialization", "specialization")
      .keep("algorithm")
      .discards("hoisting", "hoisting", "hoisting")
      .decide();
    expect(next).toMatchObject({ action: "rotate", from: "hoisting", to: "builtin-replacement" });
  });

  test("a pattern's discards count in a row across other patterns' experiments until it is kept", () => {
    expect(nextPattern(cpu, "caching", { caching: 3 }, 3)).toBe("allocation-reduction");
    const next = new Record().discard("caching").keep("algorithm").discard("caching").keep("algorithm").discard("caching").decide();
    expect(next).toMatchObject({ action: "rotate", from: "caching" });
  });

  test("a keep of the pattern resets its count", () => {
    const next = new Record().discards("caching", "caching").keep("caching").discards("caching", "caching").decide();
    expect(next.action).toBe("continue");
  });
});

describe("plateau", () => {
  test("two discards across strategies is not a plateau", () => {
    expect(new Record().keep("algorithm").discards("hoisting", "caching").decide().action).toBe("continue");
  });

  test("three discards in a row across strategies asks for the non-optimizable check", () => {
    const next = new Record().keep("algorithm").discards("hoisting", "caching", "batching").decide();
    expect(next.action).toBe("plateau-check");
    if (next.action !== "plateau-check") return;
    expect(next.criteria).toEqual(cpu.nonOptimizable);
    expect(next.streakPatterns).toEqual(["hoisting", "caching", "batching"]);
  });

  test("at a plateau with the top three targets non-optimizable, the loop stops and says what is left", () => {
    const remainingTargets = [
      { target: "a.ts#f", nonOptimizable: true, why: "native addon" },
      { target: "b.ts#g", nonOptimizable: true, why: "under 2% of CPU" },
      { target: "c.ts#h", nonOptimizable: true, why: "output contract" },
      { target: "d.ts#i" },
    ];
    const next = new Record().keep("algorithm").discards("hoisting", "caching", "batching").decide({ remainingTargets });
    expect(next).toMatchObject({ action: "stop", criterion: "non-optimizable", shouldContinue: false });
    if (next.action === "stop") expect(next.report).toEqual(["a.ts#f: native addon", "b.ts#g: under 2% of CPU", "c.ts#h: output contract"]);
  });

  test("at a plateau with an optimizable target among the top three, the loop continues on it", () => {
    const remainingTargets = [{ target: "a.ts#f", nonOptimizable: true }, { target: "b.ts#g" }];
    const next = new Record().keep("algorithm").discards("hoisting", "caching", "batching").decide({ remainingTargets });
    expect(next).toMatchObject({ action: "continue", target: "b.ts#g" });
    expect(next.reason).toContain("plateau checked");
  });
});

describe("stuck recovery", () => {
  test("four discards in a row is not yet stuck", () => {
    const next = new Record().keep("algorithm").discards("hoisting", "caching", "batching", "hoisting").decide({
      remainingTargets: [{ target: "b.ts#g" }],
    });
    expect(next.action).not.toBe("recover");
  });

  test("the fifth discard in a row starts the recovery protocol, step by step, with what to combine and invert", () => {
    const record = new Record().keep("algorithm", 0.7).keep("data-structure", 0.8).discards("hoisting", "allocation-reduction", "specialization", "hoisting", "hoisting");
    const next = record.decide();
    expect(next.action).toBe("recover");
    if (next.action !== "recover") return;
    expect(next.recoveryStartedAt).toBe(8);
    expect(next.experimentsLeft).toBe(3);
    expect(next.steps).toHaveLength(7);
    expect(next.steps[0]).toStartWith("Re-read every in-scope file");
    expect(next.combine.map((t) => t.experiment)).toEqual([2, 3]);
    expect(next.steps[3]).toContain("algorithm change 2 (experiment 2)");
    expect(next.invert).toEqual([
      "local changes keep failing (hoisting, allocation-reduction, specialization): try a coarser, cross-function change — algorithm, data-structure, caching, batching",
    ]);
  });

  test("recovery never suggests inverting into a pattern that just failed", () => {
    const next = new Record().keep("algorithm").discards("hoisting", "caching", "batching", "hoisting", "hoisting").decide();
    if (next.action !== "recover") throw new Error(`expected recover, got ${next.action}`);
    expect(next.invert).toEqual([
      "local changes keep failing (hoisting): try a coarser, cross-function change — algorithm, data-structure",
      "structural changes keep failing (caching, batching): try a precise local change on the hottest path — allocation-reduction, specialization, builtin-replacement",
    ]);
    expect(next.steps[1]).toContain("discarded since the last keep: hoisting ×3, caching ×1, batching ×1; failed 3+ times overall: hoisting — avoid");
  });

  test("recovery continues through the third experiment after it started", () => {
    const record = new Record().keep("algorithm").discards("a", "b", "c", "d", "e", "f", "g");
    const next = record.decide();
    expect(next).toMatchObject({ action: "recover", experimentsLeft: 1 });
  });

  test("three more experiments without a keep after recovery started stop the loop", () => {
    const next = new Record().keep("algorithm").discards("a", "b", "c", "d", "e", "f", "g", "h").decide();
    expect(next).toMatchObject({ action: "stop", criterion: "recovery-exhausted", shouldContinue: false });
    if (next.action === "stop") expect(next.report[0]).toBe("tried since the last keep: a ×1, b ×1, c ×1, d ×1, e ×1, f ×1, g ×1, h ×1");
  });

  test("a keep during recovery ends it", () => {
    const next = new Record().discards("a", "b", "c", "d", "e", "f").keep("algorithm").decide();
    expect(next.action).toBe("continue");
  });
});

describe("milestones", () => {
  test("two keeps since the last milestone are not enough", () => {
    expect(new Record().keep("algorithm").keep("caching").decide().action).toBe("continue");
  });

  test("a milestone is due at three keeps and overdue at five", () => {
    const three = new Record().keep("algorithm").keep("caching").keep("hoisting").decide();
    expect(three).toMatchObject({ action: "milestone", version: 1, keepsSinceMilestone: 3, overdue: false });
    const five = new Record().keep("a").keep("b").keep("c").keep("d").keep("e").decide();
    expect(five).toMatchObject({ action: "milestone", keepsSinceMilestone: 5, overdue: true });
  });

  test("keeps are counted from the last milestone row, and the next milestone is numbered after it", () => {
    const record = new Record().keep("a").keep("b").keep("c").milestone().keep("d").keep("e");
    expect(record.decide().action).toBe("continue");
    expect(record.keep("f").decide()).toMatchObject({ action: "milestone", version: 2, keepsSinceMilestone: 3 });
  });

  test("a milestone list passed in replaces the record's milestone rows", () => {
    const record = new Record().keep("a").keep("b").keep("c");
    const next = nextAction({ rows: record.rows, domain: cpu, milestones: [3] });
    expect(next.state.keepsSinceMilestone).toBe(1);
    expect(next.action).toBe("continue");
  });
});

describe("stopping criteria", () => {
  test("the user's target reached stops the loop, with the figure labelled as a product of ratios", () => {
    const config = { targets: { [TARGET]: 0.3 } };
    expect(new Record().keep("a", 0.8).decide({ config }).action).toBe("continue");
    const next = new Record().keep("a", 0.8).keep("b", 0.85).decide({ config });
    expect(next).toMatchObject({ action: "stop", criterion: "target-reached", shouldContinue: false });
    expect(next.reason).toBe(`user target reached: ${TARGET} +32.0% ≥ 30% (product of kept ratios)`);
  });

  test("a target is reached only when every configured target is", () => {
    const config = { targets: { [TARGET]: 0.1, "other.ts#f": 0.1 } };
    expect(new Record().keep("a", 0.5).decide({ config }).action).toBe("continue");
  });

  test("three keeps in a row each under the configured gain are diminishing returns", () => {
    const config = { milestoneEvery: { min: 10, max: 10 } };
    expect(new Record().keep("a", 0.99).keep("b", 0.985).keep("c", 0.97).decide({ config }).action).toBe("continue");
    const next = new Record().keep("a", 0.99).keep("b", 0.985).keep("c", 0.99).decide({ config });
    expect(next).toMatchObject({ action: "stop", criterion: "diminishing-returns" });
    expect(next.reason).toBe("diminishing returns: the last 3 keeps gained +1.0%, +1.5%, +1.0%, each under 2%");
  });

  test("ten experiments that together gained under 2% are a cumulative stall", () => {
    const config = { milestoneEvery: { min: 10, max: 10 } };
    const stalled = new Record().keep("big", 0.5).discards("a", "b", "d").keep("c", 0.99).discards("e", "f", "g").keep("c", 0.995).discards("h", "i");
    const next = stalled.decide({ config });
    expect(next).toMatchObject({ action: "stop", criterion: "cumulative-stall" });
    expect(next.reason).toBe("cumulative stall: the last 10 experiments together gained +1.5%, under 2%");
    const moving = new Record().keep("big", 0.5).discards("a", "b", "d").keep("c", 0.99).discards("e", "f", "g").keep("c", 0.98).discards("h", "i");
    expect(moving.decide({ config }).action).toBe("continue");
  });
});

describe("escalation", () => {
  test("an open escalation is named and the loop waits for the user", () => {
    const next = new Record().keep("a").escalate("peak heap dominates runtime", "memory").decide();
    expect(next).toMatchObject({ action: "escalated", shouldContinue: false });
    expect(next.reason).toContain('experiment 3: "peak heap dominates runtime" suggests memory');
  });

  test("an experiment after the escalation shows the user chose to carry on", () => {
    const next = new Record().keep("a").escalate("peak heap dominates runtime", "memory").discard("b").decide();
    expect(next.action).toBe("continue");
  });
});

describe("the first step", () => {
  test("with a baseline and no experiments, start with the first pattern of the rotation", () => {
    const next = new Record().decide({ remainingTargets: [{ target: TARGET }] });
    expect(next).toMatchObject({ action: "continue", pattern: "algorithm", target: TARGET });
  });

  test("without a baseline, record one first", () => {
    const next = nextAction({ rows: [], domain: cpu });
    expect(next.reason).toContain("xloop baseline");
  });
});
