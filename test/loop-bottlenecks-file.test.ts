import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../src/errors.ts";
import { readBottlenecks } from "../src/loop/bottlenecks-file.ts";
import { tempDir } from "./helpers.ts";

function candidate(rank: number, name: string) {
  return { rank, name, file: "src/a.ts", line: rank * 10, target: `src/a.ts#${name}`, selfShare: 0.2, totalShare: 0.4, domain: "cpu", category: null, impact: 0.3 };
}

function writeFile(root: string, content: string): void {
  mkdirSync(join(root, ".codeflash"), { recursive: true });
  writeFileSync(join(root, ".codeflash", "bottlenecks.json"), content);
}

describe("reading .codeflash/bottlenecks.json", () => {
  test("a folder without the file gives undefined, not an error", () => {
    expect(readBottlenecks(tempDir())).toBeUndefined();
  });

  test("a valid file is read with its candidates in rank order", () => {
    const root = tempDir();
    writeFile(root, JSON.stringify({ schema: 1, commit: "abc", createdAt: "2026-01-01T00:00:00Z", command: "node x.js", candidates: [candidate(2, "g"), candidate(1, "f")] }));
    const file = readBottlenecks(root)!;
    expect(file.candidates.map((c) => c.name)).toEqual(["f", "g"]);
    expect(file.commit).toBe("abc");
  });

  test("a file of another shape is a user error naming the file and the field", () => {
    const root = tempDir();
    writeFile(root, JSON.stringify({ schema: 1, commit: "abc", createdAt: "x", command: "c", candidates: [{ ...candidate(1, "f"), impact: 3 }] }));
    expect(() => readBottlenecks(root)).toThrow(UserError);
    expect(() => readBottlenecks(root)).toThrow(/bottlenecks\.json: candidates\.0\.impact/);
    writeFile(root, "{ not json");
    expect(() => readBottlenecks(root)).toThrow(/not valid JSON/);
  });
});
