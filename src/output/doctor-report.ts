/** `xloop doctor`'s human report: one line per check, its fix beneath, then the verdict for 1% decisions. */
import type { DoctorCheck } from "../doctor/doctor.ts";
import { paint, type Terminal } from "../format/terminal.ts";

const marks = { ok: "ok", info: "--", warning: "!!", problem: "XX" } as const;
const styles = { ok: "green", info: "dim", warning: "yellow", problem: "red" } as const;

/** The report; `reasons` are the problems that make the machine unfit for 1% decisions. */
export function renderDoctorHuman(checks: DoctorCheck[], reasons: string[], wallMs: number, terminal: Terminal): string {
  const lines = ["xloop doctor"];
  for (const c of checks) {
    lines.push(`${paint(terminal, styles[c.status], `[${marks[c.status]}]`)} ${c.id.padEnd(9)} ${c.detail}`);
    if (c.fix && c.status !== "ok") lines.push(paint(terminal, "dim", `     ${"".padEnd(9)} fix: ${c.fix}`));
  }
  lines.push("");
  lines.push(
    reasons.length === 0
      ? paint(terminal, "green", "fit for 1% decisions: no problem found")
      : paint(terminal, "red", `unfit for 1% decisions: ${reasons.map((r) => r.split(":")[0]).join(", ")} (see [XX] above)`),
  );
  lines.push(paint(terminal, "dim", `checked in ${(wallMs / 1000).toFixed(1)} s`));
  return lines.join("\n");
}
