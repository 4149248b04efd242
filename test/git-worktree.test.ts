import { afterAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { UserError } from "../src/errors.ts";
import { ExitCode } from "../src/exit-codes.ts";
import { registerCleanup, runCleanups } from "../src/process/cleanup.ts";
import { createWorktree, removeWorktree, withWorktree } from "../src/git/worktree.ts";
import { commit, git, removeTempFolders, repoWith, revParse, tempFolder, worktrees, write } from "./fixtures/git-repo.ts";

afterAll(removeTempFolders);

/** A two-commit repository (HEAD~1 has the slow version) with installed dependencies, as a user's checkout has. */
function projectRepo(): string {
  const repo = repoWith({
    ".gitignore": "node_modules/\n",
    "package.json": '{ "name": "app", "workspaces": ["packages/*"] }\n',
    "src/price.ts": "export const version = 'slow';\n",
    "packages/util/package.json": '{ "name": "util" }\n',
    "packages/util/index.ts": "export {};\n",
  });
  commit(repo, { "src/price.ts": "export const version = 'fast';\n" }, "faster");
  write(repo, "node_modules/left-pad/index.js", "module.exports = 'left-pad';\n");
  write(repo, "packages/util/node_modules/tiny/index.js", "module.exports = 'tiny';\n");
  return repo;
}

describe("withWorktree", () => {
  test("it checks the commit out in a temporary folder and removes it afterwards", async () => {
    const repo = projectRepo();
    const seen = await withWorktree(repo, "HEAD~1", (worktree) => {
      expect(worktree.path.startsWith(realpathSync(os.tmpdir()))).toBe(true);
      expect(worktrees(repo)).toEqual([repo, worktree.path]);
      expect(revParse(worktree.path)).toBe(revParse(repo, "HEAD~1"));
      return { path: worktree.path, source: readFileSync(path.join(worktree.path, "src/price.ts"), "utf8") };
    });
    expect(seen.source).toBe("export const version = 'slow';\n");
    expect(existsSync(seen.path)).toBe(false);
    expect(worktrees(repo)).toEqual([repo]);
    // The user's checkout is untouched.
    expect(git(repo, "status", "--porcelain")).toBe("");
  });

  test("the user's node_modules are visible in the worktree, top-level and per workspace package", async () => {
    const repo = projectRepo();
    await withWorktree(repo, "HEAD", (worktree) => {
      expect(worktree.linkedDependencies).toEqual(["node_modules", "packages/util/node_modules"]);
      expect(readFileSync(path.join(worktree.path, "node_modules/left-pad/index.js"), "utf8")).toContain("left-pad");
      expect(readFileSync(path.join(worktree.path, "packages/util/node_modules/tiny/index.js"), "utf8")).toContain("tiny");
    });
    // Removing the worktree never reaches through the links into the user's dependencies.
    expect(existsSync(path.join(repo, "node_modules/left-pad/index.js"))).toBe(true);
    expect(existsSync(path.join(repo, "packages/util/node_modules/tiny/index.js"))).toBe(true);
  });

  test("a thrown error still removes the worktree and reaches the caller", async () => {
    const repo = projectRepo();
    let folder = "";
    const failure = withWorktree(repo, "HEAD", (worktree) => {
      folder = worktree.path;
      throw new Error("benchmark crashed");
    });
    await expect(failure).rejects.toThrow("benchmark crashed");
    expect(existsSync(folder)).toBe(false);
    expect(worktrees(repo)).toEqual([repo]);
    expect(existsSync(path.join(repo, "node_modules/left-pad/index.js"))).toBe(true);
  });

  test("a ref starting with a dash is refused and no worktree is created", async () => {
    const repo = projectRepo();
    const error = await createWorktree(repo, "--orphan=x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(worktrees(repo)).toEqual([repo]);
  });

  test("removeWorktree is safe to call twice, and runCleanups has nothing left afterwards", async () => {
    const repo = projectRepo();
    const worktree = await createWorktree(repo, "HEAD");
    await removeWorktree(worktree);
    await removeWorktree(worktree);
    await runCleanups();
    expect(worktrees(repo)).toEqual([repo]);
  });

  test("a worktree nobody removed is removed by runCleanups", async () => {
    const repo = projectRepo();
    const worktree = await createWorktree(repo, "HEAD");
    await runCleanups();
    expect(existsSync(worktree.path)).toBe(false);
    expect(worktrees(repo)).toEqual([repo]);
  });
});

describe("interrupts", () => {
  const childScript = (folder: string): string => {
    const script = path.join(folder, "hold-worktree.ts");
    const src = path.resolve(import.meta.dir, "../src/git");
    writeFileSync(
      script,
      [
        `import { installInterruptHandlers } from ${JSON.stringify(path.resolve(src, "../process/interrupt.ts"))};`,
        `import { createWorktree } from ${JSON.stringify(path.join(src, "worktree.ts"))};`,
        "installInterruptHandlers();",
        "const worktree = await createWorktree(process.argv[2]!, 'HEAD');",
        "console.log('ready ' + worktree.path);",
        "setInterval(() => {}, 1000);",
      ].join("\n"),
    );
    return script;
  };

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    test(`a ${signal} sent to a process holding a worktree removes it and exits with 130`, async () => {
      const repo = projectRepo();
      const child = spawn(process.execPath, [childScript(tempFolder()), repo], { stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const folder = await new Promise<string>((resolve, reject) => {
        let stdout = "";
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /ready (.+)\n/.exec(stdout);
          if (match) resolve(match[1]!);
        });
        child.on("exit", () => reject(new Error(`child exited early: ${stderr}`)));
      });
      expect(worktrees(repo)).toEqual([repo, folder]);
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      child.kill(signal);
      expect(await exited).toBe(ExitCode.interrupted);
      expect(existsSync(folder)).toBe(false);
      expect(worktrees(repo)).toEqual([repo]);
      expect(existsSync(path.join(repo, "node_modules/left-pad/index.js"))).toBe(true);
    });
  }
});

describe("cleanup registry", () => {
  test("cleanups run once each, newest first, and a failing one does not stop the rest", async () => {
    const order: string[] = [];
    const first = registerCleanup(() => void order.push("first"));
    registerCleanup(() => {
      order.push("failing");
      throw new Error("could not undo");
    });
    registerCleanup(() => void order.push("last"));
    const cancelled = registerCleanup(() => void order.push("cancelled"));
    cancelled.cancel();
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      await runCleanups();
      await runCleanups();
    } finally {
      process.stderr.write = stderr;
    }
    await first.run();
    expect(order).toEqual(["last", "failing", "first"]);
  });
});
