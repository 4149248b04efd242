import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, keep, pageText, screenshot } from "./fixtures/chromium.ts";
import { commitAll, initRepo, removeTempFolders, tempFolder, writeFiles } from "./fixtures/git-repo.ts";
import { decodePng, inkAndColours } from "./fixtures/png.ts";
import { profileProjectFiles } from "./fixtures/profile-project.ts";
import { binaryOutsideRepo, runIn } from "./helpers.ts";

afterAll(removeTempFolders);
if (!chromium.path) console.warn(`profile-html-chromium: skipped: ${chromium.why}`);

describe.skipIf(!chromium.path)("the profile's flame views", () => {
  test("the HTML icicle renders in headless Chromium, not blank, naming the top function; the speedscope file lists its frames", () => {
    const project = initRepo(tempFolder("xloop-profile-html-"));
    writeFiles(project, profileProjectFiles());
    commitAll(project, "project");
    const run = runIn(binaryOutsideRepo(), ["profile", "--json", "--html", "flame.html", "--speedscope", "speedscope.json", "--", "node", "src/main.js"], project, {}, 240_000);
    expect(run.code).toBe(0);
    const top = JSON.parse(run.stdout).ranked[0].name as string;
    const html = join(project, "flame.html");
    const text = pageText(html);
    expect(text).toContain(top);
    expect(text).toContain("share of busy CPU time");
    const png = screenshot(html, `${html}.png`);
    keep(png, "profile-flame.png");
    const { ink, colours } = inkAndColours(decodePng(readFileSync(png)));
    expect(ink).toBeGreaterThan(0.02);
    expect(colours).toBeGreaterThanOrEqual(3);
    const speedscope = JSON.parse(readFileSync(join(project, "speedscope.json"), "utf8"));
    expect(speedscope.$schema).toBe("https://www.speedscope.app/file-format-schema.json");
    expect(speedscope.shared.frames.some((f: { name: string }) => f.name === top)).toBe(true);
    expect(speedscope.profiles[0].type).toBe("sampled");
  }, 240_000);
});
