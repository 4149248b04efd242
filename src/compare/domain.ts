/**
 * `compare --domain memory|async|structure`: one target (an entry module for structure,
 * path#export otherwise) of two git revisions, each checked out in a temporary
 * worktree, compared on the domain's metric with the domain's paired comparison.
 */
import path from "node:path";
import type { DomainAbResult } from "../ab/domain-result.ts";
import type { SequentialSettings } from "../ab/sequential-run.ts";
import { runAsyncAb } from "../async/run-async.ts";
import { runMemoryAb } from "../memory/run-memory.ts";
import { runImportAb } from "../structure/ab.ts";
import { parseCases, parseTarget } from "../target/parse.ts";
import { UserError } from "../errors.ts";
import { withCheckouts } from "./checkout.ts";
import { resolveRevisions, sideName, type RevisionPair } from "./refs.ts";
import { existsSync } from "node:fs";

/** What to compare and how. */
export interface DomainCompareOptions {
  domain: "memory" | "async" | "structure";
  /** The target as the user wrote it, relative to `cwd`: `path` (structure) or `path#export`. */
  target: string;
  cwd: string;
  /** --args / --cases as given; a cases file is taken from each revision's own checkout. */
  cases: { args?: string; cases?: string };
  settings: SequentialSettings & { timeoutMs: number; concurrency: number; levelMs: number };
  install?: boolean;
  progress?: (done: number, label: string) => void;
}

/** The target's path relative to the repository, so it can be found in each checkout. */
function inRepository(repo: string, cwd: string, text: string): string {
  const relative = path.relative(repo, path.resolve(cwd, text));
  if (relative.startsWith("..") || path.isAbsolute(relative)) throw new UserError(`--target ${text}: it lies outside the repository ${repo}; name a file of the repository`);
  return relative;
}

/** Compares the target of `base` and `head` (revisions as `compare` resolves them). */
export async function compareInDomain(repo: string, base: string | undefined, head: string | undefined, options: DomainCompareOptions): Promise<{ pair: RevisionPair; result: DomainAbResult }> {
  const pair = await resolveRevisions(repo, base, head);
  const [file, exportName] = options.target.split("#");
  if (options.domain === "structure" && exportName !== undefined) throw new UserError(`--target ${options.target}: compare --domain structure compares an entry module's import time; give its path without #export`);
  if (options.domain !== "structure" && !exportName) throw new UserError(`--target ${options.target}: write it as path#export, e.g. --target src/parse.ts#parse`);
  const relative = inRepository(repo, options.cwd, file);
  const casesRelative = options.cases.cases === undefined ? undefined : `${inRepository(repo, options.cwd, options.cases.cases.split("#")[0])}#${options.cases.cases.split("#")[1] ?? ""}`;
  const result = await withCheckouts(repo, pair, { install: options.install, signal: options.settings.signal }, async ({ base: b, head: h }) => {
    for (const [side, tree] of [["base", b], ["head", h]] as const) {
      if (!existsSync(path.join(tree.path, relative))) throw new UserError(`--target ${options.target}: ${relative} does not exist in ${sideName(side, pair[side])}`);
    }
    const label = (side: "base" | "head") => `${sideName(side, pair[side])}: ${relative}${exportName ? `#${exportName}` : ""}`;
    if (options.domain === "structure") {
      return runImportAb({ file: path.join(b.path, relative), label: label("base") }, { file: path.join(h.path, relative), label: label("head") }, options.settings, options.progress);
    }
    const target = (tree: string, side: "base" | "head") => ({ ...parseTarget(`${relative}#${exportName}`, tree), label: label(side) });
    // The cases of each revision come from its own checkout; their shape must not differ, as in ab.
    const cases = parseCases({ args: options.cases.args, cases: casesRelative }, h.path);
    if (options.domain === "memory") return runMemoryAb(target(b.path, "base"), target(h.path, "head"), cases, options.settings, options.progress);
    return runAsyncAb(target(b.path, "base"), target(h.path, "head"), cases, options.settings, options.progress);
  });
  return { pair, result };
}
