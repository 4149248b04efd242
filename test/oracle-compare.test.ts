import { describe, expect, test } from "bun:test";
import { UserError } from "../src/errors.ts";
import { compareEncoded, type CompareOptions, type Comparison } from "../src/oracle/compare.ts";
import { encodeValue } from "../src/oracle/encode.ts";

/** Encodes both values and compares them: the way the oracle uses the two modules. */
function compare(expected: unknown, actual: unknown, options: CompareOptions = {}): Comparison {
  return compareEncoded(encodeValue(expected), encodeValue(actual), options);
}

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}
class Vector {
  constructor(
    public x: number,
    public y: number,
  ) {}
}
class Lazy {
  constructor() {
    Object.defineProperty(this, "value", { get: () => 1, enumerable: true });
  }
}
class Items extends Array {}
class ValidationError extends Error {}

function invoice(tax: number) {
  return {
    id: "INV-1",
    customer: { name: "Ada", tags: new Set(["vip"]) },
    lines: [
      { sku: "A", qty: 1, price: 9.99, tax: 1.9 },
      { sku: "B", qty: 2, price: 5, tax: 0.95 },
      { sku: "C", qty: 1, price: 3.5, tax },
    ],
    issued: new Date(Date.UTC(2024, 0, 1)),
    totals: new Map([["net", 23.49], ["tax", 2.85 + tax]]),
  };
}

function circular(): Record<string, unknown> {
  const node: Record<string, unknown> = { id: 1 };
  node.self = node;
  return node;
}

function twice<T>(value: T): [T, T] {
  return [value, value];
}

function withSymbol(key: symbol, value: unknown): Record<PropertyKey, unknown> {
  return { plain: 1, [key]: value };
}

const shared = { id: 1 };
const promise = Promise.resolve(1);
const weakMap = new WeakMap();
const weakRef = new WeakRef(shared);
const id = Symbol("id");

