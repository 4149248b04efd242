import { afterAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { binaryOutsideRepo, repoRoot, runIn } from "./helpers.ts";
import { commitAll, git, removeTempFolders, tempFolder } from "./fixtures/git-repo.ts";

afterAll(removeTempFolders);

const engineSource = 'export function engine() { return typeof Bun !== "undefined" ? "bun" : typeof Deno !== "undefined" ? "deno" : "node"; }\nexport function sum(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }\n';
const quickBench = ["--time", "0.1", "--rounds", "2", "--precision", "0", "--copies", "1"];
const denoFolder = join(repoRoot, "node_modules/.bin");

/** A user's project folder holding `engine.mjs`, plus `files`. */
function project(files: Record<string, string> = {}): string {
  const dir = tempFolder("xloop-runtime-");
  writeFileSync(join(dir, "engine.mjs"), engineSource);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function xl(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  return runIn(binaryOutsideRepo(), args, cwd, env);
}

function benchRuntime(cwd: string, extra: string[] = [], env: Record<string, string | undefined> = {}) {
  const run = xl(["bench", "engine.mjs#sum", "--args", "[200]", "--json", ...quickBench, ...extra], cwd, env);
  expect(run.code).toBe(0);
  return { doc: JSON.parse(run.stdout), stderr: run.stderr };
}

/** A PATH holding git (the binary asks it for the repository) and nothing else. */
function pathWithoutNode(): string {
  const bin = tempFolder("xloop-path-");
  const gitPath = runIn("sh", ["-c", "command -v git"], repoRoot).stdout.trim();
  symlinkSync(gitPath, join(bin, "git"));
  return bin;
}

describe("the runtime that measures", () => {
  test("with no Bun or Deno files the binary measures on node, and the report and JSON name it", () => {
    const dir = project({ "package.json": '{"type":"module"}' });
    const { doc } = benchRuntime(dir);
    expect(doc.runtime.name).toBe("node");
    expect(doc.runtime.version).toBe(process.versions.node === undefined ? doc.runtime.version : runIn("node", ["-p", "process.versions.node"], dir).stdout.trim());
    const human = xl(["bench", "engine.mjs#sum", "--args", "[200]", ...quickBench], dir);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/measured on node \d+\.\d+\.\d+/);
  });

  test("--runtime bun measures on the binary's own Bun and --runtime node on node", () => {
    const dir = project();
    expect(benchRuntime(dir, ["--runtime", "bun"]).doc.runtime.name).toBe("bun");
    expect(benchRuntime(dir, ["--runtime", "node"]).doc.runtime.name).toBe("node");
  });

  test("a project's bunfig.toml makes bun the default, and deno.json makes it deno", () => {
    expect(benchRuntime(project({ "bunfig.toml": "", "package.json": "{}" })).doc.runtime.name).toBe("bun");
    const deno = benchRuntime(project({ "deno.json": "{}" }), [], { PATH: `${denoFolder}:${process.env.PATH}` });
    expect(deno.doc.runtime.name).toBe("deno");
  });

  test("runtime in .codeflash/config.json is the default, and --runtime still wins", () => {
    const dir = project({ ".codeflash/config.json": '{ "runtime": "bun" }' });
    expect(benchRuntime(dir).doc.runtime.name).toBe("bun");
    expect(benchRuntime(dir, ["--runtime", "node"]).doc.runtime.name).toBe("node");
  });

  test("--runtime-path runs the runtime it names", () => {
    const dir = project();
    const link = join(tempFolder("xloop-rt-"), "node-lts");
    symlinkSync(runIn("sh", ["-c", "command -v node"], repoRoot).stdout.trim(), link);
    expect(benchRuntime(dir, ["--runtime-path", link]).doc.runtime.name).toBe("node");
    const contradiction = xl(["bench", "engine.mjs#sum", "--runtime-path", link, "--runtime", "bun"], dir);
    expect(contradiction.code).toBe(2);
    expect(contradiction.stderr.trim()).toMatch(/^xloop: --runtime bun: the executable given runs node \d+\.\d+\.\d+, not bun$/);
  });

  test("an engine's name captured under node and verified under bun differs: exit 5", () => {
    const dir = project();
    expect(xl(["oracle", "capture", "engine.mjs#engine", "--runtime", "node"], dir).code).toBe(0);
    expect(xl(["oracle", "verify", "engine.mjs#engine", "--runtime", "node"], dir).code).toBe(0);
    const verify = xl(["oracle", "verify", "engine.mjs#engine", "--runtime", "bun"], dir);
    expect(verify.code).toBe(5);
    expect(verify.stdout).toContain('"node" (original) vs "bun" (now)');
    expect(verify.stderr).toMatch(/xloop: note: the oracle was captured on node \S+ and this verification ran on bun \S+; engines differ in some outputs/);
    const json = JSON.parse(xl(["oracle", "verify", "engine.mjs#engine", "--runtime", "bun", "--json"], dir).stdout);
    expect(json.runtime.name).toBe("bun");
    expect(json.capturedOn).toMatch(/^node /);
  });

  test("without node on PATH the default is bun, said in one note", () => {
    const dir = project();
    const { doc, stderr } = benchRuntime(dir, [], { PATH: pathWithoutNode() });
    expect(doc.runtime.name).toBe("bun");
    expect(stderr).toContain("xloop: note: no node on PATH, so this measures on Bun");
  });
});

describe("the runtime kit's cache", () => {
  test("a home whose cache cannot be written still measures on node: the kit unpacks in the temporary folder", () => {
    const dir = project();
    const notAFolder = join(tempFolder("xloop-home-"), "home-file");
    writeFileSync(notAFolder, "");
    const { doc } = benchRuntime(dir, ["--runtime", "node"], { HOME: notAFolder, XDG_CACHE_HOME: "", XLOOP_CACHE_DIR: "" });
    expect(doc.runtime.name).toBe("node");
  });
});

describe("runtime mistakes get one line and exit 2", () => {
  test("an unknown runtime", () => {
    const run = xl(["bench", "engine.mjs#sum", "--runtime", "nodejs"], project());
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('xloop: --runtime: must be one of node, bun, deno (got "nodejs")');
  });

  test("a runtime that is not installed", () => {
    const run = xl(["bench", "engine.mjs#sum", "--runtime", "deno"], project(), { PATH: pathWithoutNode() });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("no deno executable on PATH; install it, give its path with --runtime-path, or choose another runtime");
  });

  test("a --runtime-path that is not an executable", () => {
    const run = xl(["ab", "engine.mjs#sum", "engine.mjs#sum", "--runtime-path", "/nonexistent/node"], project());
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('xloop: --runtime-path: "/nonexistent/node" is not an executable file; give the path of a node, bun or deno executable');
  });
});

describe("figures from two engines are never compared", () => {
  function loopRepo(): string {
    const dir = project({ "cases.mjs": "export const cases = [[300], [500]];\n" });
    git(dir, "init", "-q");
    commitAll(dir, "start");
    expect(xl(["init"], dir).code).toBe(0);
    return dir;
  }

  test("the baseline row carries its runtime, and an experiment on another engine is refused before anything changes", () => {
    const dir = loopRepo();
    const baseline = xl(["baseline", "engine.mjs#sum", "--cases", "cases.mjs#cases", "--runtime", "bun", ...quickBench], dir);
    expect(baseline.code).toBe(0);
    const header = readFileSync(join(dir, ".codeflash/results.tsv"), "utf8").split("\n")[0].split("\t");
    const row = readFileSync(join(dir, ".codeflash/results.tsv"), "utf8").split("\n")[1].split("\t");
    expect(row[header.indexOf("runtime")]).toMatch(/^bun \d+\.\d+\.\d+$/);
    const changed = engineSource.replace("s += i", "s = s + i");
    writeFileSync(join(dir, "engine.mjs"), changed);
    const run = xl(["experiment", "engine.mjs#sum", "--pattern", "algorithm", "-m", "same loop", "--runtime", "node"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("its baseline (experiment 1) was measured on bun");
    expect(run.stderr).toContain("pass --runtime bun");
    expect(readFileSync(join(dir, "engine.mjs"), "utf8")).toBe(changed);
    expect(readFileSync(join(dir, ".codeflash/results.tsv"), "utf8").trim().split("\n")).toHaveLength(2);
  });

  test("ab refuses a noise floor measured on another engine and says how to measure one here", () => {
    const dir = loopRepo();
    expect(xl(["noise", "engine.mjs#sum", "--args", "[300]", "--pairs", "4", "--round-time", "0.05", "--runtime", "bun"], dir).code).toBe(0);
    const run = xl(["ab", "engine.mjs#sum", "engine.mjs#sum", "--args", "[300]", "--runtime", "node"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("its stored noise floor was measured on bun");
    expect(run.stderr).toContain("xloop noise engine.mjs#sum --runtime node");
  });
});

describe("a hosted run", () => {
  test("an interrupt reaches the child once: it cleans up and the binary exits 130, leaving no process behind", async () => {
    const dir = project();
    const child = spawn(binaryOutsideRepo(), ["bench", "engine.mjs#sum", "--args", "[200]", "--time", "20", "--runtime", "node"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const hosted = `kit-.*/dist/cli.js bench engine.mjs#sum --args \\[200\\] --time 20`;
    const running = () => runIn("sh", ["-c", `pgrep -f "${hosted}" || true`], dir).stdout.trim() !== "";
    for (let i = 0; i < 200 && !running(); i++) await Bun.sleep(50);
    expect(running()).toBe(true);
    // Past its start-up (a second of life), the child has its interrupt handling in place.
    const age = () => Number(runIn("sh", ["-c", `ps -o etimes= -p $(pgrep -f "${hosted}" | head -n 1)`], dir).stdout.trim() || 0);
    for (let i = 0; i < 100 && age() < 1; i++) await Bun.sleep(50);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr.match(/SIGINT: cleaning up/g)).toHaveLength(1);
    expect(running()).toBe(false);
  });
});
