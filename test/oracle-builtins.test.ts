import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { compareEncoded, type CompareOptions, type Comparison } from "../src/oracle/compare.ts";
import { encodeValue, fingerprint } from "../src/oracle/encode.ts";
import type { EncodedValue } from "../src/oracle/encoded.ts";
import { renderValue } from "../src/oracle/render.ts";
import { builtinPairs } from "./fixtures/builtin-pairs.ts";
import { removeTempFolders, tempFolder } from "./fixtures/git-repo.ts";
import { fixtures, repoRoot } from "./helpers.ts";

afterAll(removeTempFolders);

/** Encodes both values and compares them: the way the oracle uses the two modules. */
function compare(expected: unknown, actual: unknown, options: CompareOptions = {}): Comparison {
  return compareEncoded(encodeValue(expected), encodeValue(actual), options);
}

/** Whether an encoding holds a value the encoder could not read anywhere inside. */
function holdsUnknown(encoded: EncodedValue): boolean {
  return JSON.stringify(encoded).includes('"t":"unknown"');
}

const FAKE = "an object made from URL's prototype and itself";

describe("built-ins of the runtime", () => {
  test("the corpus has both equal and unequal pairs of every kind", () => {
    const pairs = builtinPairs();
    expect(pairs.length).toBeGreaterThanOrEqual(45);
    expect(pairs.filter(([, , , equal]) => equal).length).toBeGreaterThan(15);
    expect(pairs.filter(([, , , equal]) => !equal).length).toBeGreaterThan(25);
  });

  for (const [name, a, b, equal] of builtinPairs()) {
    test(`${name} compare ${equal ? "equal" : "unequal"}, also after a round trip through JSON`, () => {
      const result = compare(a, b);
      expect(result.equal).toBe(equal);
      expect(result.differences.length > 0).toBe(!equal);
      const stored = (value: unknown) => JSON.parse(JSON.stringify(encodeValue(value)));
      expect(compareEncoded(stored(a), stored(b)).equal).toBe(equal);
      // Read by value, each is equal to itself: unknown values are not, which is what this change is about.
      if (name !== FAKE) expect(holdsUnknown(encodeValue(a)) || holdsUnknown(encodeValue(b))).toBe(false);
    });
  }

  test("Node and Deno read every built-in by value and judge every pair as Bun does", () => {
    const dir = tempFolder("xloop-builtins-");
    const runner = join(dir, "judge.ts");
    writeFileSync(
      runner,
      [
        `import { builtinPairs } from ${JSON.stringify(join(fixtures, "builtin-pairs.ts"))};`,
        `import { encodeValue } from ${JSON.stringify(join(repoRoot, "src/oracle/encode.ts"))};`,
        `import { compareEncoded } from ${JSON.stringify(join(repoRoot, "src/oracle/compare.ts"))};`,
        `const unknown = (v: unknown) => JSON.stringify(v).includes('"t":"unknown"');`,
        "const verdicts = builtinPairs().map(([name, a, b]) => {",
        "  const x = encodeValue(a);",
        "  const y = encodeValue(b);",
        "  return { name, equal: compareEncoded(x, y).equal, unknown: unknown(x) || unknown(y) };",
        "});",
        "console.log(JSON.stringify(verdicts));",
      ].join("\n"),
    );
    const expected = builtinPairs().map(([name, , , equal]) => ({ name, equal, unknown: name === FAKE }));
    const runtimes: [string, string[]][] = [
      ["node", ["--import", "tsx", runner]],
      [join(repoRoot, "node_modules/.bin/deno"), ["run", "-A", runner]],
    ];
    for (const [command, args] of runtimes) {
      const run = spawnSync(command, args, { cwd: repoRoot, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 });
      expect(run.stderr).toBe("");
      expect(JSON.parse(run.stdout)).toEqual(expected);
    }
  });
});