// [name, a, b, equal]: a corpus of pairs the oracle must judge as stated, without options.
// eslint-disable-next-line no-sparse-arrays
const corpus: [string, unknown, unknown, boolean][] = [
  ["equal integers", 1, 1, true],
  ["NaN and NaN", NaN, NaN, true],
  ["-0 and -0", -0, -0, true],
  ["Infinity and Infinity", Infinity, Infinity, true],
  ["equal strings", "abc", "abc", true],
  ["undefined and undefined", undefined, undefined, true],
  ["null and null", null, null, true],
  ["equal bigints", 10n, 10n, true],
  ["two symbols with one description", Symbol("a"), Symbol("a"), true],
  ["plain objects whose keys come in another order", { a: 1, b: 2 }, { b: 2, a: 1 }, true],
  ["deeply nested equal records", invoice(0.7), invoice(0.7), true],
  ["dates of the same instant", new Date(5), new Date(5), true],
  ["two invalid dates", new Date(NaN), new Date("nonsense"), true],
  ["equal regular expressions", /a+/g, /a+/g, true],
  ["maps with the same entries in the same order", new Map([["a", 1], ["b", 2]]), new Map([["a", 1], ["b", 2]]), true],
  ["sets with the same members in the same order", new Set([1, "1"]), new Set([1, "1"]), true],
  ["equal typed arrays", new Int16Array([1, -2]), new Int16Array([1, -2]), true],
  ["float arrays holding NaN and -0", new Float64Array([NaN, -0]), new Float64Array([NaN, -0]), true],
  ["array buffers with the same bytes", new Uint8Array([1, 2]).buffer, new Uint8Array([1, 2]).buffer, true],
  ["data views over the same bytes", new DataView(new ArrayBuffer(4)), new DataView(new ArrayBuffer(4)), true],
  ["sparse arrays with holes at the same places", [1, , 3], [1, , 3], true],
  ["boxed numbers of one value", Object(1), Object(1), true],
  ["boxed strings of one value", Object("s"), Object("s"), true],
  ["errors of one class and message", new TypeError("bad"), new TypeError("bad"), true],
  ["errors with equal cause chains", new Error("a", { cause: new Error("b") }), new Error("a", { cause: new Error("b") }), true],
  ["instances of one class with equal fields", new Point(1, 2), new Point(1, 2), true],
  ["the same sharing on both sides", [shared, shared], twice({ id: 1 }), true],
  ["two circular structures", circular(), circular(), true],
  ["functions of the same name", function f() {}, function f() {}, true],
  ["equal symbol-keyed fields", withSymbol(id, 1), withSymbol(Symbol("id"), 1), true],
  ["equal Buffers", Buffer.from("ab"), Buffer.from("ab"), true],
  ["equal BigInt64Arrays", new BigInt64Array([1n]), new BigInt64Array([1n]), true],
  ["maps with equal object keys", new Map([[{ k: 1 }, "v"]]), new Map([[{ k: 1 }, "v"]]), true],
  ["null-prototype objects with equal fields", Object.assign(Object.create(null), { a: 1 }), Object.assign(Object.create(null), { a: 1 }), true],
  ["errors with equal extra fields", Object.assign(new Error("e"), { code: 1 }), Object.assign(new Error("e"), { code: 1 }), true],
  ["regexp match arrays of the same match", /b/.exec("abc"), /b/.exec("abc"), true],
  ["a plain-object getter and a field of its value", { get n() { return 2; } }, { n: 2 }, true],
  ["sets of equal objects", new Set([{ a: 1 }]), new Set([{ a: 1 }]), true],
  ["equal mixed nesting", { m: new Map([["s", new Set([[1n, undefined]])]]) }, { m: new Map([["s", new Set([[1n, undefined]])]]) }, true],

  ["0 and -0", 0, -0, false],
  ["NaN and 0", NaN, 0, false],
  ["a number and its string", 1, "1", false],
  ["undefined and null", undefined, null, false],
  ["a field set to undefined and a missing field", { a: undefined }, {}, false],
  ["a hole and an undefined element", [, 1], [undefined, 1], false],
  ["a bigint and a number", 10n, 10, false],
  ["0.1 + 0.2 and 0.3", 0.1 + 0.2, 0.3, false],
  ["symbols of different descriptions", Symbol("a"), Symbol("b"), false],
  ["a registered symbol and a local one", Symbol.for("a"), Symbol("a"), false],
  ["arrays in another order", [1, 2], [2, 1], false],
  ["arrays of different lengths", [1, 2], [1, 2, 3], false],
  ["maps in another order", new Map([["a", 1], ["b", 2]]), new Map([["b", 2], ["a", 1]]), false],
  ["maps with a different value", new Map([["a", 1]]), new Map([["a", 2]]), false],
  ["sets in another order", new Set([1, 2]), new Set([2, 1]), false],
  ["sets with a different member", new Set([1, 2]), new Set([1, 3]), false],
  ["a map and a plain object", new Map([["a", 1]]), { a: 1 }, false],
  ["a set and an array", new Set([1]), [1], false],
  ["dates of different instants", new Date(1), new Date(2), false],
  ["a valid and an invalid date", new Date(0), new Date(NaN), false],
  ["a date and its ISO string", new Date(0), new Date(0).toISOString(), false],
  ["regexps with different flags", /a/g, /a/i, false],
  ["regexps with different sources", /a/, /b/, false],
  ["Uint8Array and Int8Array of equal elements", new Uint8Array([1]), new Int8Array([1]), false],
  ["a typed array and a plain array", new Uint8Array([1]), [1], false],
  ["float arrays holding -0 and 0", new Float64Array([-0]), new Float64Array([0]), false],
  ["an ArrayBuffer and a SharedArrayBuffer", new ArrayBuffer(1), new SharedArrayBuffer(1), false],
  ["array buffers with different bytes", new Uint8Array([1]).buffer, new Uint8Array([2]).buffer, false],
  ["data views over different bytes", new DataView(new Uint8Array([1]).buffer), new DataView(new Uint8Array([2]).buffer), false],
  ["a boxed number and a number", Object(1), 1, false],
  ["a boxed string and a string", Object("s"), "s", false],
  ["boxed numbers of different values", Object(1), Object(2), false],
  ["TypeError and Error of one message", new TypeError("bad"), new Error("bad"), false],
  ["errors with different messages", new Error("a"), new Error("b"), false],
  ["errors with different causes", new Error("a", { cause: 1 }), new Error("a", { cause: 2 }), false],
  ["an error with a cause and one without", new Error("a", { cause: undefined }), new Error("a"), false],
  ["an instance and a plain object with its fields", new Point(1, 2), { x: 1, y: 2 }, false],
  ["instances of different classes with equal fields", new Point(1, 2), new Vector(1, 2), false],
  ["one object twice and two equal objects", [shared, shared], [shared, structuredClone(shared)], false],
  ["a circular structure and its unrolled copy", circular(), { id: 1, self: { id: 1 } }, false],
  ["functions of different names", function f() {}, function g() {}, false],
  ["a function and its name", function f() {}, "f", false],
  ["a promise and itself", promise, promise, false],
  ["a WeakMap and itself", weakMap, weakMap, false],
  ["a WeakRef and itself", weakRef, weakRef, false],
  ["symbol-keyed fields of different values", withSymbol(id, 1), withSymbol(id, 2), false],
  ["a symbol-keyed field and none", withSymbol(id, 1), { plain: 1 }, false],
  ["a null-prototype object and a plain one", Object.assign(Object.create(null), { a: 1 }), { a: 1 }, false],
  ["sparse arrays with holes at other places", [1, , 3], [, 2, 3], false],
  ["an accessor of an instance and a data field", new Lazy(), Object.assign(Object.create(Lazy.prototype), { value: 1 }), false],
  ["records differing deep inside", invoice(0.7), invoice(0.71), false],
  ["an error and a plain object shaped like one", new Error("m"), { name: "Error", message: "m" }, false],
  ["BigInt64Arrays of different elements", new BigInt64Array([1n]), new BigInt64Array([2n]), false],
  ["a Buffer and a Uint8Array of equal bytes", Buffer.from([1]), new Uint8Array([1]), false],
  ["an Array subclass and an Array", Items.from([1]), [1], false],
  ["an array with a named field and one without", Object.assign([1], { extra: true }), [1], false],
  ["errors of a subclass and of its base", new ValidationError("x"), new Error("x"), false],
  ["a string that differs in one character", "abc", "abd", false],
  ["true and false", true, false, false],
];

