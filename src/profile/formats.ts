/**
 * The profile files runtimes write, validated: Chrome's `.cpuprofile` (Node, Bun and
 * Deno `--cpu-prof`, the inspector's Profiler domain) and V8's sampling heap profile
 * (the inspector's HeapProfiler.stopSampling). A file that is not one of them is a user
 * error naming the file, never a crash deep in the ranking.
 */
import * as v from "valibot";
import { UserError } from "../errors.ts";

const CallFrameSchema = v.object({
  functionName: v.string(),
  url: v.string(),
  /** 0-based; -1 for native and synthetic frames. */
  lineNumber: v.number(),
  columnNumber: v.number(),
});

const CpuNodeSchema = v.object({
  id: v.number(),
  callFrame: CallFrameSchema,
  hitCount: v.optional(v.number()),
  children: v.optional(v.array(v.number())),
});

const CpuProfileSchema = v.object({
  nodes: v.pipe(v.array(CpuNodeSchema), v.minLength(1)),
  startTime: v.number(),
  endTime: v.number(),
  samples: v.optional(v.array(v.number())),
  timeDeltas: v.optional(v.array(v.number())),
});

interface HeapNodeShape {
  id?: number;
  callFrame: v.InferOutput<typeof CallFrameSchema>;
  selfSize: number;
  children: HeapNodeShape[];
}

const HeapNodeSchema: v.GenericSchema<HeapNodeShape> = v.object({
  id: v.optional(v.number()),
  callFrame: CallFrameSchema,
  selfSize: v.number(),
  children: v.array(v.lazy(() => HeapNodeSchema)),
});

const HeapProfileSchema = v.object({ head: HeapNodeSchema });

/** Where a function is, as a profiler names it. */
export type CallFrame = v.InferOutput<typeof CallFrameSchema>;
/** One node of a CPU profile's call tree. */
export type CpuNode = v.InferOutput<typeof CpuNodeSchema>;
/** A Chrome `.cpuprofile`: the call tree, and which node was on top at each sample. */
export type CpuProfile = v.InferOutput<typeof CpuProfileSchema>;
/** One node of a sampling heap profile's allocation tree. */
export type HeapNode = HeapNodeShape;
/** A V8 sampling heap profile: bytes sampled per allocating call stack. */
export type HeapProfile = v.InferOutput<typeof HeapProfileSchema>;

function parseWith<T extends v.GenericSchema>(schema: T, text: string, file: string, what: string): v.InferOutput<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not JSON (${(error as Error).message}); give a ${what} file`);
  }
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue.path?.map((p) => String(p.key)).join(".") || "(top level)";
    throw new UserError(`${file}: not a ${what} (${where}: ${issue.message})`);
  }
  return parsed.output;
}

/** Parses a `.cpuprofile`'s text; `file` names it in errors. */
export function parseCpuProfile(text: string, file: string): CpuProfile {
  return parseWith(CpuProfileSchema, text, file, ".cpuprofile (Chrome CPU profile)");
}

/** Parses a sampling heap profile's text (`{ head: … }`); `file` names it in errors. */
export function parseHeapProfile(text: string, file: string): HeapProfile {
  return parseWith(HeapProfileSchema, text, file, "sampling heap profile");
}
