import { afterAll, describe, expect, test } from "bun:test";
import { UserError } from "../src/errors.ts";
import { branchExists, createBranchAt, listBranches } from "../src/git/branch.ts";
import { lastChangeStat, recentCommits } from "../src/git/log.ts";
import { commit, git, removeTempFolders, repoWith, revParse, write } from "./fixtures/git-repo.ts";

afterAll(removeTempFolders);

describe("recentCommits", () => {
  test("it returns the newest commits first, each with its subject, date and changed files", async () => {
    const repo = repoWith({ "a.ts": "a\n" });
    commit(repo, { "src/price.ts": "1\n", "src/with space.ts": "1\n" }, "cpu: set lookup for skus");
    const last = commit(repo, { "src/price.ts": "2\n" }, "cpu: précompute totals");
    const commits = await recentCommits(repo, 2);
    expect(commits.map((c) => c.subject)).toEqual(["cpu: précompute totals", "cpu: set lookup for skus"]);
    expect(commits[0]!.hash).toBe(last);
    expect(last.startsWith(commits[0]!.short)).toBe(true);
    expect(Number.isNaN(Date.parse(commits[0]!.date))).toBe(false);
    expect(commits[0]!.files).toEqual(["src/price.ts"]);
    expect(commits[1]!.files).toEqual(["src/price.ts", "src/with space.ts"]);
  });

  test("asking for more commits than exist returns them all", async () => {
    const repo = repoWith({ "a.ts": "a\n" });
    const commits = await recentCommits(repo, 20);
    expect(commits).toHaveLength(1);
    expect(commits[0]!.files).toEqual(["a.ts"]);
  });

  test("a count that is not a positive whole number is refused", async () => {
    const repo = repoWith({ "a.ts": "a\n" });
    await expect(recentCommits(repo, 0)).rejects.toBeInstanceOf(UserError);
    await expect(recentCommits(repo, 1.5)).rejects.toBeInstanceOf(UserError);
  });
});

describe("lastChangeStat", () => {
  test("it shows what the last commit changed, leaving uncommitted edits out", async () => {
    const repo = repoWith({ "a.ts": "a\n", "b.ts": "b\n" });
    commit(repo, { "a.ts": "a\nmore\n" }, "second");
    write(repo, "b.ts", "uncommitted\n");
    const stat = await lastChangeStat(repo);
    expect(stat).toContain("a.ts | 1 +");
    expect(stat).toContain("1 file changed, 1 insertion(+)");
    expect(stat).not.toContain("b.ts");
  });

  test("on the first commit it says there is no earlier change", async () => {
    const repo = repoWith({ "a.ts": "a\n" });
    expect(await lastChangeStat(repo)).toContain("is the first commit");
  });
});

describe("branches", () => {
  test("createBranchAt makes a branch at a commit without switching to it", async () => {
    const repo = repoWith({ "a.ts": "a\n" });
    const first = revParse(repo);
    commit(repo, { "a.ts": "b\n" }, "second");
    await createBranchAt(repo, "xloop/best", "HEAD~1");
    expect(revParse(repo, "xloop/best")).toBe(first);
    expect(git(repo, "branch", "--show-current").trim()).toBe("main");
    expect(await branchExists(repo, "xloop/best")).toBe(true);
    expect(await branchExists(repo, "xloop/other")).toBe(false);
  });

  test("an existing branch is refused and never moved", async () => {
    const repo = repoWith({ "a.ts": "a\n" });
    const first = revParse(repo);
    git(repo, "branch", "keep");
    commit(repo, { "a.ts": "b\n" }, "second");
    const error = await createBranchAt(repo, "keep", "HEAD").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('branch "keep" already exists');
    expect(revParse(repo, "keep")).toBe(first);
  });

  test("invalid branch names and bad commits are refused", async () => {
    const repo = repoWith({ "a.ts": "a\n" });
    for (const name of ["-f", "a..b", "with space", ""]) {
      await expect(createBranchAt(repo, name, "HEAD")).rejects.toBeInstanceOf(UserError);
    }
    await expect(createBranchAt(repo, "ok", "--all")).rejects.toBeInstanceOf(UserError);
    await expect(createBranchAt(repo, "ok", "nope")).rejects.toBeInstanceOf(UserError);
    expect(await listBranches(repo)).toEqual(["main"]);
  });

  test("listBranches keeps only the names that start with the prefix", async () => {
    const repo = repoWith({ "a.ts": "a\n" });
    for (const name of ["xloop/exp-2", "xloop/exp-1", "xloop-other", "feature"]) git(repo, "branch", name);
    expect(await listBranches(repo, "xloop/")).toEqual(["xloop/exp-1", "xloop/exp-2"]);
    expect(await listBranches(repo)).toEqual(["feature", "main", "xloop-other", "xloop/exp-1", "xloop/exp-2"]);
  });
});
