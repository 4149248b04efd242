import { expect, test } from "bun:test";
import { UserError } from "../src/errors.ts";
import {
  DEFAULT_MAX_BYTES,
  encodedSize,
  encodeNumber,
  encodeValue,
  fingerprint,
  ValueTooLargeError,
} from "../src/oracle/encode.ts";
import type { EncodedValue } from "../src/oracle/encoded.ts";

/** A value holding one of everything the encoder knows, shared and circular references included. */
function kitchenSink(): Record<PropertyKey, unknown> {
  const shared = { id: 7 };
  const sink: Record<PropertyKey, unknown> = {
    numbers: [0, -0, 1.5, NaN, Infinity, -Infinity, 2 ** 60, 5e-324],
    strings: ["", "é", "😀", "\ud800", 'quote " and \\ backslash'],
    missing: [undefined, null, , true, false],
    big: [10n, -(2n ** 70n)],
    symbols: [Symbol("s"), Symbol(), Symbol.for("registered"), Symbol.iterator],
    date: new Date(Date.UTC(2024, 1, 29, 12)),
    invalidDate: new Date(Number.NaN),
    regexp: /a+(?<name>b)/giu,
    map: new Map<unknown, unknown>([["k", 1], [2, "two"], [shared, "object key"]]),
    set: new Set<unknown>([3, "x", shared]),
    typed: [new Uint8Array([1, 255]), new Float32Array([0.5, NaN, -0]), new BigInt64Array([-1n, 2n])],
    buffers: [new Uint8Array([1, 2, 3]).buffer, new SharedArrayBuffer(2), new DataView(new Uint8Array([9, 8, 7]).buffer, 1)],
    boxed: [Object(1), Object("ab"), Object(false), Object(3n), Object(Symbol("boxed"))],
    error: new RangeError("out of range", { cause: new Error("root cause") }),
    instance: new (class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
    })(1, 2),
    nullProto: Object.assign(Object.create(null), { a: 1 }),
    fn: function namedFunction() {},
    shared: [shared, shared],
    [Symbol("symbolKey")]: "symbol-keyed",
  };
  sink.self = sink;
  return sink;
}

test("finite numbers are stored as themselves and the ones JSON loses are tagged", () => {
  expect(encodeNumber(1.5)).toBe(1.5);
  expect(encodeNumber(0)).toBe(0);
  expect(encodeNumber(-0)).toEqual({ t: "number", v: "-0" });
  expect(encodeNumber(NaN)).toEqual({ t: "number", v: "NaN" });
  expect(encodeNumber(Infinity)).toEqual({ t: "number", v: "Infinity" });
  expect(encodeNumber(-Infinity)).toEqual({ t: "number", v: "-Infinity" });
});

test("primitives JSON cannot express get their own tags", () => {
  expect(encodeValue(undefined)).toEqual({ t: "undefined" });
  expect(encodeValue(10n)).toEqual({ t: "bigint", v: "10" });
  expect(encodeValue(Symbol("id"))).toEqual({ t: "symbol", description: "id" });
  expect(encodeValue(Symbol())).toEqual({ t: "symbol" });
  expect(encodeValue(Symbol.for("id"))).toEqual({ t: "symbol", description: "id", registered: true });
  expect(encodeValue("text")).toBe("text");
  expect(encodeValue(null)).toBe(null);
  expect(encodeValue(true)).toBe(true);
});

test("an encoding survives JSON.stringify and JSON.parse unchanged", () => {
  const encoded = encodeValue(kitchenSink());
  const text = JSON.stringify(encoded);
  expect(JSON.parse(text)).toStrictEqual(encoded);
  expect(JSON.stringify(JSON.parse(text))).toBe(text);
});

test("encoding is deterministic: the same value twice gives the same text", () => {
  expect(JSON.stringify(encodeValue(kitchenSink()))).toBe(JSON.stringify(encodeValue(kitchenSink())));
});

test("plain objects keep their keys in insertion order, symbol keys last", () => {
  const id = Symbol("id");
  expect(encodeValue({ b: 1, [id]: 2, a: 3 })).toEqual({
    t: "object",
    keys: ["b", "a", { t: "symbol", description: "id" }],
    values: [1, 3, 2],
  });
});

test("non-enumerable fields are left out, as they are not part of the data", () => {
  const value = Object.defineProperty({ shown: 1 }, "hidden", { value: 2, enumerable: false });
  expect(encodeValue(value)).toEqual({ t: "object", keys: ["shown"], values: [1] });
});

test("a hole in a sparse array is distinct from an undefined element", () => {
  // eslint-disable-next-line no-sparse-arrays
  expect(encodeValue([1, , undefined])).toEqual({
    t: "array",
    items: [1, { t: "hole" }, { t: "undefined" }],
  });
});

test("named fields of an array are kept next to its elements", () => {
  const match = /(\d+)/.exec("ab12")!;
  const encoded = encodeValue(match) as { t: "array"; extra: { keys: string[] } };
  expect(encoded.t).toBe("array");
  expect(encoded.extra.keys).toEqual(["index", "input", "groups"]);
});

