/**
 * Kill at every step: each path (KEEP, DISCARD, a guard failure reworked, compare) is
 * stopped at each of its phases by XLOOP_FAULT_AT and sent SIGINT, SIGTERM or SIGKILL.
 * Stopped before the row is recorded, afterwards (after `xloop recover`, or the next
 * compare, for SIGKILL) the repository is byte for byte as it was: the user's tracked and untracked files, the index, HEAD,
 * branches, worktrees, the record and every file of .codeflash; no temporary worktree
 * folder is left and the stopped process is gone.
 *
 * A stop just after the row is recorded (`recorded`) must leave the committed result
 * whole instead: the decision stands, only the leftovers go.
 *
 * By default (the test suite's run) each distinct phase is stopped once, on the first
 * path that has it, and the reworked guard failure at its guard, the signals rotating
 * (13 cells: every phase and every signal, the three experiment paths and compare); XLOOP_FAULT_MATRIX=paths gives every phase of
 * every path one signal (30 cells), XLOOP_FAULT_MATRIX=full every signal at every phase
 * (78 cells).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { git, removeTempFolders } from "../fixtures/git-repo.ts";
import { xloop } from "../helpers.ts";
import { commandFor, freshRepo, leftoverWorktreeFolders, phasesOf, runToFault, stateOf, waitGone, type FaultPath, type RepoState } from "./fault-driver.ts";

afterAll(removeTempFolders);

const signals = ["SIGINT", "SIGTERM", "SIGKILL"] as const;
const full = process.env.XLOOP_FAULT_MATRIX === "full";
const perPath = process.env.XLOOP_FAULT_MATRIX === "paths";
const paths: FaultPath[] = ["keep", "discard", "rework", "compare"];

/**
 * The cells to run: every signal at every phase (full); one signal per phase of every
 * path, rotating with an offset per path so each path meets all three, compare's two
 * phases with all three (paths); or each distinct phase once, signals rotating (default).
 */
const everyPath = paths.flatMap((kind, p) =>
  phasesOf[kind].flatMap((phase, i) => (full || kind === "compare" ? signals : [signals[(i + p) % signals.length]!]).map((signal) => ({ kind, phase, signal }))),
);
const seen = new Set<string>();
const cells =
  full || perPath
    ? everyPath
    : paths
        .flatMap((kind) => phasesOf[kind].map((phase) => ({ kind, phase })))
        .filter(({ kind, phase }) => {
          const key = kind === "compare" ? `compare:${phase}` : phase;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        })
        // A path all of whose phases an earlier path covered still gets its guard (or middle) phase.
        .concat(paths.filter((kind) => kind === "rework").map((kind) => ({ kind, phase: phasesOf[kind].includes("guard") ? "guard" : phasesOf[kind][phasesOf[kind].length >> 1]! })))
        .map((cell, i) => ({ ...cell, signal: signals[i % signals.length]! }));

/**
 * After a stop once the row is recorded: the committed result, whole. A KEEP's commit
 * holds exactly the change and the files are as before; a DISCARD's tree is HEAD's for
 * the change (its patch saved) and the user's other files as before; one more row, whole.
 */
function expectFinished(dir: string, kind: FaultPath, before: RepoState): void {
  const after = stateOf(dir);
  const rows = (state: RepoState) => Buffer.from(state.loopFiles["results.tsv"]!, "base64").toString("utf8").trim().split("\n");
  expect(rows(after).slice(0, -1)).toEqual(rows(before));
  expect(rows(after).at(-1)!.split("\t")[1]).toBe(kind === "keep" ? "keep" : "discard");
  expect(after.loopFiles["journal.json"]).toBeUndefined();
  expect(after.worktrees.split("\n").filter((l) => l.startsWith("worktree "))).toHaveLength(1);
  if (kind === "keep") {
    expect(git(dir, "rev-parse", "HEAD~1").trim()).toBe(before.head);
    expect(git(dir, "show", "--name-only", "--format=", "HEAD").trim()).toBe("price.ts");
    expect(after.userFiles).toEqual(before.userFiles);
  } else {
    expect(after.head).toBe(before.head);
    expect(after.userFiles).toEqual({ ...before.userFiles, "price.ts": Buffer.from(git(dir, "show", "HEAD:price.ts")).toString("base64") });
    expect(Object.keys(after.loopFiles).filter((f) => f.startsWith("discarded/")).length).toBe(Object.keys(before.loopFiles).filter((f) => f.startsWith("discarded/")).length + 1);
  }
}

describe(`the fault matrix (${cells.length} cells${full ? ", full" : perPath ? ", every path's phases" : ", each phase once: XLOOP_FAULT_MATRIX=paths or full for more"})`, () => {
  test.each(cells)(
    "$kind stopped at $phase by $signal leaves the repository as it was (after the record: the finished result)",
    async ({ kind, phase, signal }) => {
      const dir = freshRepo(kind);
      const before = stateOf(dir);
      const run = await runToFault(commandFor(kind), dir, phase, signal);
      expect(run.pausedPid).not.toBeNull();
      expect(await waitGone(run.pausedPid!)).toBe(true);
      if (signal === "SIGKILL") {
        // Killed: nothing could clean up. The next command notices and puts it back.
        expect(run.code === 137 || run.signal === "SIGKILL").toBe(true);
        if (kind === "compare") {
          const next = xloop(commandFor("compare"), { cwd: dir });
          expect(next.code).toBe(0);
        } else {
          const status = xloop(["status"], { cwd: dir });
          expect(status.stdout).toStartWith("Interrupted: experiment ");
          const recover = xloop(["recover"], { cwd: dir });
          expect(recover.code).toBe(0);
          expect(recover.stdout).toContain(phase === "recorded" ? "An experiment was killed after recording it" : "An experiment was killed before it finished");
        }
      } else {
        expect(run.code).toBe(130);
        expect(run.stderr).toContain(`xloop: ${signal}: cleaning up`);
      }
      if (phase === "recorded") expectFinished(dir, kind, before);
      else expect(stateOf(dir)).toEqual(before);
      expect(leftoverWorktreeFolders(dir)).toEqual([]);
      if (kind !== "compare") expect(xloop(["results", "--json"], { cwd: dir }).code).toBe(0);
    },
    180_000,
  );
});
