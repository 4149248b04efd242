import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import * as v from "valibot";
import { UserError } from "../errors.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import type { CaseRecord } from "./capture-protocol.ts";
import type { CasesSpec } from "../measure/protocol.ts";
import { parseCases } from "../target/parse.ts";
import { codeflashPaths } from "../project/codeflash-paths.ts";

/**
 * Version of the oracle file format this xloop writes; it reads every version up to
 * it. 2: the runtime's built-ins (URL, URLSearchParams, Headers, Blob, File,
 * TextEncoder/Decoder, AbortSignal, Response, Request) are stored by value instead of
 * as unknown, and a DOMException with its message and name. Bumped so that an older
 * xloop refuses such a file instead of misreading tags it does not know; a format-1
 * file still loads, and its unknown built-ins are reported as different with a
 * re-capture hint (see {@link olderFormatNote}).
 */
export const oracleFormatVersion = 2;

/**
 * A note for a verification against an oracle written in an older format, whose
 * stored encodings of some values differ from today's even when the code did not
 * change; undefined for a current one.
 */
export function olderFormatNote(oracle: Pick<OracleFile, "version" | "target">): string | undefined {
  if (oracle.version >= oracleFormatVersion) return undefined;
  return (
    `${oracle.target}: the oracle was captured by an older xloop (format ${oracle.version}), which stored URL, Headers, Blob and other built-ins as not comparable ` +
    `and DOMExceptions without message and name; if those differ, re-capture it with \`xloop oracle capture\``
  );
}

/** A stored oracle: the original outputs of one target on its cases. */
export interface OracleFile {
  version: number;
  /** path#export, relative to the folder holding .codeflash. */
  target: string;
  /** --cases as given, or the --args JSON, or null. */
  cases: { kind: "none" } | { kind: "args"; json: string } | { kind: "module"; spec: string };
  casesFingerprint: string;
  runtime: string;
  commit: string | null;
  dirty: boolean | null;
  capturedAt: string;
  /** Path patterns excluded from verification (given at capture). */
  ignore: string[];
  /** Paths whose values differed between the two capture runs. */
  nondeterministic: { case: number; path: string }[];
  records: CaseRecord[];
}

const OracleSchema = v.object({
  version: v.number(),
  target: v.string(),
  cases: v.union([
    v.object({ kind: v.literal("none") }),
    v.object({ kind: v.literal("args"), json: v.string() }),
    v.object({ kind: v.literal("module"), spec: v.string() }),
  ]),
  casesFingerprint: v.string(),
  runtime: v.string(),
  commit: v.nullable(v.string()),
  dirty: v.nullable(v.boolean()),
  capturedAt: v.string(),
  ignore: v.array(v.string()),
  nondeterministic: v.array(v.object({ case: v.number(), path: v.string() })),
  records: v.array(
    v.object({
      outcome: v.picklist(["return", "throw"]),
      value: v.unknown(),
      args: v.unknown(),
      stdout: v.optional(v.string()),
    }),
  ),
});

/** Where a target's oracle lives: a readable name plus a hash, so distinct targets never collide. */
export function oraclePath(root: string, target: string): string {
  const readable = target.replace(/[^A-Za-z0-9._-]+/g, "_").slice(-80);
  const hash = createHash("sha256").update(target).digest("hex").slice(0, 8);
  return join(codeflashPaths(root).oracles, `${readable}.${hash}.json`);
}

/** Reads and checks a stored oracle; every problem is one clear error and the file is left as it is. */
export function readOracle(root: string, target: string): OracleFile {
  const path = oraclePath(root, target);
  if (!existsSync(path)) {
    throw new UserError(`${target}: no oracle captured yet (${path}); run \`xloop oracle capture ${target} --cases ...\` first`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UserError(`${path}: the oracle file is corrupt (${(error as Error).message}); re-capture it with \`xloop oracle capture ${target}\``);
  }
  const version = (raw as { version?: unknown })?.version;
  if (typeof version === "number" && version > oracleFormatVersion) {
    throw new UserError(`${path}: written by a newer xloop (format ${version}, this one reads ${oracleFormatVersion}); upgrade xloop or re-capture`);
  }
  const parsed = v.safeParse(OracleSchema, raw);
  if (!parsed.success) {
    const where = parsed.issues[0].path?.map((p) => String(p.key)).join(".") ?? "";
    throw new UserError(`${path}: the oracle file is corrupt (${where ? `${where}: ` : ""}${parsed.issues[0].message}); re-capture it with \`xloop oracle capture ${target}\``);
  }
  return parsed.output as OracleFile;
}

/**
 * The cases a stored oracle was captured with, as a cases spec relative to `root`;
 * null when the target has no oracle. Later steps (experiment, milestone, verify)
 * reuse them so every measurement of a target runs on the same inputs.
 */
export function storedCases(root: string, target: string): CasesSpec | null {
  if (!existsSync(oraclePath(root, target))) return null;
  return casesSpecOf(readOracle(root, target).cases, root);
}

/** An oracle's record of its cases as a cases spec (module paths are relative to `root`). */
export function casesSpecOf(cases: OracleFile["cases"], root: string): CasesSpec {
  return cases.kind === "module" ? parseCases({ cases: cases.spec }, root) : cases;
}

/** Stores an oracle atomically: a crash leaves the previous file intact. */
export function writeOracle(root: string, oracle: OracleFile): string {
  const path = oraclePath(root, oracle.target);
  writeFileAtomic(path, JSON.stringify(oracle));
  return path;
}