test("a second occurrence of an object becomes a reference to the path of the first", () => {
  const a = { x: 1 };
  expect(encodeValue([a, a])).toEqual({
    t: "array",
    items: [{ t: "object", keys: ["x"], values: [1] }, { t: "ref", path: "[0]" }],
  });
  expect(encodeValue([a, structuredClone(a)])).toEqual({
    t: "array",
    items: [
      { t: "object", keys: ["x"], values: [1] },
      { t: "object", keys: ["x"], values: [1] },
    ],
  });
});

test("a circular reference points back at the root with an empty path", () => {
  const node: Record<string, unknown> = { name: "loop" };
  node.next = { back: node };
  expect(encodeValue(node)).toEqual({
    t: "object",
    keys: ["name", "next"],
    values: ["loop", { t: "object", keys: ["back"], values: [{ t: "ref", path: "" }] }],
  });
});

test("references into maps and sets name the entry they point at", () => {
  const shared = { id: 1 };
  const encoded = encodeValue([new Map([["k", shared]]), new Set([shared]), new Map([[shared, 1]]), shared]) as {
    items: EncodedValue[];
  };
  expect(encoded.items[1]).toEqual({ t: "set", items: [{ t: "ref", path: '[0].get("k")' }] });
  expect(encoded.items[3]).toEqual({ t: "ref", path: '[0].get("k")' });
  const later = encodeValue([new Map([[shared, 1]]), new Set([2, shared]), shared]) as { items: EncodedValue[] };
  expect(later.items[1]).toEqual({ t: "set", items: [2, { t: "ref", path: "[0].keys()[0]" }] });
});

test("getters of class instances are recorded as accessors and never called", () => {
  let calls = 0;
  class Lazy {
    constructor() {
      Object.defineProperty(this, "total", {
        get: () => ++calls,
        enumerable: true,
      });
    }
  }
  expect(encodeValue(new Lazy())).toEqual({
    t: "object",
    class: "Lazy",
    keys: ["total"],
    values: [{ t: "accessor", get: true, set: false }],
  });
  expect(calls).toBe(0);
});

test("getters of plain objects are read, as JSON.stringify would", () => {
  expect(encodeValue({ get total() { return 3; } })).toEqual({ t: "object", keys: ["total"], values: [3] });
});

test("a plain-object getter that throws is recorded as an accessor that threw", () => {
  const value = {
    get broken(): number {
      throw new Error("no");
    },
  };
  expect(encodeValue(value)).toEqual({
    t: "object",
    keys: ["broken"],
    values: [{ t: "accessor", get: true, set: false, threw: true }],
  });
});

test("class instances carry their constructor name and own fields", () => {
  class Money {
    constructor(
      public amount: number,
      public currency: string,
    ) {}
  }
  expect(encodeValue(new Money(5, "EUR"))).toEqual({
    t: "object",
    class: "Money",
    keys: ["amount", "currency"],
    values: [5, "EUR"],
  });
  expect(encodeValue(Object.create(null))).toEqual({ t: "object", class: null, keys: [], values: [] });
});

test("errors keep class, message, own fields and the cause chain, but not the stack", () => {
  class HttpError extends Error {
    status = 404;
  }
  const error = new HttpError("not found", { cause: new TypeError("bad url") });
  expect(encodeValue(error)).toEqual({
    t: "error",
    class: "HttpError",
    message: "not found",
    keys: ["status", "cause"],
    values: [404, { t: "error", class: "TypeError", message: "bad url", keys: [], values: [] }],
  });
});

test("an AggregateError keeps the errors it aggregates", () => {
  const encoded = encodeValue(new AggregateError([new Error("one")], "many")) as { keys: string[] };
  expect(encoded.keys).toEqual(["errors"]);
});

test("dates keep their instant, and invalid dates are told apart", () => {
  expect(encodeValue(new Date(0))).toEqual({ t: "date", v: "1970-01-01T00:00:00.000Z" });
  expect(encodeValue(new Date(Number.NaN))).toEqual({ t: "date", v: null });
});

test("regular expressions keep source, flags and a non-zero lastIndex", () => {
  expect(encodeValue(/a.b/gi)).toEqual({ t: "regexp", source: "a.b", flags: "gi" });
  const sticky = /a/g;
  sticky.exec("aa");
  expect(encodeValue(sticky)).toEqual({ t: "regexp", source: "a", flags: "g", lastIndex: 1 });
});

test("maps and sets keep insertion order", () => {
  expect(encodeValue(new Map<unknown, unknown>([["b", 1], [NaN, 2]]))).toEqual({
    t: "map",
    keys: ["b", { t: "number", v: "NaN" }],
    values: [1, 2],
  });
  expect(encodeValue(new Set([3, 1, 2]))).toEqual({ t: "set", items: [3, 1, 2] });
});

