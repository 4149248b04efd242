/**
 * The domain checklist's answers, kept with each experiment in
 * `.codeflash/checklists/exp-<N>.md` (given with `experiment --checklist <file>`, or as
 * a `## Checklist` section of the message's body). `history` and `learnings` quote
 * them; `status` says which experiments went without.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic.ts";
import { codeflashPaths } from "../project/codeflash-paths.ts";

/** The folder holding the answers, under the folder holding `.codeflash`. */
export function checklistDir(root: string): string {
  return codeflashPaths(root).checklists;
}

/** Stores an experiment's answers (replacing a rework's earlier ones) and returns the path relative to `root`. */
export function writeChecklist(root: string, experiment: number, text: string): string {
  const relative = `.codeflash/checklists/exp-${experiment}.md`;
  writeFileAtomic(join(root, relative), `${text.trim()}\n`);
  return relative;
}

/** The experiment numbers with stored answers. */
export function answeredExperiments(root: string): Set<number> {
  const dir = checklistDir(root);
  if (!existsSync(dir)) return new Set();
  return new Set(readdirSync(dir).flatMap((name) => {
    const match = /^exp-(\d+)\.md$/.exec(name);
    return match ? [Number(match[1])] : [];
  }));
}

/** Every stored answer text, by experiment number. */
export function readChecklists(root: string): Map<number, string> {
  return new Map([...answeredExperiments(root)].map((n) => [n, readFileSync(join(checklistDir(root), `exp-${n}.md`), "utf8")]));
}

/** The answers on one line, for a bullet: list markers and headings dropped, at most `max` characters. */
export function checklistLine(text: string, max = 240): string {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.replace(/^#+\s*|^[-*+]\s+|^\d+\.\s+/, "").trim())
    .filter((l) => l && !/^checklist$/i.test(l))
    .join("; ");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Splits an experiment's message: its first line is the description (the commit's
 * subject); the rest is the commit's body, whose `## Checklist` section, when there is
 * one, holds the checklist's answers.
 */
export function splitMessage(message: string): { description: string; body: string | undefined; checklist: string | undefined } {
  const [first, ...rest] = message.trim().split(/\r?\n/);
  const body = rest.join("\n").trim() || undefined;
  if (!body) return { description: first!.trim(), body, checklist: undefined };
  const lines = body.split("\n");
  const start = lines.findIndex((l) => /^##\s+checklist\s*$/i.test(l.trim()));
  if (start < 0) return { description: first!.trim(), body, checklist: undefined };
  const end = lines.findIndex((l, i) => i > start && /^##\s/.test(l.trim()));
  const checklist = lines.slice(start + 1, end < 0 ? undefined : end).join("\n").trim() || undefined;
  return { description: first!.trim(), body, checklist };
}
