import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import path from "node:path";
import { UserError } from "../src/errors.ts";
import {
  assertOnBranch,
  currentBranch,
  defaultBaseRef,
  findRepoRoot,
  headCommit,
  isDirty,
  mergeBase,
  openRepo,
  resolveCommit,
  shortCommit,
} from "../src/git/repo.ts";
import { commit, git, removeTempFolders, repoWith, revParse, tempFolder, write } from "./fixtures/git-repo.ts";

afterAll(removeTempFolders);

/** A repository on branch main whose first commit holds `files`. */
const tempRepo = (files: Record<string, string> = { "a.txt": "a\n" }): string => repoWith(files);

async function userError(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

/** A repository where main and `other` both changed a.txt, so merging one into the other conflicts. */
function conflictingRepo(): string {
  const repo = tempRepo();
  git(repo, "switch", "--quiet", "-c", "other");
  commit(repo, { "a.txt": "other\n" }, "other side");
  git(repo, "switch", "--quiet", "main");
  commit(repo, { "a.txt": "main\n" }, "main side");
  return repo;
}

function failing(repo: string, ...args: string[]): void {
  expect(() => git(repo, ...args)).toThrow();
}

describe("openRepo", () => {
  test("it returns the top-level folder when called from a subfolder", async () => {
    const repo = tempRepo({ "src/deep/x.ts": "export {}\n" });
    expect(await openRepo(path.join(repo, "src/deep"))).toBe(repo);
  });

  test("a folder outside any git repository is refused with a one-line explanation", async () => {
    const folder = tempFolder();
    const error = await userError(openRepo(folder));
    expect(error.message).toContain("is not inside a git repository");
    expect(error.message).not.toContain("\n");
  });

  test("a folder that does not exist is refused", async () => {
    const error = await userError(findRepoRoot(path.join(tempFolder(), "missing")));
    expect(error.message).toContain("is not a folder");
  });

  test("a repository without a first commit is refused", async () => {
    const repo = tempFolder();
    git(repo, "init", "--quiet");
    const error = await userError(openRepo(repo));
    expect(error.message).toContain("has no commits yet");
  });

  test("a merge in progress is detected and the way out is named", async () => {
    const repo = conflictingRepo();
    failing(repo, "merge", "other");
    const error = await userError(openRepo(repo));
    expect(error.message).toContain("a merge is in progress");
    expect(error.message).toContain("git merge --abort");
  });

  test("a rebase in progress is detected", async () => {
    const repo = conflictingRepo();
    failing(repo, "rebase", "other");
    expect((await userError(openRepo(repo))).message).toContain("a rebase is in progress");
  });

  test("a cherry-pick in progress is detected", async () => {
    const repo = conflictingRepo();
    failing(repo, "cherry-pick", "other");
    expect((await userError(openRepo(repo))).message).toContain("a cherry-pick is in progress");
  });

  test("a revert in progress is detected", async () => {
    const repo = tempRepo();
    const first = commit(repo, { "a.txt": "one\n" }, "one");
    commit(repo, { "a.txt": "two\n" }, "two");
    failing(repo, "revert", "--no-edit", first);
    expect((await userError(openRepo(repo))).message).toContain("a revert is in progress");
  });

  test("a detached HEAD passes openRepo but is refused by assertOnBranch", async () => {
    const repo = tempRepo();
    git(repo, "switch", "--quiet", "--detach", "HEAD");
    expect(await openRepo(repo)).toBe(repo);
    expect(await currentBranch(repo)).toBeNull();
    const error = await userError(assertOnBranch(repo));
    expect(error.message).toContain("HEAD is detached");
    expect(error.message).toContain("git switch");
  });
});

describe("commits and refs", () => {
  test("headCommit, shortCommit and currentBranch describe where HEAD is", async () => {
    const repo = tempRepo();
    const hash = revParse(repo);
    expect(await headCommit(repo)).toBe(hash);
    expect(hash.startsWith(await shortCommit(repo, "HEAD"))).toBe(true);
    expect(await currentBranch(repo)).toBe("main");
    expect(await assertOnBranch(repo)).toBe("main");
  });

  test("branches, tags and relative refs resolve to full commit hashes", async () => {
    const repo = tempRepo();
    const first = revParse(repo);
    git(repo, "tag", "-a", "-m", "v1", "v1");
    const second = commit(repo, { "a.txt": "b\n" }, "second");
    expect(await resolveCommit(repo, "HEAD~1")).toBe(first);
    expect(await resolveCommit(repo, "v1")).toBe(first);
    expect(await resolveCommit(repo, "main")).toBe(second);
    expect(await resolveCommit(repo, first.slice(0, 8))).toBe(first);
  });

  test("refs starting with a dash are refused before git ever sees them", async () => {
    const repo = tempRepo();
    for (const ref of ["--output=/tmp/xloop-pwned", "-n", "-"]) {
      const error = await userError(resolveCommit(repo, ref));
      expect(error.message).toContain("not an option");
    }
  });

  test("names that are not commits are refused with a hint", async () => {
    const repo = tempRepo();
    for (const ref of ["nope", "HEAD~5", "HEAD:a.txt", "main..HEAD", "a b", ""]) {
      const error = await userError(resolveCommit(repo, ref));
      expect(error.message).not.toContain("\n");
    }
    expect((await userError(resolveCommit(repo, "nope"))).message).toContain('"nope" is not a commit');
  });

  test("isDirty sees modified and untracked files but not ignored ones", async () => {
    const repo = tempRepo({ "a.txt": "a\n", ".gitignore": "*.log\n" });
    expect(await isDirty(repo)).toBe(false);
    write(repo, "debug.log", "ignored\n");
    expect(await isDirty(repo)).toBe(false);
    write(repo, "new.txt", "new\n");
    expect(await isDirty(repo)).toBe(true);
    rmSync(path.join(repo, "new.txt"));
    write(repo, "a.txt", "changed\n");
    expect(await isDirty(repo)).toBe(true);
  });
});

describe("base revisions", () => {
  test("mergeBase finds where a branch left main, and null for unrelated histories", async () => {
    const repo = tempRepo();
    const fork = revParse(repo);
    git(repo, "switch", "--quiet", "-c", "feature");
    commit(repo, { "f.txt": "f\n" }, "feature work");
    git(repo, "switch", "--quiet", "main");
    commit(repo, { "m.txt": "m\n" }, "main work");
    expect(await mergeBase(repo, "main", "feature")).toBe(fork);
    git(repo, "switch", "--quiet", "--orphan", "island");
    commit(repo, { "i.txt": "i\n" }, "unrelated");
    expect(await mergeBase(repo, "island", "main")).toBeNull();
  });

  test("on a feature branch the default base is the merge-base with main", async () => {
    const repo = tempRepo();
    const fork = revParse(repo);
    commit(repo, { "m.txt": "m\n" }, "main moves on");
    git(repo, "switch", "--quiet", "-c", "feature", fork);
    commit(repo, { "f.txt": "1\n" }, "feature 1");
    commit(repo, { "f.txt": "2\n" }, "feature 2");
    expect(await defaultBaseRef(repo)).toEqual({ commit: fork, description: "merge-base of HEAD and main" });
  });

  test("a repository whose mainline is master is handled like main", async () => {
    const repo = tempRepo();
    git(repo, "branch", "-m", "main", "master");
    const fork = revParse(repo);
    git(repo, "switch", "--quiet", "-c", "feature");
    commit(repo, { "f.txt": "1\n" }, "feature 1");
    expect((await defaultBaseRef(repo)).description).toBe("merge-base of HEAD and master");
    expect((await defaultBaseRef(repo)).commit).toBe(fork);
  });

  test("on main itself the default base is HEAD~1", async () => {
    const repo = tempRepo();
    const first = revParse(repo);
    commit(repo, { "a.txt": "b\n" }, "second");
    expect(await defaultBaseRef(repo)).toEqual({ commit: first, description: "HEAD~1" });
  });

  test("a single-commit repository has no default base and says so", async () => {
    const repo = tempRepo();
    const error = await userError(defaultBaseRef(repo));
    expect(error.message).toContain("is the only commit");
  });
});