describe("the corpus", () => {
  test("has at least 60 pairs, both equal and unequal ones", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    expect(corpus.filter(([, , , equal]) => equal).length).toBeGreaterThan(30);
    expect(corpus.filter(([, , , equal]) => !equal).length).toBeGreaterThan(30);
  });

  for (const [name, a, b, equal] of corpus) {
    test(`${name} compare ${equal ? "equal" : "unequal"}, also after a round trip through JSON`, () => {
      const result = compare(a, b);
      expect(result.equal).toBe(equal);
      expect(result.totalDifferences === 0).toBe(equal);
      expect(result.differences.length > 0).toBe(!equal);
      const stored = (value: unknown) => JSON.parse(JSON.stringify(encodeValue(value)));
      expect(compareEncoded(stored(a), stored(b)).equal).toBe(equal);
    });
  }
});

describe("paths of differences", () => {
  test("name the field through arrays and objects", () => {
    const result = compare(invoice(0.7), invoice(0.71), { root: "return" });
    expect(result.differences.map((d) => d.path)).toEqual(['return.lines[2].tax', 'return.totals.get("tax")']);
  });

  test("name a map value by its key", () => {
    const result = compare(new Map([["k", 1]]), new Map([["k", 2]]), { root: "args[0]" });
    expect(result.differences).toEqual([{ path: 'args[0].get("k")', expected: "1", actual: "2", reason: "differ by 1 (relative 1)" }]);
  });

  test("name a set member that is missing on one side", () => {
    const result = compare(new Set([1, 3]), new Set([1, 4]), { root: "args[1]" });
    expect(result.differences).toEqual([
      { path: "args[1].has(3)", expected: "true", actual: "false", reason: "missing member" },
      { path: "args[1].has(4)", expected: "false", actual: "true", reason: "unexpected member" },
    ]);
  });

  test("follow the cause chain of errors", () => {
    const result = compare(new Error("a", { cause: new Error("b") }), new Error("a", { cause: new Error("c") }), { root: "thrown" });
    expect(result.differences[0]).toMatchObject({ path: "thrown.cause.message", expected: '"b"', actual: '"c"' });
  });

  test("show symbol keys by description", () => {
    const result = compare(withSymbol(id, 1), withSymbol(id, 2), { root: "return" });
    expect(result.differences[0]!.path).toBe("return[Symbol(id)]");
  });

  test("quote keys that are not identifiers", () => {
    const result = compare({ "a b": 1 }, { "a b": 2 }, { root: "return" });
    expect(result.differences[0]!.path).toBe('return["a b"]');
  });

  test("report a missing key and an unexpected one at the key", () => {
    const result = compare({ a: 1, b: 2 }, { a: 1, c: 2 }, { root: "return" });
    expect(result.differences).toEqual([
      { path: "return.b", expected: "2", actual: "<missing>", reason: "missing key" },
      { path: "return.c", expected: "<missing>", actual: "2", reason: "unexpected key" },
    ]);
  });

  test("report a length difference once, at .length", () => {
    const result = compare([1, 2, 3], [1, 2], { root: "return" });
    expect(result.differences).toEqual([{ path: "return.length", expected: "3", actual: "2", reason: "different lengths" }]);
  });

  test("reach object keys of maps by position", () => {
    const result = compare(new Map([[{ k: 1 }, "v"]]), new Map([[{ k: 2 }, "v"]]), { root: "return" });
    expect(result.differences[0]!.path).toBe("return.keys()[0].k");
  });

  test("say when a map holds the same entries in another order", () => {
    const result = compare(new Map([["a", 1], ["b", 2]]), new Map([["b", 2], ["a", 1]]), { root: "return" });
    expect(result.differences).toHaveLength(1);
    expect(result.differences[0]).toMatchObject({ path: "return", reason: "same entries in a different order" });
  });

  test("say when a shared object was expected and a separate copy came", () => {
    const result = compare([shared, shared], [shared, { ...shared }], { root: "return" });
    expect(result.differences).toHaveLength(1);
    expect(result.differences[0]!.path).toBe("return[1]");
    expect(result.differences[0]!.expected).toBe("<ref return[0]>");
    expect(result.differences[0]!.reason).toContain("same object as return[0]");
  });

  test("say that an unknown value is never comparable", () => {
    const result = compare({ p: promise }, { p: promise }, { root: "return" });
    expect(result.differences[0]).toMatchObject({ path: "return.p", expected: "[Promise (not comparable)]" });
  });

  test("default the root name to value", () => {
    expect(compare([1], [2]).differences[0]!.path).toBe("value[0]");
  });
});

