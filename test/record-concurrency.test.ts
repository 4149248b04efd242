import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UserError } from "../src/errors.ts";
import { RESULT_COLUMNS } from "../src/record/columns.ts";
import { withFileLock } from "../src/record/lock.ts";
import { readResults } from "../src/record/results-tsv.ts";
import { codeflashFile, removeTempFolders } from "./fixtures/git-repo.ts";
import { bunBinary, repoRoot } from "./helpers.ts";
const ROWS_PER_WRITER = 200;

let dir: string;
let file: string;

beforeEach(() => ({ dir, file } = codeflashFile("results.tsv", "xloop-concurrency-")));
afterEach(removeTempFolders);

/** A writer process: appends rows whose description is long and holds tabs and newlines, so a torn write shows. */
function writerScript(): string {
  const script = path.join(dir, "writer.ts");
  fs.writeFileSync(
    script,
    `import { newRow } from ${JSON.stringify(path.join(repoRoot, "src/record/columns.ts"))};
import { appendResult } from ${JSON.stringify(path.join(repoRoot, "src/record/results-tsv.ts"))};
const [file, writer, count] = process.argv.slice(2);
for (let i = 0; i < Number(count); i++) {
  appendResult(file, newRow({
    experiment: Number(writer) * 10000 + i,
    status: i % 2 ? "keep" : "discard",
    pattern: "writer-" + writer,
    description: "row " + i + " of writer " + writer + "\\tpadded\\n" + "x".repeat(3000),
  }));
}
`,
  );
  return script;
}

function run(script: string, writer: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(bunBinary, [script, file, String(writer), String(ROWS_PER_WRITER)], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("concurrent appends", () => {
  test("two processes appending 200 rows each at once leave one header and 400 whole rows", async () => {
    const script = writerScript();
    const results = await Promise.all([run(script, 1), run(script, 2)]);
    expect(results).toEqual([
      { code: 0, stderr: "" },
      { code: 0, stderr: "" },
    ]);
    const text = fs.readFileSync(file, "utf8");
    const lines = text.split("\n");
    expect(lines.filter((line) => line === RESULT_COLUMNS.join("\t"))).toHaveLength(1);
    expect(lines.filter(Boolean)).toHaveLength(1 + 2 * ROWS_PER_WRITER);
    const { rows } = readResults(file);
    for (const writer of [1, 2]) {
      const mine = rows.filter((row) => row.pattern === `writer-${writer}`);
      expect(mine.map((row) => row.experiment)).toEqual(Array.from({ length: ROWS_PER_WRITER }, (_, i) => writer * 10000 + i));
      expect(mine.every((row, i) => row.description === `row ${i} of writer ${writer}\tpadded\n${"x".repeat(3000)}`)).toBe(true);
    }
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });
});

describe("the lock", () => {
  test("a lock left by a process that is gone is broken and the write goes ahead", () => {
    fs.writeFileSync(`${file}.lock`, `2147483646\n${os.hostname()}\n`);
    expect(withFileLock(file, () => "written", { timeoutMs: 1000 })).toBe("written");
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  test("a lock older than the stale age is broken even if its pid is alive", () => {
    fs.writeFileSync(`${file}.lock`, `${process.pid}\n${os.hostname()}\n`);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(`${file}.lock`, old, old);
    expect(withFileLock(file, () => "written", { timeoutMs: 1000, staleMs: 30_000 })).toBe("written");
  });

  test("a fresh lock held by a live process makes the writer wait, then fail naming the lock file", () => {
    fs.writeFileSync(`${file}.lock`, `${process.pid}\n${os.hostname()}\n`);
    let ran = false;
    const started = Date.now();
    let error: unknown;
    try {
      withFileLock(file, () => (ran = true), { timeoutMs: 200 });
    } catch (caught) {
      error = caught;
    }
    expect(ran).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(`${file}.lock has been held by pid ${process.pid}`);
    expect(fs.existsSync(`${file}.lock`)).toBe(true);
  });

  test("the lock is released when the locked action throws", () => {
    expect(() =>
      withFileLock(file, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });
});
