import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { UserError } from "../src/errors.ts";
import { DOMAIN_DEFINITIONS } from "../src/domains/definitions.ts";
import { domainNames, formatDomain, getDomain } from "../src/domains/domains.ts";
import { DomainSchema } from "../src/domains/schema.ts";

const MiB = 1024 * 1024;

describe("the domains", () => {
  test("there are exactly cpu, memory, async and structure, in that order", () => {
    expect([...domainNames]).toEqual(["cpu", "memory", "async", "structure"]);
  });

  test("every definition passes the schema", () => {
    for (const name of domainNames) expect(v.safeParse(DomainSchema, DOMAIN_DEFINITIONS[name]).success).toBe(true);
  });

  test("the micro-only thresholds are the loop's published ones", () => {
    const cpu = getDomain("cpu").thresholds.microOnly;
    expect([cpu.improvement, cpu.speedup]).toEqual([0.2, 2]);
    expect(cpu.requires).toContain("hot path");
    const memory = getDomain("memory").thresholds.microOnly;
    expect([memory.improvement, memory.absolute]).toEqual([0.1, { amount: 10 * MiB, unit: "bytes" }]);
    const async = getDomain("async").thresholds.microOnly;
    expect(async.improvement).toBe(0.2);
    expect(async.requires).toContain("representative concurrency");
  });

  test("cpu's noise threshold is 1%, not the 15% an uninterleaved loop needs", () => {
    expect(getDomain("cpu").thresholds.noise.improvement).toBe(0.01);
  });

  test("each domain escalates to every other domain and never to itself", () => {
    for (const name of domainNames) {
      const targets = new Set(getDomain(name).escalation.map((e) => e.suggests));
      expect(targets.has(name)).toBe(false);
      expect(targets.size).toBe(domainNames.length - 1);
    }
  });

  test("the cpu rotation order starts with the biggest levers", () => {
    expect(getDomain("cpu").rotation.map((s) => s.pattern)).toEqual([
      "algorithm",
      "data-structure",
      "caching",
      "allocation-reduction",
      "hoisting",
      "specialization",
      "builtin-replacement",
      "batching",
    ]);
  });

  test("each checklist is written for JavaScript engines, not Python", () => {
    const all = domainNames.map((name) => getDomain(name).checklist.join(" ")).join(" ");
    for (const topic of ["Hidden classes", "megamorphic", "Retained closures", "Sequential awaits", "Barrel files", "Circular imports"]) {
      expect(all).toContain(topic);
    }
    expect(all).not.toMatch(/\b(GIL|asyncio|coroutine|list comprehension)\b/i);
  });

  test("the shared definitions cannot be changed by a caller", () => {
    const cpu = getDomain("cpu");
    expect(() => {
      (cpu.thresholds.noise as { improvement: number }).improvement = 0.5;
    }).toThrow(TypeError);
    expect(getDomain("cpu").thresholds.noise.improvement).toBe(0.01);
  });
});

describe("the schema refuses broken definitions", () => {
  const cpu = DOMAIN_DEFINITIONS.cpu as Record<string, unknown>;

  test("a noise threshold above the keep threshold", () => {
    const thresholds = structuredClone(cpu.thresholds) as { noise: { improvement: number } };
    thresholds.noise.improvement = 0.5;
    expect(v.safeParse(DomainSchema, { ...cpu, thresholds }).success).toBe(false);
  });

  test("two strategies with the same pattern name", () => {
    const rotation = [...(cpu.rotation as unknown[]), (cpu.rotation as unknown[])[0]];
    expect(v.safeParse(DomainSchema, { ...cpu, rotation }).success).toBe(false);
  });

  test("an escalation to its own domain", () => {
    const escalation = [{ signal: "loops", suggests: "cpu" }];
    expect(v.safeParse(DomainSchema, { ...cpu, escalation }).success).toBe(false);
  });
});

describe("looking up a domain", () => {
  test("names are matched in any case", () => {
    expect(getDomain(" Memory ").name).toBe("memory");
  });

  test("an unknown name is a user error listing the valid ones", () => {
    expect(() => getDomain("gpu")).toThrow(UserError);
    expect(() => getDomain("gpu")).toThrow('unknown domain "gpu"; use one of cpu, memory, async, structure');
  });
});

describe("printing a domain", () => {
  test("the text names every threshold with its figure", () => {
    const text = formatDomain(getDomain("memory"));
    expect(text).toStartWith("memory — ");
    expect(text).toContain("micro-only 10% or 10 MiB");
    expect(text).toContain("noise      2%");
  });

  test("the text shows the rotation in order and numbers the checklist", () => {
    const domain = getDomain("async");
    const text = formatDomain(domain);
    expect(text).toContain(`Strategy rotation: ${domain.rotation.map((s) => s.pattern).join(" → ")}`);
    expect(text).toContain(`  ${domain.checklist.length}. ${domain.checklist.at(-1)}`);
  });

  test("the JSON form is the definition itself and survives a round trip", () => {
    const domain = getDomain("structure");
    expect(JSON.parse(JSON.stringify(domain))).toEqual(domain);
  });
});
