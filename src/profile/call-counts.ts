/**
 * How many times each function ran, from V8's precise coverage (NODE_V8_COVERAGE):
 * a sampling profile says where time went but not how often a function was called,
 * and the ranking rule needs the time per call. Pure: coverage and sources in, counts out.
 */
import * as v from "valibot";

const RangeSchema = v.object({ startOffset: v.number(), endOffset: v.number(), count: v.number() });
const CoverageFunctionSchema = v.object({ functionName: v.string(), ranges: v.pipe(v.array(RangeSchema), v.minLength(1)) });
const CoverageScriptSchema = v.object({ url: v.string(), functions: v.array(CoverageFunctionSchema) });
const CoverageFileSchema = v.object({ result: v.array(CoverageScriptSchema) });

/** One script's functions with their ranges, as V8 reports them. */
export type CoverageScript = v.InferOutput<typeof CoverageScriptSchema>;

/** The scripts of one NODE_V8_COVERAGE file; undefined when the text is not one. */
export function parseCoverageFile(text: string): CoverageScript[] | undefined {
  try {
    const parsed = v.safeParse(CoverageFileSchema, JSON.parse(text));
    return parsed.success ? parsed.output.result : undefined;
  } catch {
    return undefined;
  }
}

/** The character offset of a 1-based line and column in `source`, or undefined past its end. */
export function offsetOf(source: string, line: number, column: number): number | undefined {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const newline = source.indexOf("\n", offset);
    if (newline < 0) return undefined;
    offset = newline + 1;
  }
  return offset + Math.max(0, column - 1);
}

/** A function to count: where the CPU profile says it starts. */
export interface CountQuery {
  key: string;
  name: string;
  url: string;
  line: number;
  column: number;
}

/**
 * Calls per function: for each query, the innermost coverage function of the same
 * script whose range holds the profile's start position (preferring the same name),
 * summed over every process's coverage. Queries whose script or source is unknown
 * get no count.
 */
export function callCounts(queries: readonly CountQuery[], coverage: readonly CoverageScript[], sourceOf: (url: string) => string | undefined): Map<string, number> {
  const scriptsByUrl = new Map<string, CoverageScript[]>();
  for (const script of coverage) {
    const list = scriptsByUrl.get(script.url) ?? [];
    list.push(script);
    scriptsByUrl.set(script.url, list);
  }
  const counts = new Map<string, number>();
  for (const query of queries) {
    const scripts = scriptsByUrl.get(query.url);
    if (!scripts || query.line === 0) continue;
    const source = sourceOf(query.url);
    if (source === undefined) continue;
    const position = offsetOf(source, query.line, query.column);
    if (position === undefined) continue;
    let total: number | undefined;
    for (const script of scripts) {
      let best: { size: number; named: boolean; count: number } | undefined;
      for (const fn of script.functions) {
        const range = fn.ranges[0];
        if (position < range.startOffset || position >= range.endOffset) continue;
        // The whole-script pseudo-function has no name and spans everything: only a fallback.
        const named = fn.functionName === query.name || (fn.functionName === "" && (query.name === "(anonymous)" || query.name === "(top level)"));
        const size = range.endOffset - range.startOffset;
        if (!best || (named && !best.named) || (named === best.named && size < best.size)) best = { size, named, count: range.count };
      }
      if (best?.named) total = (total ?? 0) + best.count;
    }
    if (total !== undefined) counts.set(query.key, total);
  }
  return counts;
}
