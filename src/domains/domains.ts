/**
 * xloop's domains — cpu, memory, async, structure — validated once, looked up by name,
 * and printed for people. `xloop domain <name> --json` prints the Domain object itself.
 */
import * as v from "valibot";
import { UserError } from "../errors.ts";
import { formatPercent } from "../format/units.ts";
import { DOMAIN_DEFINITIONS } from "./definitions.ts";
import { DOMAIN_NAMES, DomainSchema, type Domain, type DomainName } from "./schema.ts";

/** Re-exported so callers need only this module to look a domain up and type it. */
export type { Domain, DomainName } from "./schema.ts";

/** The domain names, in the order they are listed to users. */
export const domainNames: readonly DomainName[] = DOMAIN_NAMES;

/** Freezes nested objects too: one shared definition is handed to every caller, and none may change it. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Validated at load: a broken definition is a bug in xloop and must fail every command
 * (and the tests) at once, not surface mid-experiment.
 */
const DOMAINS: ReadonlyMap<DomainName, Domain> = new Map(
  DOMAIN_NAMES.map((name) => [name, deepFreeze(v.parse(DomainSchema, DOMAIN_DEFINITIONS[name]))] as const),
);

/** True when `name` is a domain name (exact, lower case). */
export function isDomainName(name: string): name is DomainName {
  return (DOMAIN_NAMES as readonly string[]).includes(name);
}

/** The domain called `name` (any case); a UserError listing the valid names when there is none. */
export function getDomain(name: string): Domain {
  const key = name.trim().toLowerCase();
  if (!isDomainName(key)) {
    throw new UserError(`unknown domain "${name}"; use one of ${DOMAIN_NAMES.join(", ")}`);
  }
  return DOMAINS.get(key)!;
}

function formatThreshold(label: string, threshold: Domain["thresholds"]["keep"]): string {
  const bars = [`${formatPercent(threshold.improvement)}`];
  if (threshold.speedup !== undefined) bars.push(`${threshold.speedup}x`);
  if (threshold.absolute) {
    const { amount, unit } = threshold.absolute;
    bars.push(unit === "bytes" && amount >= 1024 * 1024 ? `${amount / (1024 * 1024)} MiB` : `${amount} ${unit}`);
  }
  return `  ${label.padEnd(11)}${bars.join(" or ")} — ${threshold.rule}`;
}

/** The domain as text for a person: every field, in the order a person would use them. */
export function formatDomain(domain: Domain): string {
  const lines = [`${domain.name} — ${domain.summary}`, "", "Metrics:"];
  for (const metric of domain.metrics) {
    const tags = [metric.unit, `${metric.better} is better`, ...(metric.primary ? ["primary"] : [])];
    lines.push(`  ${metric.name} (${tags.join(", ")}): ${metric.how}`);
  }
  lines.push("", "Thresholds:");
  lines.push(formatThreshold("keep", domain.thresholds.keep));
  lines.push(`${formatThreshold("micro-only", domain.thresholds.microOnly)} (requires: ${domain.thresholds.microOnly.requires})`);
  lines.push(formatThreshold("noise", domain.thresholds.noise));
  lines.push("", "Reasoning checklist (answer every question before changing code):");
  domain.checklist.forEach((question, index) => lines.push(`  ${index + 1}. ${question}`));
  lines.push("", `Strategy rotation: ${domain.rotation.map((s) => s.pattern).join(" → ")}`);
  for (const strategy of domain.rotation) lines.push(`  ${strategy.pattern} (${strategy.scope}): ${strategy.summary}`);
  lines.push("", "Non-optimizable when:");
  for (const criterion of domain.nonOptimizable) lines.push(`  - ${criterion}`);
  lines.push("", "Profiling sources:");
  for (const { source, shows } of domain.profiling) lines.push(`  - ${source}: ${shows}`);
  lines.push("", "Escalate when:");
  for (const { signal, suggests } of domain.escalation) lines.push(`  - ${signal} → ${suggests}`);
  return `${lines.join("\n")}\n`;
}
