/**
 * The experiment's journal, `.codeflash/journal.json`: written before the first
 * step and updated as the experiment commits, saves its patch and records, so that
 * whatever stops it (Ctrl-C, SIGTERM, SIGKILL, a power cut) the next xloop can put the
 * repository back exactly as it was before the experiment. It holds the pid (a second
 * experiment is refused while that pid runs), the change's files as they were (bytes,
 * mode, staged entry), the temporary worktree, the commit a KEEP made and the patch a
 * DISCARD saved. One rollback serves both the interrupt handler and `xloop recover`.
 */
import * as fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { UserError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import { isAlive } from "../fs/process-alive.ts";
import { writeIndexEntriesSync, type IndexEntry } from "../git/index-entries.ts";
import { gitSync, gitSyncBytes } from "../git/run.ts";
import { restoreSnapshot, type SavedFile, type Snapshot } from "../git/snapshot.ts";
import { insideRepo } from "../git/paths.ts";
import { orphanWorktrees, removeOrphanWorktrees, removeWorktreeFolder } from "../git/worktree.ts";
import { parseResults } from "../record/parse.ts";
import { codeflashPaths } from "../project/codeflash-paths.ts";

/** A saved file as JSON holds it (bytes in base64). */
type JournalFile =
  | { path: string; state: "file"; base64: string; mode: number }
  | { path: string; state: "symlink"; target: string }
  | { path: string; state: "absent"; existingAncestor: string };

/** What the journal says about one running (or interrupted) experiment. */
export interface Journal {
  version: 1;
  pid: number;
  host: string;
  started: string;
  experiment: number;
  target: string;
  /** HEAD when the experiment started. */
  head: string;
  files: JournalFile[];
  index: IndexEntry[];
  worktree: string | null;
  /** The commit a KEEP made, while it stands. */
  commit: string | null;
  /** The patch a DISCARD saved (absolute). */
  patch: string | null;
  /** Other files the experiment wrote into .codeflash (the checklist), absolute. */
  written: string[];
  /** The timestamp of the row being appended: present once the record is being written. */
  rowTimestamp: string | null;
}

/** The journal's path in a repository. */
export function journalPath(repo: string): string {
  return codeflashPaths(repo).journal;
}

/** The journal as saved from a snapshot of the change's files. */
export function newJournal(snapshot: Snapshot, facts: { experiment: number; target: string; head: string }): Journal {
  return {
    version: 1,
    pid: process.pid,
    host: os.hostname(),
    started: new Date().toISOString(),
    ...facts,
    files: snapshot.files.map((f): JournalFile => (f.state === "file" ? { path: f.path, state: "file", base64: f.bytes.toString("base64"), mode: f.mode } : { ...f })),
    index: [...snapshot.index],
    worktree: null,
    commit: null,
    patch: null,
    written: [],
    rowTimestamp: null,
  };
}

function snapshotOf(repo: string, journal: Journal): Snapshot {
  const files = journal.files.map((f): SavedFile => (f.state === "file" ? { path: f.path, state: "file", bytes: Buffer.from(f.base64, "base64"), mode: f.mode } : f));
  return { repo, files, index: journal.index };
}

/**
 * Reads the journal; null when there is none. A journal that does not parse is
 * reported with its file and the fix, never overwritten.
 */
export function readJournal(repo: string): Journal | null {
  const file = journalPath(repo);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    const journal = JSON.parse(text) as Journal;
    if (journal.version !== 1 || !Number.isInteger(journal.pid) || !Array.isArray(journal.files)) throw new Error("unknown shape");
    return journal;
  } catch {
    throw new UserError(`${file}: not a journal this xloop can read (it is not JSON of version 1); if no experiment is running, check \`git status\` and delete ${file}`);
  }
}

/** Whether the journal's experiment is still running: its pid lives on this machine. */
export function isRunning(journal: Journal): boolean {
  return journal.host === os.hostname() && isAlive(journal.pid);
}

/** One line naming a journal's experiment, for messages and `xloop status`. */
export function describeJournal(journal: Journal): string {
  return `experiment ${journal.experiment} on ${journal.target} (pid ${journal.pid}${journal.host === os.hostname() ? "" : ` on ${journal.host}`}, started ${journal.started})`;
}

/**
 * Writes a new journal, refusing if one exists: the link is atomic, so of two
 * experiments starting at once exactly one gets it. The caller recovers a dead one first.
 */
