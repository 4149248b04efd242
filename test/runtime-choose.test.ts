import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chooseRuntime, type ProjectMarkers } from "../src/runtime/choose.ts";
import { kitCacheRoot } from "../src/runtime/kit.ts";
import { findOnPath, findProjectMarkers } from "../src/runtime/locate.ts";
import { removeTempFolders, tempFolder } from "./fixtures/git-repo.ts";

afterAll(removeTempFolders);

const none: ProjectMarkers = { dir: "/p", bun: null, deno: null };

describe("which runtime measures", () => {
  test("--runtime wins over the config and the project's files", () => {
    const choice = chooseRuntime({ flag: "deno", config: "bun", markers: { dir: "/p", bun: "bun.lock", deno: null }, nodeAvailable: true });
    expect(choice).toEqual({ name: "deno", explicit: true, because: "--runtime" });
  });

  test("the config's runtime wins over the project's files", () => {
    expect(chooseRuntime({ config: "node", markers: { dir: "/p", bun: "bunfig.toml", deno: null }, nodeAvailable: true }).name).toBe("node");
  });

  test("a Bun lockfile or bunfig.toml makes it bun, and the choice says which file", () => {
    const choice = chooseRuntime({ markers: { dir: "/p", bun: "bun.lock", deno: null }, nodeAvailable: true });
    expect(choice).toEqual({ name: "bun", explicit: false, because: "bun.lock in /p" });
  });

  test("deno.json makes it deno", () => {
    expect(chooseRuntime({ markers: { dir: "/p", bun: null, deno: "deno.json" }, nodeAvailable: true }).name).toBe("deno");
  });

  test("otherwise node when it is installed, with no note", () => {
    const choice = chooseRuntime({ markers: none, nodeAvailable: true });
    expect(choice.name).toBe("node");
    expect(choice.note).toBeUndefined();
  });

  test("otherwise bun, with a one-line note saying why", () => {
    const choice = chooseRuntime({ markers: none, nodeAvailable: false });
    expect(choice.name).toBe("bun");
    expect(choice.note).toContain("no node on PATH");
    expect(choice.note).not.toContain("\n");
  });
});

describe("what the choice finds on disk", () => {
  test("the nearest project folder's files count, not a parent's", () => {
    const root = tempFolder();
    writeFileSync(join(root, "bunfig.toml"), "");
    writeFileSync(join(root, "package.json"), "{}");
    const inner = join(root, "packages", "lib");
    mkdirSync(join(inner, "src"), { recursive: true });
    writeFileSync(join(inner, "package.json"), "{}");
    expect(findProjectMarkers(join(inner, "src"))).toEqual({ dir: inner, bun: null, deno: null });
    expect(findProjectMarkers(join(root, "packages"))).toEqual({ dir: root, bun: "bunfig.toml", deno: null });
  });

  test("deno.jsonc and bun.lockb are found too", () => {
    const dir = tempFolder();
    writeFileSync(join(dir, "deno.jsonc"), "{}");
    expect(findProjectMarkers(dir).deno).toBe("deno.jsonc");
    writeFileSync(join(dir, "bun.lockb"), "");
    expect(findProjectMarkers(dir).bun).toBe("bun.lockb");
  });

  test("an executable is found on PATH, and a plain file of that name is not", () => {
    const bin = tempFolder();
    const other = tempFolder();
    writeFileSync(join(other, "node"), "not executable");
    writeFileSync(join(bin, "node"), "#!/bin/sh\n", { mode: 0o755 });
    expect(findOnPath("node", [other, bin].join(":"))).toBe(join(bin, "node"));
    expect(findOnPath("node", other)).toBeNull();
  });

  test("the kit unpacks under XLOOP_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache", () => {
    expect(kitCacheRoot({ XLOOP_CACHE_DIR: "/c", XDG_CACHE_HOME: "/x", HOME: "/h" })).toBe("/c");
    expect(kitCacheRoot({ XDG_CACHE_HOME: "/x", HOME: "/h" })).toBe("/x/xloop");
    expect(kitCacheRoot({ HOME: "/h" })).toBe("/h/.cache/xloop");
  });
});
