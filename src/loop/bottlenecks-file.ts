/**
 * `.codeflash/bottlenecks.json`: the ranked list of optimisation candidates a profile
 * run leaves behind. The loop's plateau stop reads it (the top candidates' states decide
 * whether to stop); the profile commands write it. Absent is normal (no profile has run):
 * the reader then returns undefined and callers fall back to the record's own targets.
 */
import { existsSync, readFileSync } from "node:fs";
import * as v from "valibot";
import { UserError } from "../errors.ts";
import { codeflashPaths } from "../project/codeflash-paths.ts";

/** Version of the bottlenecks file format this xloop reads and writes. */
export const bottlenecksSchemaVersion = 1;

const CandidateSchema = v.object({
  rank: v.number(),
  name: v.string(),
  file: v.string(),
  line: v.number(),
  target: v.nullable(v.string()),
  selfShare: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  totalShare: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  domain: v.string(),
  category: v.nullable(v.string()),
  impact: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
});

const BottlenecksSchema = v.object({
  schema: v.literal(bottlenecksSchemaVersion),
  commit: v.string(),
  createdAt: v.string(),
  command: v.string(),
  candidates: v.array(CandidateSchema),
});

/** One ranked candidate: a function the profile found hot, with where it lives and its share of the time. */
export type BottleneckCandidate = v.InferOutput<typeof CandidateSchema>;

/** The whole file: which commit and command were profiled, and the candidates, best first. */
export type Bottlenecks = v.InferOutput<typeof BottlenecksSchema>;

/** Where the bottlenecks file lives under the folder holding `.codeflash`. */
export function bottlenecksPath(root: string): string {
  return codeflashPaths(root).bottlenecks;
}

/**
 * The bottlenecks file under `root`, with its candidates sorted by rank; undefined when
 * there is none. A file that exists but is not valid JSON of this schema is a user
 * error naming the file (re-profiling rewrites it), never silently ignored.
 */
export function readBottlenecks(root: string): Bottlenecks | undefined {
  const file = bottlenecksPath(root);
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${(error as Error).message}); delete it or run the profile again`);
  }
  const parsed = v.safeParse(BottlenecksSchema, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue.path?.map((p) => String(p.key)).join(".") ?? "(top level)";
    throw new UserError(`${file}: ${where}: ${issue.message}; delete it or run the profile again`);
  }
  const result = parsed.output;
  return { ...result, candidates: [...result.candidates].sort((a, b) => a.rank - b.rank) };
}