export function beginJournal(repo: string, journal: Journal): void {
  const file = journalPath(repo);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(journal));
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const other = readJournal(repo);
    throw new UserError(
      other && isRunning(other)
        ? `another experiment is running in ${repo}: ${describeJournal(other)}; wait for it to finish, one experiment at a time per repository`
        : `${file} appeared while starting: another experiment started at the same moment; run again`,
      ExitCode.busy,
    );
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** Saves the journal's new state (atomically: a reader sees the old or the new one). */
export function saveJournal(repo: string, journal: Journal): void {
  writeFileAtomic(journalPath(repo), JSON.stringify(journal));
}

/** Removes the journal of a finished experiment (only this process's own). */
export function endJournal(repo: string, journal: Journal): void {
  const current = (() => {
    try {
      return readJournal(repo);
    } catch {
      return null;
    }
  })();
  if (current && current.pid === journal.pid && current.started === journal.started) fs.rmSync(journalPath(repo), { force: true });
}

/** Whether the record holds the row the journal was appending. */
function rowRecorded(repo: string, journal: Journal): boolean {
  if (!journal.rowTimestamp) return false;
  try {
    const file = codeflashPaths(repo).results;
    return parseResults(fs.readFileSync(file, "utf8"), file).rows.some((r) => r.experiment === journal.experiment && r.timestamp === journal.rowTimestamp);
  } catch {
    return false;
  }
}

/** A file's state now: its bytes, a symlink's target, or absent. */
function stateNow(absolute: string): { kind: "file"; bytes: Buffer } | { kind: "symlink"; target: string } | { kind: "absent" } {
  const stat = fs.lstatSync(absolute, { throwIfNoEntry: false });
  if (!stat) return { kind: "absent" };
  if (stat.isSymbolicLink()) return { kind: "symlink", target: fs.readlinkSync(absolute) };
  if (!stat.isFile()) return { kind: "absent" };
  return { kind: "file", bytes: fs.readFileSync(absolute) };
}

function sameAsSaved(now: ReturnType<typeof stateNow>, saved: JournalFile): boolean {
  if (saved.state === "absent") return now.kind === "absent";
  if (saved.state === "symlink") return now.kind === "symlink" && now.target === saved.target;
  return now.kind === "file" && now.bytes.equals(Buffer.from(saved.base64, "base64"));
}

/** The file's content in `commit`, or null when the commit does not have it. */
function inCommit(repo: string, commit: string, file: string): Buffer | null {
  try {
    return gitSyncBytes(repo, ["cat-file", "blob", `${commit}:${file}`]);
  } catch {
    return null;
  }
}

function sameAsCommitted(repo: string, commit: string, file: string, now: ReturnType<typeof stateNow>): boolean {
  const content = inCommit(repo, commit, file);
  if (content === null) return now.kind === "absent";
  return now.kind === "file" && now.bytes.equals(content);
}

/** What a rollback did, one line each, for the user. */
export interface Rollback {
  /** True when the experiment had finished (its row is in the record): nothing was undone. */
  finished: boolean;
  lines: string[];
}

/**
 * Puts the repository back as it was before the journal's experiment, synchronously (it
 * runs from a signal handler too): takes back a commit it made while that is still
 * HEAD, restores each change file that holds what the experiment left (the original or
 * HEAD's version after a restore) and leaves alone one edited since, removes the patch
 * and files it wrote, its worktree and its temporary files, then the journal. An
 * experiment whose row reached the record is finished: only the leftovers go.
 */
export function rollBack(repo: string, journal: Journal): Rollback {
  const lines: string[] = [];
  const finished = rowRecorded(repo, journal);
  // Commits made on top of the experiment's own: the user has moved on, and the files and
  // staging are theirs now; putting back the staging of before would stage a reversal.
  let movedOn = false;
  if (!finished && journal.commit) {
    const head = gitSync(repo, ["rev-parse", "HEAD"]).trim();
    if (head === journal.commit) {
      gitSync(repo, ["reset", "--soft", "HEAD~1"]);
      lines.push(`took back the commit ${journal.commit.slice(0, 7)} it made (not recorded)`);
    } else {
      movedOn = true;
      lines.push(`left the commit ${journal.commit.slice(0, 7)} and the files alone: HEAD has moved since (now ${head.slice(0, 7)}); revert it yourself if needed`);
    }
  }
  if (!finished && !movedOn) {
    const restore: JournalFile[] = [];
    for (const saved of journal.files) {
      const absolute = insideRepo(repo, saved.path);
      const now = stateNow(absolute);
      // A temporary file of an interrupted restore is never the user's.
      fs.rmSync(`${absolute}.xloop-${journal.pid}.tmp`, { force: true });
      if (sameAsSaved(now, saved)) restore.push(saved);
      else if (sameAsCommitted(repo, journal.head, saved.path, now)) {
        restore.push(saved);
        lines.push(`restored ${saved.path}`);
      } else lines.push(`left ${saved.path} alone: it was edited after the experiment stopped`);
    }
    const paths = new Set(restore.map((f) => f.path));
    restoreSnapshot(snapshotOf(repo, { ...journal, files: restore, index: journal.index.filter((e) => paths.has(e.path)) }));
    // What is staged is the experiment's doing (its commit staged the change), even for a file edited since.
    const leftAlone = journal.files.map((f) => f.path).filter((p) => !paths.has(p));
    writeIndexEntriesSync(repo, leftAlone, journal.index.filter((e) => !paths.has(e.path)));
    for (const file of [journal.patch, ...journal.written]) {
      if (file && fs.existsSync(file)) {
        fs.rmSync(file, { force: true });
        lines.push(`removed ${path.relative(repo, file)} (the experiment was not recorded)`);
      }
    }
  }
  if (journal.worktree && fs.existsSync(journal.worktree)) {
    removeWorktreeFolder(repo, journal.worktree);
    lines.push(`removed its worktree ${journal.worktree}`);
  }
  removeTemporaries(repo, journal.pid);
  fs.rmSync(journalPath(repo), { force: true });
  return { finished, lines };
}