test("typed arrays keep their kind and elements, and subclasses like Buffer their class", () => {
  expect(encodeValue(new Float64Array([1, NaN, -0]))).toEqual({
    t: "typedarray",
    kind: "Float64Array",
    items: [1, { t: "number", v: "NaN" }, { t: "number", v: "-0" }],
  });
  expect(encodeValue(new BigUint64Array([2n ** 64n - 1n]))).toEqual({
    t: "typedarray",
    kind: "BigUint64Array",
    items: ["18446744073709551615"],
  });
  expect(encodeValue(Buffer.from("hi"))).toEqual({ t: "typedarray", kind: "Uint8Array", class: "Buffer", items: [104, 105] });
});

test("buffers and data views are stored as the hex of their bytes", () => {
  expect(encodeValue(new Uint8Array([0, 15, 255]).buffer)).toEqual({ t: "arraybuffer", bytes: "000fff" });
  expect(encodeValue(new SharedArrayBuffer(1))).toEqual({ t: "sharedarraybuffer", bytes: "00" });
  expect(encodeValue(new DataView(new Uint8Array([1, 2, 3]).buffer, 1, 1))).toEqual({ t: "dataview", bytes: "02" });
});

test("boxed primitives are told apart from the primitives they box", () => {
  expect(encodeValue(Object(1))).toEqual({ t: "boxed", value: 1 });
  expect(encodeValue(Object("ab"))).toEqual({ t: "boxed", value: "ab" });
  expect(encodeValue(Object(2n))).toEqual({ t: "boxed", value: { t: "bigint", v: "2" } });
  expect(encodeValue(Object(Symbol("s")))).toEqual({ t: "boxed", value: { t: "symbol", description: "s" } });
});

test("functions are known by name only", () => {
  expect(encodeValue(function compute() {})).toEqual({ t: "function", name: "compute" });
  expect(encodeValue(class Widget {})).toEqual({ t: "function", name: "Widget" });
});

test("promises, weak collections, generators and host objects are flagged unknown with their tag", () => {
  const generator = (function* () {})();
  const tags = [Promise.resolve(1), new WeakMap(), new WeakSet(), new WeakRef({}), generator, new FormData()].map(
    (value) => encodeValue(value),
  );
  expect(tags).toEqual([
    { t: "unknown", tag: "Promise" },
    { t: "unknown", tag: "WeakMap" },
    { t: "unknown", tag: "WeakSet" },
    { t: "unknown", tag: "WeakRef" },
    { t: "unknown", tag: "Generator" },
    { t: "unknown", tag: "FormData" },
  ]);
});

test("a value over the size budget throws ValueTooLargeError naming where the budget ran out", () => {
  const value = { items: Array.from({ length: 100 }, (_, i) => ({ id: i, label: "x".repeat(20) })) };
  let caught: unknown;
  try {
    encodeValue(value, { maxBytes: 500, root: "return" });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ValueTooLargeError);
  expect(caught).toBeInstanceOf(UserError);
  const error = caught as ValueTooLargeError;
  expect(error.path).toMatch(/^return\.items\[\d+\]/);
  expect(error.maxBytes).toBe(500);
  expect(error.message).toContain(error.path);
  expect(error.message).toContain("500-byte");
});

test("a huge sparse array is stopped by the budget instead of filling memory", () => {
  const sparse: unknown[] = [];
  sparse.length = 1e9;
  expect(() => encodeValue(sparse, { maxBytes: 1024 })).toThrow(ValueTooLargeError);
});

test("the default budget is generous enough for ordinary values", () => {
  expect(DEFAULT_MAX_BYTES).toBeGreaterThanOrEqual(1024 * 1024);
  expect(() => encodeValue(kitchenSink())).not.toThrow();
});

test("the approximate budget is within a small factor of the stored size", () => {
  const value = Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}`, price: i * 1.25, tags: ["a", "b"] }));
  const size = encodedSize(encodeValue(value));
  expect(() => encodeValue(value, { maxBytes: size * 2 })).not.toThrow();
  expect(() => encodeValue(value, { maxBytes: Math.floor(size / 3) })).toThrow(ValueTooLargeError);
});

test("encodedSize is the UTF-8 length of the stored JSON", () => {
  const encoded = encodeValue({ text: "é😀", n: [1, NaN] });
  expect(encodedSize(encoded)).toBe(Buffer.byteLength(JSON.stringify(encoded), "utf8"));
});

test("equal values have the same fingerprint and the fingerprint survives a round trip through JSON", () => {
  const encoded = encodeValue(kitchenSink());
  expect(fingerprint(encoded)).toBe(fingerprint(encodeValue(kitchenSink())));
  expect(fingerprint(JSON.parse(JSON.stringify(encoded)))).toBe(fingerprint(encoded));
  expect(fingerprint(encoded)).toMatch(/^[0-9a-f]{64}$/);
});

test("different values have different fingerprints", () => {
  const values: unknown[] = [0, -0, NaN, "0", 0n, null, undefined, [], {}, [undefined], [,], new Map(), new Set(), { a: 1 }, { a: 2 }];
  const prints = new Set(values.map((value) => fingerprint(encodeValue(value))));
  expect(prints.size).toBe(values.length);
});

test("the fingerprint does not depend on the order of the tag fields of an encoding", () => {
  expect(fingerprint({ t: "bigint", v: "1" })).toBe(fingerprint(JSON.parse('{"v":"1","t":"bigint"}')));
});