describe("limit and counts", () => {
  const many = Array.from({ length: 50 }, (_, i) => i);
  const shifted = many.map((n) => n + 1);

  test("describe the first ten differences and count them all", () => {
    const result = compare(many, shifted);
    expect(result.differences).toHaveLength(10);
    expect(result.totalDifferences).toBe(50);
    expect(result.differences[9]!.path).toBe("value[9]");
  });

  test("honour a smaller or zero limit", () => {
    expect(compare(many, shifted, { limit: 3 }).differences).toHaveLength(3);
    const none = compare(many, shifted, { limit: 0 });
    expect(none.differences).toEqual([]);
    expect(none.totalDifferences).toBe(50);
    expect(none.equal).toBe(false);
  });
});

describe("float tolerance", () => {
  test("without tolerance, the closest two doubles differ", () => {
    expect(compare(0.1 + 0.2, 0.3).equal).toBe(false);
  });

  test("rtol accepts differences relative to the expected value", () => {
    expect(compare(100, 100.0001, { rtol: 1e-5 }).equal).toBe(true);
    expect(compare(100, 100.01, { rtol: 1e-5 }).equal).toBe(false);
  });

  test("atol accepts small absolute differences near zero", () => {
    expect(compare(0, 1e-12, { atol: 1e-9 }).equal).toBe(true);
    expect(compare(0, 1e-6, { atol: 1e-9 }).equal).toBe(false);
  });

  test("tolerance applies inside typed arrays, maps and nested records", () => {
    const options = { rtol: 1e-9 };
    expect(compare(new Float64Array([1, 2]), new Float64Array([1, 2 + 1e-12]), options).equal).toBe(true);
    expect(compare(invoice(0.7), invoice(0.7 + 1e-13), options).equal).toBe(true);
  });

  test("with tolerance, -0 equals 0 but NaN still only equals NaN", () => {
    expect(compare(-0, 0, { atol: 1e-12 }).equal).toBe(true);
    expect(compare(NaN, NaN, { atol: 1 }).equal).toBe(true);
    expect(compare(NaN, 0, { atol: 1 }).equal).toBe(false);
    expect(compare(Infinity, 1e308, { rtol: 1 }).equal).toBe(false);
  });

  test("a difference beyond tolerance says by how much and what the tolerance was", () => {
    const result = compare([1], [1.5], { rtol: 0.1 });
    expect(result.differences[0]).toEqual({
      path: "value[0]",
      expected: "1",
      actual: "1.5",
      reason: "differ by 0.5 (relative 0.5), beyond atol 0 + rtol 0.1",
    });
  });
});

