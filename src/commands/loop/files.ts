/**
 * What every loop-state command opens first: the repository, `.codeflash/`, the record
 * and the loop configuration, each failing with one clear line. Reading never writes.
 */
import { existsSync, readFileSync } from "node:fs";
import { UserError } from "../../errors.ts";
import { domainNames, getDomain, type Domain } from "../../domains/domains.ts";
import { codeflashPaths, type CodeflashPaths } from "../../project/codeflash-paths.ts";
import { currentBranch, findRepoRoot, shortCommit } from "../../git/repo.ts";
import { readLoopConfig, type LoopConfig } from "../../loop/config.ts";
import { isEmptyCell, type ResultRow } from "../../record/columns.ts";
import { rowFacts } from "../../record/facts.ts";
import { readResults } from "../../record/results-tsv.ts";
import { defaults } from "../../settings/defaults.ts";

/** The loop's state as the commands read it. */
export interface LoopFiles {
  /** The top of the git checkout, which holds `.codeflash/`. */
  root: string;
  paths: CodeflashPaths;
  /** The record, in file order (a missing results.tsv is an empty record). */
  rows: ResultRow[];
  config: LoopConfig;
}

/**
 * Opens the loop's state for the checkout around `cwd`. Not a git repository, no
 * `.codeflash/` (run `xloop init`), a broken row (its line) and a bad config.json are
 * each one UserError. Unlike requireCodeflash this creates nothing: `status` and
 * `history` only read.
 */
export async function openLoopFiles(cwd: string): Promise<LoopFiles> {
  const root = await findRepoRoot(cwd);
  const paths = codeflashPaths(root);
  if (!existsSync(paths.dir)) {
    throw new UserError(`${paths.dir} does not exist: run \`xloop init\` (optionally with --guard "<command>") in ${root} first`);
  }
  const { rows } = readResults(paths.results);
  return { root, paths, rows, config: readLoopConfig(paths.config) };
}

/**
 * The session's domain: `override` (an option) when given, else the domain of the
 * record's latest row that names one, else cpu. A record naming an unknown domain is
 * an error naming its line, since the rules (rotation order) depend on it.
 */
export function sessionDomain(files: Pick<LoopFiles, "rows" | "paths">, override?: unknown, flag = "--domain"): Domain {
  if (override !== undefined && override !== true) {
    const name = String(override);
    try {
      return getDomain(name);
    } catch (error) {
      if (error instanceof UserError) throw new UserError(`${flag}: ${error.message}`);
      throw error;
    }
  }
  if (override === true) throw new UserError(`${flag}: give a domain: ${domainNames.join(", ")}`);
  const row = files.rows.findLast((r) => rowFacts(r).domain !== undefined);
  if (!row) return getDomain(defaults.domain);
  try {
    return getDomain(rowFacts(row).domain!);
  } catch (error) {
    if (error instanceof UserError) {
      throw new UserError(`${files.paths.results} line ${row.line}: unknown domain "${row.domain.trim()}" in the domain column; use one of ${domainNames.join(", ")}`);
    }
    throw error;
  }
}

/**
 * A repeatable option as a list: cac gives one value as itself and several as an
 * array, numbers as numbers. Blank values are a mistake worth saying.
 */
export function listOption(value: unknown, flag: string, example: string): string[] {
  if (value === undefined) return [];
  const values = (Array.isArray(value) ? value : [value]).map((v) => (v === true ? "" : String(v).trim()));
  if (values.some((v) => v === "")) throw new UserError(`${flag}: give a value, e.g. ${flag} ${example}`);
  return values;
}

/** A required text option, trimmed; a UserError with an example when missing or blank. */
export function requiredText(value: unknown, flag: string, example: string): string {
  const text = value === undefined || value === true ? "" : String(value).trim();
  if (text === "") throw new UserError(`${flag} is required, e.g. ${flag} ${example}`);
  return text;
}

/** The branch for headings: its name, `detached HEAD at <hash>`, or `no commits yet`. */
export async function branchLabel(root: string): Promise<string> {
  const branch = await currentBranch(root);
  if (branch !== null) return branch;
  try {
    return `detached HEAD at ${await shortCommit(root, "HEAD")}`;
  } catch {
    return "an unborn branch";
  }
}

/** The short hash of HEAD, or undefined in a repository without commits. */
export async function headShort(root: string): Promise<string | undefined> {
  try {
    return await shortCommit(root, "HEAD");
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
}

/** A text file's content, or undefined when it does not exist. */
export function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The commit before the first optimization: the first baseline row that records one. */
export function firstBaselineCommit(rows: readonly ResultRow[]): string | undefined {
  return rows.find((row) => row.status === "baseline" && !isEmptyCell(row.commit))?.commit.trim();
}