describe("encodings of built-ins", () => {
  test("a URL is its href, and a subclass keeps its class and own fields", () => {
    class Endpoint extends URL {
      retries = 3;
    }
    expect(encodeValue(new URL("https://a.example/x?y=1"))).toEqual({ t: "serialized", kind: "URL", v: "https://a.example/x?y=1" });
    expect(encodeValue(new Endpoint("https://a.example/"))).toEqual({
      t: "serialized",
      kind: "URL",
      class: "Endpoint",
      v: "https://a.example/",
      extra: { keys: ["retries"], values: [3] },
    });
    expect(encodeValue(new URLSearchParams({ q: "a b" }))).toEqual({ t: "serialized", kind: "URLSearchParams", v: "q=a+b" });
  });

  test("headers are their entries in the order Headers iterates them, Set-Cookie as a list", () => {
    // Names that sort before set-cookie: Bun iterates Set-Cookie last, Node and Deno in name order.
    const h = new Headers({ "Content-Type": "2", a: "1" });
    h.append("Set-Cookie", "s=1");
    h.append("Set-Cookie", "t=2");
    expect(encodeValue(h)).toEqual({
      t: "host",
      kind: "Headers",
      fields: { keys: ["a", "content-type", "set-cookie"], values: ["1", "2", { t: "array", items: ["s=1", "t=2"] }] },
    });
  });

  test("a blob is its size and type, a file also its name and modification date", () => {
    expect(encodeValue(new Blob(["abc"], { type: "text/csv" }))).toEqual({ t: "host", kind: "Blob", fields: { keys: ["size", "type"], values: [3, "text/csv"] } });
    expect(encodeValue(new File(["abc"], "a.csv", { type: "text/csv", lastModified: 5 }))).toEqual({
      t: "host",
      kind: "File",
      fields: { keys: ["name", "size", "type", "lastModified"], values: ["a.csv", 3, "text/csv", 5] },
    });
  });

  test("text codecs are their encoding and options, a signal whether and why it aborted", () => {
    expect(encodeValue(new TextEncoder())).toEqual({ t: "host", kind: "TextEncoder", fields: { keys: ["encoding"], values: ["utf-8"] } });
    expect(encodeValue(new TextDecoder("latin1", { fatal: true }))).toEqual({
      t: "host",
      kind: "TextDecoder",
      fields: { keys: ["encoding", "fatal", "ignoreBOM"], values: ["windows-1252", true, false] },
    });
    expect(encodeValue(AbortSignal.abort("stop"))).toEqual({ t: "host", kind: "AbortSignal", fields: { keys: ["aborted", "reason"], values: [true, "stop"] } });
  });

  test("a DOMException keeps its message and name, which are no own fields, and not where it was made", () => {
    expect(encodeValue(new DOMException("gone", "NotFoundError"))).toEqual({ t: "error", class: "DOMException", message: "gone", keys: ["name"], values: ["NotFoundError"] });
    const reason = (encodeValue(AbortSignal.abort()) as { fields: { values: EncodedValue[] } }).fields.values[1] as { keys: unknown[]; values: unknown[] };
    expect(reason).toMatchObject({ t: "error", class: "DOMException", keys: ["name"], values: ["AbortError"] });
  });

  test("a response and a request are their metadata, headers included", () => {
    const response = encodeValue(new Response(null, { status: 404, statusText: "Not Found", headers: { "x-id": "7" } }));
    expect(response).toEqual({
      t: "host",
      kind: "Response",
      fields: {
        keys: ["type", "url", "redirected", "status", "statusText", "headers", "bodyUsed"],
        values: ["default", "", false, 404, "Not Found", { t: "host", kind: "Headers", fields: { keys: ["x-id"], values: ["7"] } }, false],
      },
    });
    const request = encodeValue(new Request("https://a.example/p", { method: "DELETE" }));
    expect(request).toMatchObject({ t: "host", kind: "Request", fields: { keys: ["method", "url", "redirect", "headers", "bodyUsed"] } });
    expect((request as { fields: { values: EncodedValue[] } }).fields.values.slice(0, 3)).toEqual(["DELETE", "https://a.example/p", "follow"]);
  });

  test("an object that only inherits a built-in's prototype, or lies about its tag, stays unknown", () => {
    expect(encodeValue(Object.create(URL.prototype))).toEqual({ t: "unknown", tag: "URL" });
    expect(encodeValue(Object.create(Blob.prototype))).toEqual({ t: "unknown", tag: "Blob" });
    expect(encodeValue({ [Symbol.toStringTag]: "URL" })).toMatchObject({ t: "object" });
  });

  test("a subclass that overrides a getter is still read through the built-in's own", () => {
    class Liar extends URL {}
    Object.defineProperty(Liar.prototype, "href", { get: () => String(Math.random()) });
    expect(encodeValue(new Liar("https://a.example/"))).toMatchObject({ v: "https://a.example/", class: "Liar" });
  });

  test("equal built-ins have equal fingerprints, and one shared twice is a reference", () => {
    expect(fingerprint(encodeValue(new Headers({ a: "1" })))).toBe(fingerprint(encodeValue(new Headers({ a: "1" }))));
    const url = new URL("https://a.example/");
    expect(encodeValue({ first: url, again: url })).toMatchObject({ values: [{ t: "serialized" }, { t: "ref", path: ".first" }] });
  });
});

