import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync, readdirSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { xloop, fixtures } from "./helpers.ts";
import { commitAll, git, initRepo, removeTempFolders, tempFolder } from "./fixtures/git-repo.ts";

afterAll(removeTempFolders);

/** A repository holding the price-oracle fixture, committed. */
function repoWithPrice(): string {
  const dir = initRepo();
  copyFileSync(join(fixtures, "price-oracle.ts"), join(dir, "price.ts"));
  commitAll(dir, "price");
  return dir;
}

describe("xloop oracle", () => {
  test("capture then verify of unchanged code says identical and exits 0", () => {
    const dir = repoWithPrice();
    const capture = xloop(["oracle", "capture", "price.ts#total", "--cases", "price.ts#cases"], { cwd: dir });
    expect(capture.code).toBe(0);
    expect(capture.stdout).toContain("captured 12 cases");
    const files = readdirSync(join(dir, ".codeflash/oracle"));
    expect(files).toHaveLength(1);
    const stored = JSON.parse(readFileSync(join(dir, ".codeflash/oracle", files[0]), "utf8"));
    expect(stored.target).toBe("price.ts#total");
    expect(stored.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(stored.dirty).toBe(false);
    const verify = xloop(["oracle", "verify", "price.ts#total"], { cwd: dir });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain("identical (12 cases)");
  });

  test("a changed float is reported with its case and path, and exits 5", () => {
    const dir = repoWithPrice();
    xloop(["oracle", "capture", "price.ts#total", "--cases", "price.ts#cases"], { cwd: dir });
    const source = readFileSync(join(dir, "price.ts"), "utf8").replace("Math.round(l.qty * l.price * 10) / 100", "(l.qty * l.price) / 10");
    writeFileSync(join(dir, "price.ts"), source);
    const verify = xloop(["oracle", "verify", "price.ts#total", "--json"], { cwd: dir });
    expect(verify.code).toBe(5);
    const report = JSON.parse(verify.stdout);
    expect(report.equal).toBe(false);
    expect(report.differences[0].path).toMatch(/^return\.lines\[\d\]\.tax$/);
    expect(report.maxRelativeDifference).toBeGreaterThan(0);
    const human = xloop(["oracle", "verify", "price.ts#total"], { cwd: dir });
    expect(human.stdout).toMatch(/case \d+ return\.lines\[\d\]\.tax: .* \(original\) vs .* \(now\)/);
    const tolerant = xloop(["oracle", "verify", "price.ts#total", "--rtol", "0.5"], { cwd: dir });
    expect(tolerant.code).toBe(0);
    expect(tolerant.stdout).toContain("largest relative difference");
  });

  test("in-place mutation of arguments is part of the output", () => {
    const dir = repoWithPrice();
    xloop(["oracle", "capture", "price.ts#total", "--cases", "price.ts#cases"], { cwd: dir });
    writeFileSync(join(dir, "price.ts"), readFileSync(join(dir, "price.ts"), "utf8").replace("seen.set(l.sku, (seen.get(l.sku) ?? 0) + 1);", ""));
    const verify = xloop(["oracle", "verify", "price.ts#total"], { cwd: dir });
    expect(verify.code).toBe(5);
    expect(verify.stdout).toContain('args[1]');
  });

  test("--base captures the original from a git revision and removes its worktree", () => {
    const dir = repoWithPrice();
    writeFileSync(join(dir, "price.ts"), readFileSync(join(dir, "price.ts"), "utf8").replace("* 10) / 100", "* 10) / 100 + 1"));
    const verify = xloop(["oracle", "verify", "price.ts#total", "--base", "HEAD", "--cases", "price.ts#cases"], { cwd: dir });
    expect(verify.code).toBe(5);
    expect(git(dir, "worktree", "list").trim().split("\n")).toHaveLength(1);
    const bad = xloop(["oracle", "verify", "price.ts#total", "--base", "no-such-ref", "--cases", "price.ts#cases"], { cwd: dir });
    expect(bad.code).toBe(2);
  });

  test("nondeterministic paths are reported at capture and --ignore excludes them", () => {
    const dir = repoWithPrice();
    const capture = xloop(["oracle", "capture", "price.ts#stamped", "--cases", "price.ts#stampedCases"], { cwd: dir });
    expect(capture.stderr).toContain("nondeterministic");
    expect(capture.stderr).toContain("return.at");
    expect(xloop(["oracle", "verify", "price.ts#stamped"], { cwd: dir }).code).toBe(5);
    expect(xloop(["oracle", "verify", "price.ts#stamped", "--ignore", "return.at"], { cwd: dir }).code).toBe(0);
  });

  test("--stdout records what each call printed, and a change in it is a difference", () => {
    const dir = tempFolder("xloop-stdout-");
    copyFileSync(join(fixtures, "modules/chatty.ts"), join(dir, "chatty.ts"));
    const capture = xloop(["oracle", "capture", "chatty.ts#chatty", "--cases", "chatty.ts#cases", "--stdout"], { cwd: dir });
    expect(capture.code).toBe(0);
    expect(capture.stdout).not.toContain("computing");
    expect(xloop(["oracle", "verify", "chatty.ts#chatty"], { cwd: dir }).code).toBe(0);
    writeFileSync(join(dir, "chatty.ts"), readFileSync(join(dir, "chatty.ts"), "utf8").replace('"computing"', '"working on"'));
    const verify = xloop(["oracle", "verify", "chatty.ts#chatty"], { cwd: dir });
    expect(verify.code).toBe(5);
    expect(verify.stdout).toContain("stdout");
  });

  test("bad inputs are one clear line, exit 2, and leave the stored oracle untouched", () => {
    const dir = repoWithPrice();
    xloop(["oracle", "capture", "price.ts#total", "--cases", "price.ts#cases"], { cwd: dir });
    const file = join(dir, ".codeflash/oracle", readdirSync(join(dir, ".codeflash/oracle"))[0]);
    const original = readFileSync(file, "utf8");
    const missing = xloop(["oracle", "verify", "nope.ts#total"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no oracle captured yet");
    const changedCases = xloop(["oracle", "verify", "price.ts#total", "--args", "[1, 2]"], { cwd: dir });
    expect(changedCases.code).toBe(2);
    expect(changedCases.stderr).toContain("the cases changed since the oracle was captured");
    const tooLarge = xloop(["oracle", "capture", "price.ts#total", "--cases", "price.ts#cases", "--max-bytes", "100"], { cwd: dir });
    expect(tooLarge.code).not.toBe(0);
    expect(tooLarge.stderr).toMatch(/max|budget|large/i);
    expect(readFileSync(file, "utf8")).toBe(original);
    const newer = JSON.parse(original);
    newer.version = 99;
    writeFileSync(file, JSON.stringify(newer));
    const fromNewer = xloop(["oracle", "verify", "price.ts#total"], { cwd: dir });
    expect(fromNewer.code).toBe(2);
    expect(fromNewer.stderr).toContain("newer xloop");
    writeFileSync(file, "{corrupt");
    const corrupt = xloop(["oracle", "verify", "price.ts#total"], { cwd: dir });
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr).toContain("corrupt");
    expect(readFileSync(file, "utf8")).toBe("{corrupt");
    for (const run of [missing, changedCases, fromNewer, corrupt]) expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });
});