/** Temporary files a killed xloop of `pid` leaves in .codeflash (atomic writes, patches, the record's lock). */
function removeTemporaries(repo: string, pid: number): void {
  const dir = codeflashPaths(repo).dir;
  for (const folder of [dir, codeflashPaths(repo).discarded]) {
    let names: string[];
    try {
      names = fs.readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) if (name.endsWith(".tmp") && name.includes(`.${pid}.`)) fs.rmSync(path.join(folder, name), { force: true });
  }
  const lock = path.join(dir, "results.tsv.lock");
  try {
    if (Number(fs.readFileSync(lock, "utf8").split("\n")[0]) === pid) fs.rmSync(lock, { force: true });
  } catch {
    // no lock
  }
}

/**
 * Before an experiment (and in `xloop recover`): an experiment still running in this
 * repository refuses the caller with a clear line; one that was killed is rolled back
 * (see rollBack), along with worktrees of killed xloops. Returns what was done, one
 * line each (empty when there was nothing to do).
 */
export function recoverInterrupted(repo: string): string[] {
  const lines: string[] = [];
  const journal = readJournal(repo);
  if (journal) {
    if (isRunning(journal)) {
      throw new UserError(`another experiment is running in ${repo}: ${describeJournal(journal)}; wait for it to finish, one experiment at a time per repository`, ExitCode.busy);
    }
    const rollback = rollBack(repo, journal);
    lines.push(
      rollback.finished
        ? `an experiment was killed after recording it: ${describeJournal(journal)}; cleaned up what it left`
        : `an experiment was killed before it finished: ${describeJournal(journal)}; put the repository back as it was before it`,
      ...rollback.lines.map((line) => `  ${line}`),
    );
  }
  for (const folder of removeOrphanWorktrees(repo)) lines.push(`removed the worktree ${folder} of a killed xloop`);
  return lines;
}

/** What `xloop status` says about an experiment in progress or killed, and worktrees killed xloops left. */
export interface Interruption {
  state: "running" | "killed" | "none";
  experiment: number | null;
  pid: number | null;
  orphanWorktrees: string[];
  /** The lines to print (empty when state is none and no worktree is left). */
  lines: string[];
}

/** Reads (never changes) the repository's journal and orphaned worktrees for `xloop status`. */
export function interruption(repo: string): Interruption {
  const journal = readJournal(repo);
  const orphans = orphanWorktrees(repo).map((o) => o.path);
  const lines: string[] = [];
  let state: Interruption["state"] = "none";
  if (journal && isRunning(journal)) {
    state = "running";
    lines.push(`Running: ${describeJournal(journal)}`);
  } else if (journal && rowRecorded(repo, journal)) {
    state = "killed";
    lines.push(`Interrupted: ${describeJournal(journal)} was killed just after recording its row; \`xloop recover\` removes what it left (the next experiment does so too)`);
  } else if (journal) {
    state = "killed";
    lines.push(`Interrupted: ${describeJournal(journal)} was killed before it finished; \`xloop recover\` puts the repository back as it was before it (the next experiment does so too)`);
  }
  if (orphans.length > 0) lines.push(`Left behind: ${orphans.length} worktree${orphans.length === 1 ? "" : "s"} of killed xloops (${orphans.join(", ")}); \`xloop recover\` removes them`);
  return { state, experiment: journal?.experiment ?? null, pid: journal?.pid ?? null, orphanWorktrees: orphans, lines };
}