describe("maxRelativeDifference", () => {
  test("is 0 for identical values", () => {
    expect(compare(invoice(0.7), invoice(0.7)).maxRelativeDifference).toBe(0);
  });

  test("is reported even when the numbers are equal within tolerance", () => {
    const result = compare([1, 10], [1.000001, 10.0001], { rtol: 1e-4 });
    expect(result.equal).toBe(true);
    expect(result.maxRelativeDifference).toBeCloseTo(1e-5, 10);
  });

  test("is the largest over all numbers compared", () => {
    expect(compare({ a: 2, b: 4 }, { a: 3, b: 4.4 }).maxRelativeDifference).toBeCloseTo(0.5, 12);
  });

  test("is infinite when a non-zero number came where 0 was expected", () => {
    expect(compare([0], [1e-300], { atol: 1 }).maxRelativeDifference).toBe(Infinity);
  });
});

describe("ignore patterns", () => {
  const before = { createdAt: 1, items: [{ id: 1, name: "a", meta: { timestamp: 5 } }, { id: 2, name: "b" }], timestamp: 9 };
  const after = { createdAt: 2, items: [{ id: 7, name: "a", meta: { timestamp: 6 } }, { id: 8, name: "b" }], timestamp: 10 };

  test("a field named from the root is left out", () => {
    const result = compare({ createdAt: 1, v: 1 }, { createdAt: 2, v: 1 }, { root: "return", ignore: ["return.createdAt"] });
    expect(result.equal).toBe(true);
  });

  test("* matches any one segment, such as every array index", () => {
    const result = compare(before, after, { root: "return", ignore: ["return.items[*].id", "return.createdAt"] });
    expect(result.differences.map((d) => d.path)).toEqual(["return.items[0].meta.timestamp", "return.timestamp"]);
  });

  test("** matches any depth, the root included", () => {
    const result = compare(before, after, { root: "return", ignore: ["**.timestamp", "return.*.*.id", "return.createdAt"] });
    expect(result.equal).toBe(true);
  });

  test("a key missing on one side is not reported when ignored", () => {
    expect(compare({ a: 1, at: 1 }, { a: 1 }, { root: "return", ignore: ["return.at"] }).equal).toBe(true);
  });

  test("ignored numbers do not count toward maxRelativeDifference", () => {
    const result = compare({ t: 1, v: 1 }, { t: 100, v: 1 }, { root: "return", ignore: ["return.t"] });
    expect(result.maxRelativeDifference).toBe(0);
  });

  test("a pattern can name map entries by key and symbol fields by description", () => {
    const options = { root: "args[0]", ignore: ['args[0].get("k")', "args[*][Symbol(id)]"] };
    expect(compare(new Map([["k", 1], ["j", 1]]), new Map([["k", 2], ["j", 1]]), options).equal).toBe(true);
    expect(compare(withSymbol(id, 1), withSymbol(id, 2), options).equal).toBe(true);
  });

  test("a pattern that matches the root ignores everything", () => {
    expect(compare(1, 2, { root: "return", ignore: ["return"] }).equal).toBe(true);
  });

  test("a pattern for another root ignores nothing", () => {
    expect(compare({ a: 1 }, { a: 2 }, { root: "return", ignore: ["thrown.a"] }).equal).toBe(false);
  });

  test("a malformed pattern is a user error that quotes it", () => {
    expect(() => compare(1, 1, { ignore: ["return.items[0"] })).toThrow(UserError);
    expect(() => compare(1, 1, { ignore: ["return..x"] })).toThrow(/return\.\.x/);
  });
});

