import { afterAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../src/errors.ts";
import { changedFiles, changedPaths, commitFiles, restoreFiles, savePatch } from "../src/git/change.ts";
import { restoreSnapshot, snapshotFiles } from "../src/git/snapshot.ts";
import { git, read, removeTempFolders, repoWith, revParse, tempFolder, write } from "./fixtures/git-repo.ts";

afterAll(removeTempFolders);

/** The staging area as git prints it: what must not change behind the user's back. */
function indexState(repo: string): string {
  return git(repo, "ls-files", "--stage");
}

function status(repo: string): string {
  return git(repo, "status", "--porcelain", "--untracked-files=all");
}

const BINARY_BEFORE = Buffer.from([0, 1, 2, 3, 255, 254, 0, 10, 13]);
const BINARY_AFTER = Buffer.from([9, 0, 0, 7, 128, 10, 255]);

/**
 * The situation every experiment starts from: a change (one modified, one new, one
 * deleted, a binary edit, a new file in a new folder) next to the user's own unrelated
 * work (a dirty file, an untracked note, a staged file) and an ignored file.
 */
function repoWithChange() {
  const repo = repoWith({
    "src/price.ts": "export const total = 1;\n",
    "src/old helper.ts": "export const old = 1;\n",
    "assets/logo.bin": BINARY_BEFORE,
    "notes.md": "notes\n",
    "staged.md": "staged\n",
    "latin1.txt": Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
    ".gitignore": "*.log\n",
  });
  // The change.
  write(repo, "src/price.ts", "export const total = 2;\n");
  write(repo, "src/lib/new*index.ts", "export const fast = true;\n");
  rmSync(path.join(repo, "src/old helper.ts"));
  write(repo, "assets/logo.bin", BINARY_AFTER);
  write(repo, "latin1.txt", Buffer.from([0x63, 0x61, 0x66, 0xe8, 0x0a]));
  // The user's own work, which must survive everything.
  write(repo, "notes.md", "my unsaved notes\n");
  write(repo, "todo.txt", "untracked todo\n");
  write(repo, "staged.md", "staged by the user\n");
  git(repo, "add", "staged.md");
  write(repo, "debug.log", "ignored\n");
  const change = ["src/price.ts", "src/lib/new*index.ts", "src/old helper.ts", "assets/logo.bin", "latin1.txt"];
  return { repo, change };
}

describe("changedFiles", () => {
  test("it lists modified, new untracked and deleted files relative to the root, and skips ignored ones", async () => {
    const { repo } = repoWithChange();
    expect(await changedFiles(repo)).toEqual([
      { path: "assets/logo.bin", kind: "modified" },
      { path: "latin1.txt", kind: "modified" },
      { path: "notes.md", kind: "modified" },
      { path: "src/lib/new*index.ts", kind: "added" },
      { path: "src/old helper.ts", kind: "deleted" },
      { path: "src/price.ts", kind: "modified" },
      { path: "staged.md", kind: "modified" },
      { path: "todo.txt", kind: "added" },
    ]);
  });

  test("a staged rename is reported with its source, and changedPaths includes both sides", async () => {
    const repo = repoWith({ "a.ts": "export const a = 'a long enough line for rename detection';\n" });
    git(repo, "mv", "a.ts", "b.ts");
    const changes = await changedFiles(repo);
    expect(changes).toEqual([{ path: "b.ts", kind: "renamed", from: "a.ts" }]);
    expect(changedPaths(changes)).toEqual(["a.ts", "b.ts"]);
  });

  test("a clean tree has no change", async () => {
    const repo = repoWith({ "a.ts": "a\n" });
    expect(await changedFiles(repo)).toEqual([]);
  });
});

describe("savePatch", () => {
  test("the patch of a modified, a new and a deleted file re-applies with git apply on a clean checkout of HEAD", async () => {
    const { repo, change } = repoWithChange();
    const indexBefore = indexState(repo);
    const patchPath = path.join(repo, ".codeflash/discarded/exp-1.patch");
    const bytes = await savePatch(repo, change, patchPath);
    expect(bytes).toBeGreaterThan(0);
    expect(indexState(repo)).toBe(indexBefore);
    expect(readdirTemporary(path.dirname(patchPath))).toEqual(["exp-1.patch"]);

    const clone = tempFolder();
    git(clone, "clone", "--quiet", repo, ".");
    git(clone, "apply", "--check", patchPath);
    git(clone, "apply", patchPath);
    expect(read(clone, "src/price.ts")).toBe("export const total = 2;\n");
    expect(read(clone, "src/lib/new*index.ts")).toBe("export const fast = true;\n");
    expect(existsSync(path.join(clone, "src/old helper.ts"))).toBe(false);
    expect(readFileSync(path.join(clone, "assets/logo.bin"))).toEqual(BINARY_AFTER);
    expect(readFileSync(path.join(clone, "latin1.txt"))).toEqual(readFileSync(path.join(repo, "latin1.txt")));
    // Only the listed files: the user's own edits are not in the patch.
    expect(read(clone, "notes.md")).toBe("notes\n");
    expect(read(clone, "staged.md")).toBe("staged\n");
    expect(existsSync(path.join(clone, "todo.txt"))).toBe(false);
  });

  test("a patch saved, restored and re-applied gives back the same change", async () => {
    const { repo, change } = repoWithChange();
    const patchPath = path.join(tempFolder(), "exp.patch");
    await savePatch(repo, change, patchPath);
    await restoreFiles(repo, change);
    git(repo, "apply", patchPath);
    expect(read(repo, "src/price.ts")).toBe("export const total = 2;\n");
    expect(read(repo, "src/lib/new*index.ts")).toBe("export const fast = true;\n");
    expect(existsSync(path.join(repo, "src/old helper.ts"))).toBe(false);
    expect(readFileSync(path.join(repo, "assets/logo.bin"))).toEqual(BINARY_AFTER);
  });

  test("files identical to HEAD give an empty patch", async () => {
    const repo = repoWith({ "a.ts": "a\n" });
    const patchPath = path.join(tempFolder(), "empty.patch");
    expect(await savePatch(repo, ["a.ts"], patchPath)).toBe(0);
    expect(readFileSync(patchPath).length).toBe(0);
  });
});

/** Leftover temporary files next to the patch would mean the write was not atomic. */
function readdirTemporary(dir: string): string[] {
  return execFileSync("ls", ["-A", dir], { encoding: "utf8" }).split("\n").filter(Boolean);
}

describe("restoreFiles", () => {
  test("the change's files go back to HEAD and the user's unrelated work survives", async () => {
    const { repo, change } = repoWithChange();
    await restoreFiles(repo, change);
    expect(read(repo, "src/price.ts")).toBe("export const total = 1;\n");
    expect(read(repo, "src/old helper.ts")).toBe("export const old = 1;\n");
    expect(readFileSync(path.join(repo, "assets/logo.bin"))).toEqual(BINARY_BEFORE);
    expect(existsSync(path.join(repo, "src/lib"))).toBe(false);
    // Untouched: dirty, untracked, staged-but-uncommitted and ignored files.
    expect(read(repo, "notes.md")).toBe("my unsaved notes\n");
    expect(read(repo, "todo.txt")).toBe("untracked todo\n");
    expect(read(repo, "debug.log")).toBe("ignored\n");
    expect(status(repo).split("\n").filter(Boolean).sort()).toEqual([" M notes.md", "?? todo.txt", "M  staged.md"]);
  });

  test("staged edits and staged new files of the change are unstaged too", async () => {
    const repo = repoWith({ "a.ts": "a\n", "b.ts": "b\n" });
    write(repo, "a.ts", "changed\n");
    write(repo, "new.ts", "new\n");
    git(repo, "add", "a.ts", "new.ts");
    git(repo, "rm", "--quiet", "b.ts");
    await restoreFiles(repo, ["a.ts", "new.ts", "b.ts"]);
    expect(status(repo)).toBe("");
    expect(read(repo, "b.ts")).toBe("b\n");
    expect(existsSync(path.join(repo, "new.ts"))).toBe(false);
  });

  test("paths outside the repository are refused", async () => {
    const repo = repoWith({ "a.ts": "a\n" });
    await expect(restoreFiles(repo, ["../outside.txt"])).rejects.toThrow("not a file inside");
  });
});

describe("commitFiles", () => {
  test("exactly the change is committed; the user's staged, dirty and untracked files stay as they were", async () => {
    const { repo, change } = repoWithChange();
    const hash = await commitFiles(repo, change, "cpu: index lines by sku");
    expect(hash).toBe(revParse(repo));
    expect(git(repo, "log", "-1", "--format=%s")).toBe("cpu: index lines by sku\n");
    const committed = git(repo, "show", "--name-status", "--format=", "HEAD").split("\n").filter(Boolean).sort();
    expect(committed).toEqual([
      "A\tsrc/lib/new*index.ts",
      "D\tsrc/old helper.ts",
      "M\tassets/logo.bin",
      "M\tlatin1.txt",
      "M\tsrc/price.ts",
    ]);
    expect(status(repo).split("\n").filter(Boolean).sort()).toEqual([" M notes.md", "?? todo.txt", "M  staged.md"]);
    expect(git(repo, "diff", "--cached", "--", "staged.md")).toContain("+staged by the user");
  });

  test("a deletion the user already staged is committed too", async () => {
    const repo = repoWith({ "a.ts": "a\n", "b.ts": "b\n" });
    git(repo, "rm", "--quiet", "b.ts");
    await commitFiles(repo, ["b.ts"], "cpu: drop b");
    expect(git(repo, "ls-tree", "--name-only", "HEAD")).toBe("a.ts\n");
    expect(status(repo)).toBe("");
  });

  test("a message starting with a dash is a message, not an option", async () => {
    const repo = repoWith({ "a.ts": "a\n" });
    write(repo, "a.ts", "b\n");
    await commitFiles(repo, ["a.ts"], "--amend");
    expect(git(repo, "log", "--format=%s")).toBe("--amend\ninitial\n");
  });

  test("nothing to commit is a user error and leaves the index as it was", async () => {
    const repo = repoWith({ "a.ts": "a\n", "b.ts": "b\n" });
    write(repo, "b.ts", "staged\n");
    git(repo, "add", "b.ts");
    const before = indexState(repo);
    const error = await commitFiles(repo, ["a.ts"], "cpu: nothing").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain("nothing to commit");
    expect(indexState(repo)).toBe(before);
  });

  test("a commit hook's refusal is a user error and the change stays unstaged on disk", async () => {
    const repo = repoWith({ "a.ts": "a\n" });
    write(repo, ".git/hooks/pre-commit", "#!/bin/sh\necho 'lint failed' >&2\nexit 1\n");
    chmodSync(path.join(repo, ".git/hooks/pre-commit"), 0o755);
    write(repo, "a.ts", "b\n");
    write(repo, "new.ts", "n\n");
    const before = indexState(repo);
    const error = await commitFiles(repo, ["a.ts", "new.ts"], "cpu: x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain("lint failed");
    expect(indexState(repo)).toBe(before);
    expect(read(repo, "a.ts")).toBe("b\n");
    expect(git(repo, "rev-list", "--count", "HEAD")).toBe("1\n");
  });

  test("an empty message is refused", async () => {
    const repo = repoWith({ "a.ts": "a\n" });
    write(repo, "a.ts", "b\n");
    await expect(commitFiles(repo, ["a.ts"], "  ")).rejects.toThrow("the commit message is empty");
  });
});

describe("snapshots", () => {
  test("restoreSnapshot puts back exact bytes, modes, absences and staged entries", async () => {
    const repo = repoWith({ "run.sh": "#!/bin/sh\necho hi\n", "data.bin": BINARY_BEFORE, "a.ts": "a\n" });
    chmodSync(path.join(repo, "run.sh"), 0o755);
    write(repo, "a.ts", "user's edit\n");
    git(repo, "add", "a.ts");
    write(repo, "a.ts", "user's later edit\n");
    const indexBefore = indexState(repo);
    const statusBefore = status(repo);
    const files = ["run.sh", "data.bin", "a.ts", "gen/out/new.ts"];
    const snapshot = await snapshotFiles(repo, files);

    // What an interrupted command might leave behind.
    writeFileSync(path.join(repo, "run.sh"), "broken\n");
    chmodSync(path.join(repo, "run.sh"), 0o644);
    rmSync(path.join(repo, "data.bin"));
    write(repo, "a.ts", "half-written");
    write(repo, "gen/out/new.ts", "created by the command\n");
    git(repo, "add", "--all");

    restoreSnapshot(snapshot);
    expect(read(repo, "run.sh")).toBe("#!/bin/sh\necho hi\n");
    expect(statSync(path.join(repo, "run.sh")).mode & 0o777).toBe(0o755);
    expect(readFileSync(path.join(repo, "data.bin"))).toEqual(BINARY_BEFORE);
    expect(read(repo, "a.ts")).toBe("user's later edit\n");
    expect(existsSync(path.join(repo, "gen"))).toBe(false);
    expect(indexState(repo)).toBe(indexBefore);
    expect(status(repo)).toBe(statusBefore);
  });
});
