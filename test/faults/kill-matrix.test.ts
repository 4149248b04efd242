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
 * By default each phase of each experiment path gets one signal, rotating through the
 * three, and compare's phases get all three (30 cells, every phase and every signal
 * covered); XLOOP_FAULT_MATRIX=full runs every signal at every phase (78 cells).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { git, removeTempFolders } from "../fixtures/git-repo.ts";
import { xloop } from "../helpers.ts";
import { commandFor, freshRepo, leftoverWorktreeFolders, phasesOf, runToFault, stateOf, waitGone, type FaultPath, type RepoState } from "./fault-driver.ts";

afterAll(removeTempFolders);

const signals = ["SIGINT", "SIGTERM", "SIGKILL"] as const;
const full = process.env.XLOOP_FAULT_MATRIX === "full";
const paths: FaultPath[] = ["keep", "discard", "rework", "compare"];

/**
 * The cells to run: every signal at every phase, or one signal per phase rotating
 * (offset per path so each path meets all three); compare's two phases are cheap and
 * always get all three.
 */
const cells = paths.flatMap((kind, p) =>
  phasesOf[kind].flatMap((phase, i) => (full || kind === "compare" ? signals : [signals[(i + p) % signals.length]!]).map((signal) => ({ kind, phase, signal }))),
);

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

describe(`the fault matrix (${cells.length} cells${full ? ", full" : ", sampled: XLOOP_FAULT_MATRIX=full for all"})`, () => {
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