describe("key order", () => {
  test("does not matter for plain objects by default", () => {
    expect(compare({ a: 1, b: 2 }, { b: 2, a: 1 }).equal).toBe(true);
  });

  test("matters when keyOrder is set, with one difference at the object", () => {
    const result = compare({ a: 1, b: 2 }, { b: 2, a: 1 }, { keyOrder: true, root: "return" });
    expect(result.equal).toBe(false);
    expect(result.differences).toEqual([
      { path: "return", expected: "{a: 1, b: 2}", actual: "{b: 2, a: 1}", reason: "same keys in a different order" },
    ]);
  });

  test("still lets values be compared by key when the order differs", () => {
    const result = compare({ a: 1, b: 2 }, { b: 3, a: 1 }, { root: "return" });
    expect(result.differences.map((d) => d.path)).toEqual(["return.b"]);
  });
});

describe("shared and circular references", () => {
  test("equal aliasing in both values compares equal", () => {
    const a = { v: 1 };
    const b = { v: 1 };
    expect(compare({ x: a, y: a }, { x: b, y: b }).equal).toBe(true);
  });

  test("aliasing on one side only is a difference", () => {
    const a = { v: 1 };
    expect(compare({ x: a, y: a }, { x: { v: 1 }, y: { v: 1 } }).equal).toBe(false);
  });

  test("cycles through different places differ", () => {
    const one: Record<string, unknown> = { child: {} };
    (one.child as Record<string, unknown>).up = one;
    const two: Record<string, unknown> = { child: {} };
    (two.child as Record<string, unknown>).up = two.child;
    expect(compare(one, two).equal).toBe(false);
  });

  test("comparing a circular value with itself terminates and is equal", () => {
    expect(compare(circular(), circular()).equal).toBe(true);
  });
});

describe("renderings", () => {
  function rendered(value: unknown): string {
    return compare([value], [Symbol("other")]).differences[0]!.expected;
  }

  test("numbers print in their shortest exact form", () => {
    expect(rendered(0.1)).toBe("0.1");
    expect(rendered(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(rendered(-0)).toBe("-0");
    expect(rendered(NaN)).toBe("NaN");
    expect(rendered(-Infinity)).toBe("-Infinity");
    expect(rendered(10n)).toBe("10n");
  });

  test("strings are quoted and undefined, holes and containers are recognizable", () => {
    expect(rendered("abc")).toBe('"abc"');
    expect(rendered(undefined)).toBe("undefined");
    expect(rendered(new Map([["a", 1], ["b", 2]]))).toBe('Map(2) {"a" => 1, "b" => 2}');
    expect(rendered(new Set([1]))).toBe("Set(1) {1}");
    expect(rendered(new Point(1, 2))).toBe("Point {x: 1, y: 2}");
    expect(rendered(new Date(0))).toBe("Date(1970-01-01T00:00:00.000Z)");
    expect(rendered(/a/g)).toBe("/a/g");
    expect(rendered(new RangeError("nope"))).toBe("RangeError: nope");
    expect(rendered(Object(1))).toBe("[Number: 1]");
    expect(rendered(new Uint8Array([1, 2]))).toBe("Uint8Array(2) [1, 2]");
    expect(rendered(function named() {})).toBe("[Function named]");
  });

  test("long renderings are cut at 80 characters", () => {
    const text = rendered(Array.from({ length: 100 }, (_, i) => i));
    expect(text.length).toBe(80);
    expect(text.endsWith("…")).toBe(true);
    expect(rendered("x".repeat(500)).length).toBe(80);
  });
});
