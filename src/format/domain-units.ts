/** Units of the memory, async and structure domains. */
import { formatRate, formatSignificant } from "./units.ts";

/** Bytes in B, KiB, MiB or GiB, three significant digits. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "-";
  const abs = Math.abs(bytes);
  if (abs < 1024) return `${formatSignificant(bytes)} B`;
  if (abs < 1024 ** 2) return `${formatSignificant(bytes / 1024)} KiB`;
  if (abs < 1024 ** 3) return `${formatSignificant(bytes / 1024 ** 2)} MiB`;
  return `${formatSignificant(bytes / 1024 ** 3)} GiB`;
}

/** A value in a domain's unit: "B" as bytes, "ms" as milliseconds, "calls/s" as a rate. */
export function formatDomainValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return "-";
  if (unit === "B") return formatBytes(value);
  if (unit === "calls/s") return `${formatRate(value)} calls/s`;
  if (unit === "ms") return `${formatSignificant(value)} ms`;
  return `${formatSignificant(value)} ${unit}`;
}
