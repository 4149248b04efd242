import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { compiledBinary, repoRoot, tempDir } from "./helpers.ts";

/** A user's project outside the repository: TS with a relative import and a package of its own. */
function userProject(): string {
  const dir = tempDir("xloop-user-");
  mkdirSync(join(dir, "lib"));
  mkdirSync(join(dir, "node_modules/tiny-pad"), { recursive: true });
  writeFileSync(join(dir, "node_modules/tiny-pad/package.json"), JSON.stringify({ name: "tiny-pad", version: "1.0.0", main: "index.js" }));
  writeFileSync(join(dir, "node_modules/tiny-pad/index.js"), "module.exports = (s, n) => String(s).padStart(n, '.');\n");
  writeFileSync(join(dir, "lib/words.ts"), "export const upper = (s: string): string => s.toUpperCase();\n");
  writeFileSync(
    join(dir, "lib/a.ts"),
    'import pad from "tiny-pad";\nimport { upper } from "./words.ts";\nexport function shout(s: string): string {\n  return pad(upper(s), 20);\n}\n',
  );
  return dir;
}

function run(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("one binary, three runtimes", () => {
  test("the compiled binary runs from a folder with no node_modules of xloop's", () => {
    const bin = join(tempDir("xloop-bin-"), "xloop");
    copyFileSync(compiledBinary, bin);
    spawnSync("chmod", ["+x", bin]);
    const project = userProject();
    expect(existsSync(join(project, "node_modules/piscina"))).toBe(false);
    // No Bun or Deno files and node installed: the default is node, hosted from the binary's own kit.
    for (const runtime of ["node", "bun"]) {
      const bench = run(bin, ["bench", "lib/a.ts#shout", "--args", '["hello"]', "--json", "--time", "0.2", "--rounds", "2", ...(runtime === "bun" ? ["--runtime", "bun"] : [])], project);
      expect(bench.stderr).toBe("");
      expect(bench.code).toBe(0);
      const doc = JSON.parse(bench.stdout);
      expect(doc.runtime.name).toBe(runtime);
      expect(doc.results[0].ok).toBe(true);
      expect(doc.results[0].facts.copies).toEqual({ asked: 4, made: 4 });
    }
    const capture = run(bin, ["oracle", "capture", "lib/a.ts#shout", "--args", '["hello"]'], project);
    expect(capture.code).toBe(0);
    expect(run(bin, ["oracle", "verify", "lib/a.ts#shout"], project).code).toBe(0);
  });

  test("the same source runs on Node 20+ through dist/cli.js, TypeScript targets and their copies included", () => {
    const project = userProject();
    const bench = run("node", [join(repoRoot, "dist/cli.js"), "bench", "lib/a.ts#shout", "--args", '["hello"]', "--json", "--time", "0.2", "--rounds", "2"], project);
    expect(bench.code).toBe(0);
    const doc = JSON.parse(bench.stdout);
    expect(doc.runtime.name).toBe("node");
    expect(doc.results[0].ok).toBe(true);
    expect(doc.results[0].facts.copies).toEqual({ asked: 4, made: 4 });
    expect(doc.results[0].pin.method).toBeDefined();
  });

  test("the same source runs on Deno through dist/cli.js", () => {
    const bench = run(join(repoRoot, "node_modules/.bin/deno"), ["run", "-A", "dist/cli.js", "bench", "--runtime", "deno", "test/fixtures/targets.ts#sumTo", "--args", "[500]", "--json", "--time", "0.2", "--rounds", "2"], repoRoot);
    expect(bench.code).toBe(0);
    const doc = JSON.parse(bench.stdout);
    expect(doc.runtime.name).toBe("deno");
    expect(doc.results[0].ok).toBe(true);
    expect(doc.results[0].facts.copies).toEqual({ asked: 4, made: 4 });
  });

  test("--version answers on every runtime", () => {
    expect(run(compiledBinary, ["--version"], repoRoot).stdout).toMatch(/^xloop\/\d+\.\d+\.\d+/);
    expect(run("node", ["dist/cli.js", "--version"], repoRoot).stdout).toMatch(/^xloop\/\d+\.\d+\.\d+/);
  });
});
