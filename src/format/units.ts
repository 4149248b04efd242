/** Nanoseconds per time unit, under every spelling users and records write (one table for parsing and printing). */
export const nsPerUnit: Readonly<Record<string, number>> = { ps: 1e-3, ns: 1, us: 1e3, "µs": 1e3, "μs": 1e3, ms: 1e6, s: 1e9, m: 60e9, min: 60e9 };

/** The units a duration is printed in, smallest first. */
export const timeUnits = [
  { unit: "ps", ns: 1e-3 },
  { unit: "ns", ns: 1 },
  { unit: "µs", ns: 1e3 },
  { unit: "ms", ns: 1e6 },
  { unit: "s", ns: 1e9 },
] as const;

/**
 * Formats a duration in nanoseconds with the unit that suits it, the way a reader
 * scans a column: 3 significant digits, ps for sub-nanosecond values.
 */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  const abs = Math.abs(ns);
  let index = 0;
  while (index < timeUnits.length - 1 && abs >= timeUnits[index + 1].ns) index++;
  return `${formatSignificant(ns / timeUnits[index].ns)} ${timeUnits[index].unit}`;
}

/** Three significant digits without exponent notation (1.23, 12.3, 123, 1234). */
export function formatSignificant(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100 || abs === 0) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Operations per second, with a k/M/G suffix. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return "-";
  const abs = Math.abs(perSecond);
  if (abs >= 1e9) return `${formatSignificant(perSecond / 1e9)}G`;
  if (abs >= 1e6) return `${formatSignificant(perSecond / 1e6)}M`;
  if (abs >= 1e3) return `${formatSignificant(perSecond / 1e3)}k`;
  return formatSignificant(perSecond);
}

/** A ratio like 0.887x. */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(3)}x` : "-";
}

/**
 * A fraction as a percentage to at most two decimals, trailing zeros dropped (5%, 1.25%):
 * thresholds and goals read back the way the user wrote them.
 */
export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}

/** A relative half-width like ±2% or ±0.35%, to two significant digits. */
export function formatPlusMinus(fraction: number): string {
  return `±${Number((fraction * 100).toPrecision(2))}%`;
}
