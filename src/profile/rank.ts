/**
 * The ranked bottleneck list: which of the user's functions to optimise first, from a
 * profile summary. Pure. The rule (codeflash's, made explicit):
 *   1. keep functions of the project's own code (dependencies with includeDeps);
 *   2. drop those whose self time is under the importance threshold (1% of busy time),
 *      unless they made a tenth of the sampled allocations (memory candidates);
 *   3. rank by self time plus callee time per call (self + callees / calls), or by self
 *      time alone when the call count is unknown (Bun and Deno give none).
 * "Callee time" is the time in callees that are not candidates themselves (runtime
 * builtins, dependencies): a sample counts for the innermost candidate on its stack.
 * Counting every callee, as codeflash's ttX does, put a thin `main` that only calls
 * the hot functions above them (measured on test/fixtures/profile-project.ts: main
 * first with 2% self time, the O(n^2) function with 60% second).
 * A function's total share is the ceiling of what optimising it can win (Amdahl's law).
 */
import { functionText, guessCategory, isAwaitingFunction } from "./category.ts";
import { exportedNameOf } from "./export-name.ts";
import type { FunctionStats, ProfileSummary } from "./function-stats.ts";
import { displayPath, originOf, pathOfUrl, type CodeOrigin } from "./location.ts";

/** The ranking rule in words, for `--help` and the reports. */
export const rankingRule =
  "functions of the project's own code (--include-deps adds dependencies) whose self time is at least the threshold (default 1% of busy CPU time), ranked by self time plus callee time per call (self + callees / calls, where callees are the runtime and library code it calls that is not itself on the list; self time alone where the runtime gives no call counts); a function's total time share is the most optimising it can win (Amdahl's law)";

/** How to rank. */
export interface RankOptions {
  /** The project's root: functions under it (outside node_modules) are the user's. */
  root: string;
  /** Self-time share under which a function is dropped (0.01 = 1%). */
  threshold: number;
  includeDeps: boolean;
  /** Calls per function key, when a counting run gave them. */
  calls?: Map<string, number>;
  /** The source text of a file path, for categories and exports (undefined when unreadable). */
  sourceOf: (path: string) => string | undefined;
}

/** A caller of a ranked function. */
export interface Caller {
  name: string;
  file: string;
  line: number;
  /** Share of the function's total time spent under this caller. */
  share: number;
}

/** One candidate of the list. */
export interface RankedFunction {
  rank: number;
  name: string;
  /** Relative to the project root when inside it. */
  file: string;
  line: number;
  origin: CodeOrigin;
  selfShare: number;
  totalShare: number;
  selfMs: number;
  totalMs: number;
  /** Times called, when counted. */
  calls: number | null;
  /** The ranking score in milliseconds: self + callees per call, or self alone. */
  scoreMs: number;
  /** Share of the sampled allocated bytes (0 without a heap profile). */
  allocatedShare: number;
  allocatedBytes: number;
  callers: Caller[];
  domain: "cpu" | "memory" | "async" | "structure";
  category: string | null;
  /** What in the source suggested the category. */
  evidence: string | null;
  /** The most optimising it can win, as a share of the workload's CPU time. */
  impact: number;
  /** `file#export` ready for bench/experiment, when the module exports it. */
  target: string | null;
}

/** Share of all sampled allocation that makes a function a candidate whatever its CPU time: the memory domain's list. */
const allocationShareForCandidate = 0.1;
/** Share of all sampled allocation above which an allocating function is a memory candidate, given a GC share above gcShareForMemory. */
const allocationShareForMemory = 0.2;
const gcShareForMemory = 0.1;

function domainOf(stats: FunctionStats, summary: ProfileSummary, text: string, categoryDomain: RankedFunction["domain"] | undefined): RankedFunction["domain"] {
  if (isAwaitingFunction(text)) return "async";
  const gcShare = summary.busyUs > 0 ? summary.gcUs / summary.busyUs : 0;
  const allocationShare = summary.allocatedBytes > 0 ? stats.allocatedBytes / summary.allocatedBytes : 0;
  if (allocationShare >= allocationShareForMemory && gcShare >= gcShareForMemory) return "memory";
  return categoryDomain === "async" ? "async" : categoryDomain === "memory" && gcShare >= gcShareForMemory ? "memory" : "cpu";
}

