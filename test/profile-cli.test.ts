import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { commitAll, initRepo, removeTempFolders, tempFolder, write, writeFiles } from "./fixtures/git-repo.ts";
import { profileProjectFiles } from "./fixtures/profile-project.ts";
import { binaryOutsideRepo, bunBinary, repoRoot, runIn } from "./helpers.ts";

const SLOW = 240_000;
afterAll(removeTempFolders);

interface Ranked {
  rank: number;
  name: string;
  file: string;
  line: number;
  origin: string;
  selfShare: number;
  totalShare: number;
  calls: number | null;
  category: string | null;
  target: string | null;
  domain: string;
  impact: number;
}

function xloopIn(cwd: string, args: string[]) {
  return runIn(binaryOutsideRepo(), args, cwd, {}, SLOW);
}

/** The workload's own timing of its phases, and the time from its module's start to its end (what the profile can see). */
function truthOf(stderr: string): { hotMs: number; secondMs: number; workloadMs: number } {
  const line = stderr.split("\n").find((l) => l.startsWith('{"hotMs"'));
  if (!line) throw new Error(`no truth line in:\n${stderr}`);
  const t = JSON.parse(line);
  return { ...t, workloadMs: t.processMs - t.startMs };
}

describe("xloop profile on a real project", () => {
  let project: string;
  let profiled: ReturnType<typeof xloopIn>;
  let ranked: Ranked[];

  beforeAll(() => {
    project = initRepo(tempFolder("xloop profile project "));
    writeFiles(project, profileProjectFiles());
    commitAll(project, "a project with a known hot function");
    profiled = xloopIn(project, ["profile", "--json", "--", "node", "src/main.js"]);
    ranked = profiled.code === 0 ? JSON.parse(profiled.stdout).ranked : [];
  }, SLOW);

  test("the known hot function ranks first with a share within 10 points of the truth the workload timed", () => {
    expect(profiled.code).toBe(0);
    const truth = truthOf(profiled.stderr);
    expect(ranked[0].name).toBe("dedupe");
    expect(ranked[0].file).toBe("src/lib.js");
    expect(ranked[0].line).toBe(1);
    expect(Math.abs(ranked[0].selfShare - truth.hotMs / truth.workloadMs)).toBeLessThan(0.1);
  });

  test("the known second function ranks second", () => {
    const truth = truthOf(profiled.stderr);
    expect(ranked[1].name).toBe("checksum");
    expect(Math.abs(ranked[1].selfShare - truth.secondMs / truth.workloadMs)).toBeLessThan(0.1);
  });

  test("each candidate carries calls counted by a second run, a target spec, the domain, a category guess and its impact", () => {
    const [hot, second] = ranked;
    expect(hot.calls).toBe(24);
    expect(second.calls).toBe(24);
    expect(hot.target).toBe("src/lib.js#dedupe");
    expect(hot.domain).toBe("cpu");
    expect(hot.category).toContain("membership test in a loop");
    expect(hot.impact).toBeGreaterThanOrEqual(hot.selfShare);
    expect(profiled.stderr).toContain("calls counted in a second run");
  });

  test("a dependency's hot function is left out unless --include-deps", () => {
    expect(ranked.some((r) => r.file.includes("node_modules"))).toBe(false);
    const run = xloopIn(project, ["profile", "--json", "--include-deps", "--no-calls", "--no-heap", "--threshold", "0.1", "--", "node", "src/main.js"]);
    expect(run.code).toBe(0);
    const all: Ranked[] = JSON.parse(run.stdout).ranked;
    expect(all.find((r) => r.name === "spin")?.origin).toBe("dependency");
    expect(run.stderr).toContain("--no-calls: ranked by self time");
  });

  test("the profiles are kept under .codeflash/profiles with the command, commit and date, and the list in bottlenecks.json", () => {
    const list = JSON.parse(readFileSync(join(project, ".codeflash/bottlenecks.json"), "utf8"));
    expect(list.command).toBe("node src/main.js");
    expect(list.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(list.candidates[0].target).toBe("src/lib.js#dedupe");
    const dir = JSON.parse(profiled.stdout).profileDir as string;
    expect(dir.startsWith(join(project, ".codeflash/profiles/"))).toBe(true);
    const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
    expect(meta).toMatchObject({ command: "node src/main.js", commit: list.commit, status: "complete" });
    expect(readdirSync(join(dir, "node")).some((f) => f.endsWith(".cpuprofile"))).toBe(true);
    expect(readdirSync(join(dir, "node")).some((f) => f.endsWith(".heapprofile"))).toBe(true);
  });

  test("child processes and worker threads the workload starts are profiled too", () => {
    const run = xloopIn(project, ["profile", "--json", "--", "node", "src/spawner.js"]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    const names = (doc.ranked as Ranked[]).map((r) => r.name);
    expect(names).toContain("dedupe");
    expect(names).toContain("checksum");
    const dir = doc.profileDir as string;
    expect(readdirSync(join(dir, "node")).filter((f) => f.endsWith(".cpuprofile")).length).toBeGreaterThanOrEqual(3);
  });

  test("targets prints the list, and says it is stale once the top entry's file changed", () => {
    const fresh = xloopIn(project, ["targets"]);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toMatch(/^rank\s+self\s+total\s+function/);
    expect(fresh.stdout).toContain("src/lib.js#dedupe");
    expect(fresh.stderr).not.toContain("stale");
    write(project, "src/lib.js", `${readFileSync(join(project, "src/lib.js"), "utf8")}\n// touched\n`);
    const stale = xloopIn(project, ["targets", "--json"]);
    expect(JSON.parse(stale.stdout)).toMatchObject({ stale: true, staleFiles: ["src/lib.js"] });
    expect(xloopIn(project, ["targets"]).stderr).toContain("the list is stale: src/lib.js changed since the profiled commit");
  });

  test("next prints the next target as the loop's status line, and skips targets marked non-optimizable until none is left (exit 7)", () => {
    expect(xloopIn(project, ["profile", "--", "node", "src/main.js"]).code).toBe(0);
    const first = xloopIn(project, ["next"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^\[experiment 1\] Target: dedupe in src\/lib\.js:1 \(membership test in a loop[^,]*, up to \d+\.\d% of CPU time\)/);
    expect(first.stdout).toContain("target: src/lib.js#dedupe");
    expect(xloopIn(project, ["init"]).code).toBe(0);
    const list = JSON.parse(readFileSync(join(project, ".codeflash/bottlenecks.json"), "utf8"));
    for (const c of list.candidates) {
      const spec = c.target ?? `${c.file}#${c.name}`;
      expect(xloopIn(project, ["target", "done", spec, "--reason", "already optimal"]).code).toBe(0);
      const next = xloopIn(project, ["next", "--json"]);
      const doc = JSON.parse(next.stdout);
      expect(doc.skipped.map((s: { target: string }) => s.target)).toContain(spec);
      if (doc.target) expect(doc.target.name).not.toBe(c.name);
      else expect(next.code).toBe(7);
    }
  });
});

describe("xloop profile on the project's bench folder and on other runtimes", () => {
  let project: string;
  beforeAll(() => {
    project = initRepo(tempFolder("xloop-profile-bench-"));
    writeFiles(project, profileProjectFiles());
    commitAll(project, "project");
  });

  test("--bench runs each bench file's exported functions on the project's runtime and ranks the functions they call", () => {
    const run = xloopIn(project, ["profile", "--bench", "bench", "--time", "1", "--json"]);
    expect(run.code).toBe(0);
    const ranked: Ranked[] = JSON.parse(run.stdout).ranked;
    expect(ranked.slice(0, 2).map((r) => r.name).sort()).toEqual(["checksum", "dedupe"]);
    expect(JSON.parse(run.stdout)).toMatchObject({ version: 1, command: "profile", workload: "--bench bench on node" });
  });

  test("--imports ranks a module's import-time work beside the functions, in the structure domain", () => {
    const run = xloopIn(project, ["profile", "--json", "--imports", "src/app.js", "--", "node", "src/app.js"]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    const heavy = (doc.ranked as Ranked[]).find((r) => r.domain === "structure" && r.file === "src/heavy.js");
    expect(heavy).toMatchObject({ name: "top level of src/heavy.js", category: "top-level work at import", line: 1 });
    expect((doc.ranked as Ranked[]).some((r) => r.file === "src/app.js" && r.domain === "structure")).toBe(false);
    expect(existsSync(join(doc.profileDir, "imports.json"))).toBe(true);
  });

  test("--bench runs a TypeScript bench file on Node through the kit's loader", () => {
    writeFiles(project, { "tsbench/lib.bench.ts": 'import { dedupe, makeItems } from "../src/lib.js";\nconst items: number[] = makeItems(2);\nexport function dedupeBench(): number { return dedupe(items).length; }\n' });
    const run = xloopIn(project, ["profile", "--bench", "tsbench", "--time", "1", "--json", "--runtime", "node"]);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout).ranked as Ranked[])[0].name).toBe("dedupe");
  });

  test("a Bun workload is profiled through BUN_OPTIONS, with no call counts (ranked by self time)", () => {
    const run = xloopIn(project, ["profile", "--json", "--", bunBinary, "src/main.js", "60"]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.ranked[0].name).toBe("dedupe");
    expect(doc.ranked[0].calls).toBeNull();
    expect(run.stderr).toContain("no call counts (only Node gives them)");
  });

  test("a Deno workload is profiled with --cpu-prof inserted after deno run", () => {
    const deno = join(repoRoot, "node_modules/.bin/deno");
    const run = xloopIn(project, ["profile", "--json", "--", deno, "run", "--allow-all", "src/main.js", "60"]);
    expect(run.code).toBe(0);
    const names = (JSON.parse(run.stdout).ranked as Ranked[]).map((r) => r.name);
    expect(names).toContain("checksum");
    expect(readdirSync(join(JSON.parse(run.stdout).profileDir, "deno")).some((f) => f.endsWith(".cpuprofile"))).toBe(true);
  });
});

describe("xloop profile on bad input", () => {
  let project: string;
  beforeAll(() => {
    project = initRepo(tempFolder("xloop-profile-bad-"));
    writeFiles(project, {
      ...profileProjectFiles(),
      "src/fails.js": `import { dedupe, makeItems } from "./lib.js";\nfor (let k = 0; k < 20; k++) dedupe(makeItems(k));\nconsole.log("about to fail");\nprocess.exit(4);\n`,
      "src/deps-only.js": `import { createRequire } from "node:module";\nconst { spin } = createRequire(import.meta.url)("slow-dep");\nlet s = 0; for (let k = 0; k < 400; k++) s ^= spin(100000);\nconsole.log(s);\n`,
    });
    commitAll(project, "project");
  });

  test("no command and no --bench: one line saying what to give, exit 2", () => {
    const run = xloopIn(project, ["profile"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("give the workload to profile after --");
  });

  test("a command that does not exist is named, exit 2", () => {
    const run = xloopIn(project, ["profile", "--", "no-such-command-xloop"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("command not found: no-such-command-xloop");
    expect(run.stderr).not.toContain("    at ");
  });

  test("a command that fails shows its exit code and output tail, keeps the partial profile labelled, leaves the list alone, exit 3", () => {
    const run = xloopIn(project, ["profile", "--", "node", "src/fails.js"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("failed: exit 4");
    expect(run.stderr).toContain("about to fail");
    expect(run.stderr).toMatch(/the partial profile is kept in .*meta\.json says "failed: exit 4"/);
    expect(existsSync(join(project, ".codeflash/bottlenecks.json"))).toBe(false);
    const dir = /the partial profile is kept in (.*) \(meta\.json/.exec(run.stderr)?.[1] as string;
    const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
    expect(meta.status).toBe("failed: exit 4");
  });

  test("a command too short to sample says so, exit 2", () => {
    const run = xloopIn(project, ["profile", "--", "node", "-e", "0"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("too short to sample");
    expect(run.stderr).toContain("run it longer or loop it");
  });

  test("a workload whose time is all in dependencies says no function of the project's code reached the threshold", () => {
    const run = xloopIn(project, ["profile", "--", "node", "src/deps-only.js"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("no function of the project's code reached 1.0% of the CPU time");
    expect(run.stderr).toContain("spin");
  });

  test("targets and next without a profile say how to build the list, exit 2", () => {
    const fresh = initRepo(tempFolder("xloop-profile-none-"));
    for (const command of ["targets", "next"]) {
      const run = xloopIn(fresh, [command]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("build the ranked list first with `xloop profile -- <your workload>`");
    }
  });

  test("a bench folder holding only vitest files says to profile vitest's runner instead, exit 2", () => {
    writeFiles(project, { "vbench/a.bench.js": 'import { bench } from "vitest";\nbench("x", () => {});\n' });
    const run = xloopIn(project, ["profile", "--bench", "vbench"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("profile it with `xloop profile -- npx vitest bench --run vbench/a.bench.js`");
  });

  test("bad option values are named", () => {
    expect(xloopIn(project, ["profile", "--interval", "0", "--", "node", "src/main.js"]).stderr).toContain("--interval: give a number above 0");
    expect(xloopIn(project, ["profile", "--bench", "nope"]).stderr).toContain("--bench: nope does not exist");
    expect(xloopIn(project, ["profile", "--html", "/no/such/dir/x.html", "--", "node", "src/main.js"]).stderr).toContain("--html: the folder /no/such/dir does not exist");
  });
});