describe("differences in built-ins", () => {
  test("two URLs differ at the URL itself, rendered as URL(href)", () => {
    const result = compare({ link: new URL("https://a.example/x?y=1") }, { link: new URL("https://a.example/x?y=2") }, { root: "return" });
    expect(result.differences).toEqual([
      { path: "return.link", expected: "URL(https://a.example/x?y=1)", actual: "URL(https://a.example/x?y=2)", reason: "different URLs" },
    ]);
  });

  test("a URL against its href as a string, or a subclass, says which kinds met", () => {
    class Endpoint extends URL {}
    expect(compare(new URL("https://a.example/"), "https://a.example/").differences[0]).toMatchObject({
      expected: "URL(https://a.example/)",
      actual: '"https://a.example/"',
      reason: "expected URL, got string",
    });
    expect(compare(new URL("https://a.example/"), new Endpoint("https://a.example/")).differences[0]).toMatchObject({
      actual: "Endpoint(https://a.example/)",
      reason: "expected URL, got Endpoint",
    });
  });

  test("fields of a response, its headers and a file are named in the path", () => {
    const a = new Response(null, { status: 200, headers: { "content-language": "en" } });
    const b = new Response(null, { status: 201, headers: { "content-language": "fr" } });
    expect(compare(a, b, { root: "return" }).differences.map((d) => `${d.path}: ${d.expected} vs ${d.actual}`)).toEqual([
      "return.status: 200 vs 201",
      'return.headers["content-language"]: "en" vs "fr"',
    ]);
    const file = (name: string) => new File(["x"], name, { lastModified: 1 });
    expect(compare(file("a.txt"), file("b.txt"), { root: "return" }).differences[0]).toMatchObject({ path: "return.name", expected: '"a.txt"' });
  });

  test("a built-in's fields can be ignored like any other path", () => {
    const now = new File(["x"], "a.txt", { lastModified: 1 });
    const later = new File(["x"], "a.txt", { lastModified: 2 });
    expect(compare(now, later, { root: "return" }).equal).toBe(false);
    expect(compare(now, later, { root: "return", ignore: ["return.lastModified"] }).equal).toBe(true);
    const dated = (date: string) => new Response(null, { headers: { date } });
    expect(compare(dated("Mon"), dated("Tue"), { root: "return", ignore: ["return.headers.date"] }).equal).toBe(true);
  });

  test("renderings name the built-in and show what it reads as", () => {
    const rendered = (value: unknown) => renderValue(encodeValue(value), "return");
    expect(rendered(new URLSearchParams("a=1&b=2"))).toBe("URLSearchParams(a=1&b=2)");
    expect(rendered(new Headers({ "x-id": "1" }))).toBe('Headers {"x-id": "1"}');
    expect(rendered(new Blob(["abc"], { type: "text/csv" }))).toBe('Blob {size: 3, type: "text/csv"}');
    expect(rendered(AbortSignal.abort("stop"))).toBe('AbortSignal {aborted: true, reason: "stop"}');
    expect(rendered(new DOMException("gone", "NotFoundError"))).toBe('DOMException: gone {name: "NotFoundError"}');
    expect(rendered(Buffer.from("hi"))).toBe("Buffer(2) [104, 105]");
  });

  test("a URL an older oracle stored as unknown differs with a hint to re-capture", () => {
    const stored: EncodedValue = { t: "unknown", tag: "URL" };
    const result = compareEncoded(stored, encodeValue(new URL("https://a.example/")), { root: "return" });
    expect(result.equal).toBe(false);
    expect(result.differences[0]).toMatchObject({ path: "return", expected: "[URL (not comparable)]", actual: "URL(https://a.example/)" });
    expect(result.differences[0]!.reason).toContain("re-capture the oracle");
    // Bun tags a File as a Blob: the hint still applies.
    const file = compareEncoded({ t: "unknown", tag: "Blob" }, encodeValue(new File([], "a")));
    expect(file.differences[0]!.reason).toContain("re-capture the oracle");
    // Anything else that was unknown is just of another kind.
    expect(compareEncoded({ t: "unknown", tag: "Promise" }, encodeValue(new URL("https://a.example/"))).differences[0]!.reason).toBe("expected Promise, got URL");
  });

  test("a built-in the comparing runtime could not read is reported as such", () => {
    const result = compareEncoded(encodeValue(new Headers()), { t: "unknown", tag: "Headers" });
    expect(result.differences[0]!.reason).toContain("cannot read a Headers");
  });
});