/** Time per candidate: each sample's time goes to the innermost candidate on its stack (its own self time included). */
function attributedTime(summary: ProfileSummary, candidates: ReadonlySet<string>): Map<string, number> {
  const time = new Map<string, number>();
  for (const stack of summary.stacks) {
    for (let i = stack.keys.length - 1; i >= 0; i--) {
      if (!candidates.has(stack.keys[i])) continue;
      time.set(stack.keys[i], (time.get(stack.keys[i]) ?? 0) + stack.us);
      break;
    }
  }
  return time;
}

/** The ranked candidates of a summary, best first. */
export function rankFunctions(summary: ProfileSummary, options: RankOptions): RankedFunction[] {
  const busy = summary.busyUs;
  if (busy <= 0) return [];
  const chosen = [...summary.functions.values()].filter((stats) => {
    const origin = originOf(stats.url, options.root);
    if (origin === "runtime" || (origin === "dependency" && !options.includeDeps)) return false;
    const allocationShare = summary.allocatedBytes > 0 ? stats.allocatedBytes / summary.allocatedBytes : 0;
    return stats.selfUs / busy >= options.threshold || allocationShare >= allocationShareForCandidate;
  });
  const attributed = attributedTime(summary, new Set(chosen.map((s) => s.key)));
  const ranked: RankedFunction[] = [];
  for (const stats of chosen) {
    const origin = originOf(stats.url, options.root);
    const selfShare = stats.selfUs / busy;
    const calls = options.calls?.get(stats.key) ?? null;
    const calleeUs = Math.max(0, (attributed.get(stats.key) ?? 0) - stats.selfUs);
    const scoreUs = calls !== null && calls > 0 ? stats.selfUs + calleeUs / calls : stats.selfUs;
    const path = pathOfUrl(stats.url);
    const source = path ? options.sourceOf(path) : undefined;
    const text = source ? functionText(source, stats.line) : "";
    const guess = text ? guessCategory(text) : undefined;
    const exported = source ? exportedNameOf(source, stats.name) : undefined;
    const file = displayPath(stats.url, options.root);
    const callers = [...stats.callers.entries()]
      .map(([key, us]) => ({ caller: summary.functions.get(key), us }))
      .filter((c): c is { caller: FunctionStats; us: number } => c.caller !== undefined)
      .sort((a, b) => b.us - a.us)
      .slice(0, 5)
      .map(({ caller, us }) => ({ name: caller.name, file: displayPath(caller.url, options.root), line: caller.line, share: stats.totalUs > 0 ? us / stats.totalUs : 0 }));
    ranked.push({
      rank: 0,
      name: stats.name,
      file,
      line: stats.line,
      origin,
      selfShare,
      totalShare: Math.min(1, stats.totalUs / busy),
      selfMs: stats.selfUs / 1000,
      totalMs: stats.totalUs / 1000,
      calls,
      scoreMs: scoreUs / 1000,
      allocatedShare: summary.allocatedBytes > 0 ? stats.allocatedBytes / summary.allocatedBytes : 0,
      allocatedBytes: stats.allocatedBytes,
      callers,
      domain: domainOf(stats, summary, text, guess?.domain),
      category: guess?.category ?? null,
      evidence: guess?.evidence ?? null,
      impact: Math.min(1, stats.totalUs / busy),
      target: exported !== undefined ? `${file}#${exported}` : null,
    });
  }
  ranked.sort((a, b) => b.scoreMs - a.scoreMs || b.selfShare - a.selfShare || a.file.localeCompare(b.file) || a.line - b.line);
  ranked.forEach((r, i) => (r.rank = i + 1));
  return ranked;
}
