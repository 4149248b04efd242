import { createHash } from "node:crypto";
import { types } from "node:util";
import { ExitCode } from "../exit-codes.ts";
import { UserError } from "../errors.ts";
import type { EncodedValue, EncodedKey, EncodedProps, EncodedSymbol, EncodedTagged, SerializedKind, HostKind } from "./encoded.ts";
import { formatPath, type Segment } from "./render.ts";
import { defaults } from "../settings/defaults.ts";

/** Options of {@link encodeValue}. */
export interface EncodeOptions {
  /** Budget of the approximate encoded size in bytes (default {@link DEFAULT_MAX_BYTES}). */
  maxBytes?: number;
  /** Name of the value in error messages, e.g. `return` or `args[0]` (default `value`). */
  root?: string;
}

/** Default size budget of one encoded value (`defaults.oracleMaxBytes`, what --max-bytes leaves out). */
export const DEFAULT_MAX_BYTES = defaults.oracleMaxBytes;

/** Thrown when a value's encoding outgrows the size budget; names where it ran out. */
export class ValueTooLargeError extends UserError {
  readonly path: string;
  readonly maxBytes: number;
  constructor(path: string, maxBytes: number) {
    super(
      `${path}: the captured value is larger than the ${maxBytes}-byte budget of the oracle; ` +
        `return less data, or raise the budget (maxBytes)`,
      ExitCode.usage,
    );
    this.name = "ValueTooLargeError";
    this.path = path;
    this.maxBytes = maxBytes;
  }
}

/** Where an object was first met: a chain to the root, materialized only when a ref or an error needs it. */
interface PathNode {
  parent: PathNode | null;
  seg: Segment | null;
}

// Shared, frozen: primitives that JSON cannot express are common enough that allocating them each time shows.
const UNDEFINED: EncodedTagged = Object.freeze({ t: "undefined" });
const HOLE: EncodedTagged = Object.freeze({ t: "hole" });
const NAN: EncodedTagged = Object.freeze({ t: "number", v: "NaN" });
const POS_INF: EncodedTagged = Object.freeze({ t: "number", v: "Infinity" });
const NEG_INF: EncodedTagged = Object.freeze({ t: "number", v: "-Infinity" });
const NEG_ZERO: EncodedTagged = Object.freeze({ t: "number", v: "-0" });

// Rough JSON overhead of a tagged node and of one field: the budget is a guard, not an accounting.
const NODE_BYTES = 16;
const FIELD_BYTES = 4;
const NUMBER_BYTES = 8;

const NO_SYMBOLS: readonly symbol[] = Object.freeze([]);

const objectToString = Object.prototype.toString;
const propertyIsEnumerable = Object.prototype.propertyIsEnumerable;

/**
 * Encodes any value into a deterministic, JSON-serializable tree. Shared and
 * circular objects become `{t: "ref", path}` pointing at their first occurrence, so
 * aliasing is part of the value. Accessors of class instances are recorded, never
 * called; getters of plain objects are read, as JSON would. Throws
 * {@link ValueTooLargeError} when the encoding outgrows `maxBytes`.
 */
export function encodeValue(value: unknown, options: EncodeOptions = {}): EncodedValue {
  const encoder = new Encoder(options.maxBytes ?? DEFAULT_MAX_BYTES, options.root ?? "value");
  return encoder.encode(value, null, null);
}

/** Encodes a finite or special number: raw when JSON keeps it exactly, tagged otherwise. */
export function encodeNumber(n: number): number | EncodedTagged {
  if (n === 0) return Object.is(n, -0) ? NEG_ZERO : 0;
  if (n - n === 0) return n; // finite
  if (n !== n) return NAN;
  return n > 0 ? POS_INF : NEG_INF;
}

/** Size in bytes of the stored form of an encoding (its JSON text as UTF-8). */
export function encodedSize(encoded: EncodedValue): number {
  return utf8Length(JSON.stringify(encoded));
}

/**
 * Stable hash of an encoding: sha256 of a canonical JSON (tag fields sorted), so
 * it survives a round trip through a file. Equal fingerprints mean identical
 * encodings, including plain-object key order; they do not make host values equal.
 */
export function fingerprint(encoded: EncodedValue): string {
  return createHash("sha256").update(canonicalJson(encoded)).digest("hex");
}

/** JSON with the fields of every object sorted; arrays keep their order (it is data). */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
  return `{${fields.join(",")}}`;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** True for encodings that are not containers: they can be map keys looked up by identity. */
export function isPrimitiveEncoding(value: EncodedValue): boolean {
  if (value === null || typeof value !== "object") return true;
  const t = value.t;
  return t === "undefined" || t === "number" || t === "bigint" || t === "symbol";
}

class Encoder {
  private used = 0;
  private readonly seen = new Map<object, PathNode>();
  constructor(
    private readonly maxBytes: number,
    private readonly root: string,
  ) {}

  encode(value: unknown, parent: PathNode | null, seg: Segment | null): EncodedValue {
    switch (typeof value) {
      case "string":
        this.spend(value.length + 2, parent, seg);
        return value;
      case "number":
        this.spend(NUMBER_BYTES, parent, seg);
        return encodeNumber(value);
      case "boolean":
        this.spend(5, parent, seg);
        return value;
      case "undefined":
        this.spend(NODE_BYTES, parent, seg);
        return UNDEFINED;
      case "bigint": {
        const v = value.toString();
        this.spend(NODE_BYTES + v.length, parent, seg);
        return { t: "bigint", v };
      }
      case "symbol":
        return this.encodeSymbol(value, parent, seg);
      case "function": {
        const name = functionName(value);
        this.spend(NODE_BYTES + name.length, parent, seg);
        return { t: "function", name };
      }
      default:
        if (value === null) {
          this.spend(4, parent, seg);
          return null;
        }
        return this.encodeObject(value as object, parent, seg);
    }
  }

  private spend(bytes: number, parent: PathNode | null, seg: Segment | null): void {
    this.used += bytes;
    if (this.used > this.maxBytes) {
      throw new ValueTooLargeError(formatPath(this.root, segmentsOf({ parent, seg })), this.maxBytes);
    }
  }

  private encodeSymbol(symbol: symbol, parent: PathNode | null, seg: Segment | null): EncodedSymbol {
    const description = symbol.description;
    this.spend(NODE_BYTES + (description?.length ?? 0), parent, seg);
    const encoded: EncodedSymbol = { t: "symbol" };
    if (description !== undefined) encoded.description = description;
    if (Symbol.keyFor(symbol) !== undefined) encoded.registered = true;
    return encoded;
  }

  private encodeObject(value: object, parent: PathNode | null, seg: Segment | null): EncodedValue {
    const first = this.seen.get(value);
    if (first !== undefined) {
      const path = formatPath("", segmentsOf(first));
      this.spend(NODE_BYTES + path.length, parent, seg);
      return { t: "ref", path };
    }
    const node: PathNode = { parent, seg };
    this.seen.set(value, node);
    this.spend(NODE_BYTES, parent, seg);
    if (Array.isArray(value)) return this.encodeArray(value, node);
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return this.encodePlain(value, node, proto === null);
    return this.encodeBuiltin(value, node, proto);
  }

  private encodeArray(array: unknown[], node: PathNode): EncodedValue {
    const n = array.length;
    // Pushed, not preallocated: a sparse `new Array(1e9)` must hit the budget before it fills memory,
    // and engines keep pushed arrays packed, which the comparison walks faster.
    const items: EncodedValue[] = [];
    let present = 0;
    for (let i = 0; i < n; i++) {
      const item = array[i];
      if (item === undefined && !(i in array)) {
        this.spend(NODE_BYTES, node, i);
        items.push(HOLE);
      } else {
        present++;
        items.push(this.encode(item, node, i));
      }
    }
    const encoded: EncodedTagged = { t: "array", items };
    const cls = subclassName(array, Array);
    if (cls !== undefined) encoded.class = cls;
    // Own keys list indices first, so anything past the present ones is a named field (e.g. a match's `index`).
    const keys = Object.keys(array);
    const extra = this.encodeFields(array, keys.length > present ? keys.slice(present) : [], node, false);
    if (extra !== undefined) encoded.extra = extra;
    return encoded;
  }

  private encodePlain(value: object, node: PathNode, nullPrototype: boolean): EncodedValue {
    const props = this.encodeFields(value, Object.keys(value), node, true);
    const keys = props?.keys ?? [];
    const values = props?.values ?? [];
    return nullPrototype ? { t: "object", class: null, keys, values } : { t: "object", keys, values };
  }

  /**
   * Encodes the given string keys (the array is taken over, not copied) plus, unless
   * `withSymbols` is false, the enumerable symbol keys. Getters are read only when
   * `readGetters` (plain objects, as JSON would); otherwise recorded.
   */
  private encodeFields(
    value: object,
    stringKeys: string[],
    node: PathNode,
    readGetters: boolean,
    withSymbols = true,
  ): EncodedProps | undefined {
    const symbols = withSymbols ? Object.getOwnPropertySymbols(value) : NO_SYMBOLS;
    if (stringKeys.length === 0 && symbols.length === 0) return undefined;
    const keys: EncodedKey[] = stringKeys;
    const values: EncodedValue[] = [];
    const record = value as Record<PropertyKey, unknown>;
    for (let i = 0; i < stringKeys.length; i++) {
      const key = stringKeys[i]!;
      this.spend(key.length + FIELD_BYTES, node, key);
      values.push(this.encodeField(record, key, key, node, readGetters));
    }
    for (const symbol of symbols) {
      if (!propertyIsEnumerable.call(value, symbol)) continue;
      const key = this.encodeSymbol(symbol, node, null);
      keys.push(key);
      values.push(this.encodeField(record, symbol, { kind: "symbol", key }, node, readGetters));
    }
    return keys.length === 0 ? undefined : { keys, values };
  }

  private encodeField(
    record: Record<PropertyKey, unknown>,
    key: PropertyKey,
    seg: Segment,
    node: PathNode,
    readGetters: boolean,
  ): EncodedValue {
    if (readGetters) {
      let field: unknown;
      try {
        field = record[key];
      } catch {
        // A getter that throws has no value to compare: record that it is one, and that it threw.
        return { ...accessorOf(Object.getOwnPropertyDescriptor(record, key)), threw: true };
      }
      return this.encode(field, node, seg);
    }
    const descriptor = Object.getOwnPropertyDescriptor(record, key);
    if (descriptor === undefined || "value" in descriptor) return this.encode(descriptor?.value, node, seg);
    this.spend(NODE_BYTES, node, seg);
    return accessorOf(descriptor);
  }

  /** Everything that is not an array or a plain object, sorted out by brand checks (tags can lie). */
  private encodeBuiltin(value: object, node: PathNode, proto: object): EncodedValue {
    if (types.isDate(value)) {
      const time = (value as Date).getTime();
      const v = time === time ? (value as Date).toISOString() : null;
      return this.withExtra({ t: "date", v }, value, node, Date, 0);
    }
    if (types.isRegExp(value)) {
      const re = value as RegExp;
      this.spend(re.source.length + re.flags.length, node, null);
      const encoded: EncodedTagged = { t: "regexp", source: re.source, flags: re.flags };
      // lastIndex is state a global regexp carries between calls: an output can differ by it alone.
      if (re.lastIndex !== 0) encoded.lastIndex = re.lastIndex;
      return this.withExtra(encoded, value, node, RegExp, 0);
    }
    if (types.isMap(value)) return this.encodeMap(value as Map<unknown, unknown>, node);
    if (types.isSet(value)) return this.encodeSet(value as Set<unknown>, node);
    if (ArrayBuffer.isView(value)) {
      if (types.isDataView(value)) {
        const view = value as DataView;
        return this.encodeBytes("dataview", new Uint8Array(view.buffer, view.byteOffset, view.byteLength), node);
      }
      return this.encodeTypedArray(value as unknown as TypedArray, node);
    }
    if (types.isArrayBuffer(value)) return this.encodeBytes("arraybuffer", new Uint8Array(value as ArrayBuffer), node);
    if (types.isSharedArrayBuffer(value)) {
      return this.encodeBytes("sharedarraybuffer", new Uint8Array(value as SharedArrayBuffer), node);
    }
    if (types.isBoxedPrimitive(value)) {
      const inner = this.encode(unbox(value), node, null);
      const length = types.isStringObject(value) ? (value as string).length : 0;
      return this.withExtra({ t: "boxed", value: inner }, value, node, undefined, length);
    }
    if (types.isNativeError(value) || value instanceof Error) return this.encodeError(value as Error, node, proto);
    // Before the tag, which a subclass can change: the runtime's built-ins are found by their prototypes.
    const host = this.encodeHost(value, node, proto);
    if (host !== undefined) return host;
    const tag = objectToString.call(value).slice(8, -1);
    if (tag !== "Object") {
      // Promises, weak collections, iterators, host objects without a reader: their state is not observable, so never equal.
      this.spend(NODE_BYTES + tag.length, node, null);
      return { t: "unknown", tag };
    }
    const props = this.encodeFields(value, Object.keys(value), node, false) ?? { keys: [], values: [] };
    const name = constructorName(proto);
    return name === "Object" ? { t: "object", ...props } : { t: "object", class: name, ...props };
  }

  /**
   * A URL, Headers, Blob... of the runtime, read through the built-in's own methods;
   * undefined when the value is none of them, or only wears one's prototype (the
   * built-in's getter then throws), so it stays unknown.
   */
  private encodeHost(value: object, node: PathNode, proto: object): EncodedValue | undefined {
    const reading = readBuiltin(value, proto);
    if (reading === undefined) return undefined;
    let encoded: Extract<EncodedTagged, { t: "serialized" | "host" }>;
    if (reading.text !== undefined) {
      this.spend(reading.kind.length + reading.text.length, node, null);
      encoded = { t: "serialized", kind: reading.kind as SerializedKind, v: reading.text };
    } else {
      const keys: string[] = [];
      const values: EncodedValue[] = [];
      for (const [key, field] of reading.fields!) {
        this.spend(key.length + FIELD_BYTES, node, key);
        keys.push(key);
        values.push(this.encode(field, node, key));
      }
      encoded = { t: "host", kind: reading.kind as HostKind, fields: { keys, values } };
    }
    // Own symbol fields are left out: Node and Deno keep these objects' internal state in
    // enumerable symbol fields, which would make every capture differ between runtimes.
    return this.withExtra(encoded, value, node, reading.ctor, 0, false);
  }

  private withExtra<T extends EncodedTagged & { class?: string | null; extra?: EncodedProps }>(
    encoded: T,
    value: object,
    node: PathNode,
    builtin: Function | undefined,
    indexKeys: number,
    withSymbols = true,
  ): T {
    if (builtin !== undefined) {
      const cls = subclassName(value, builtin);
      if (cls !== undefined) encoded.class = cls;
    }
    const keys = Object.keys(value);
    const extra = this.encodeFields(value, indexKeys > 0 ? keys.slice(indexKeys) : keys, node, false, withSymbols);
    if (extra !== undefined) encoded.extra = extra;
    return encoded;
  }

  private encodeMap(map: Map<unknown, unknown>, node: PathNode): EncodedValue {
    const keys: EncodedValue[] = [];
    const values: EncodedValue[] = [];
    let i = 0;
    for (const [key, value] of map) {
      const encodedKey = this.encode(key, node, { kind: "key", index: i });
      keys.push(encodedKey);
      const seg: Segment = isPrimitiveEncoding(encodedKey)
        ? { kind: "get", key: encodedKey }
        : { kind: "value", index: i };
      values.push(this.encode(value, node, seg));
      i++;
    }
    return this.withExtra({ t: "map", keys, values }, map, node, Map, 0);
  }

  private encodeSet(set: Set<unknown>, node: PathNode): EncodedValue {
    const items: EncodedValue[] = [];
    let i = 0;
    for (const member of set) items.push(this.encode(member, node, { kind: "value", index: i++ }));
    return this.withExtra({ t: "set", items }, set, node, Set, 0);
  }

  private encodeTypedArray(array: TypedArray, node: PathNode): EncodedValue {
    const kind = objectToString.call(array).slice(8, -1);
    const n = array.length;
    this.spend(n * NUMBER_BYTES, node, null);
    const items: (number | string | EncodedTagged)[] = [];
    if (typeof array[0] === "bigint") {
      for (let i = 0; i < n; i++) items.push(String(array[i]));
    } else {
      for (let i = 0; i < n; i++) items.push(encodeNumber(array[i] as number));
    }
    const encoded: EncodedTagged = { t: "typedarray", kind, items };
    const cls = subclassName(array, (globalThis as unknown as Record<string, Function>)[kind]);
    if (cls !== undefined) encoded.class = cls;
    return encoded;
  }

  private encodeBytes(t: "arraybuffer" | "sharedarraybuffer" | "dataview", bytes: Uint8Array, node: PathNode) {
    this.spend(bytes.length * 2, node, null);
    return { t, bytes: toHex(bytes) };
  }

  private encodeError(error: Error, node: PathNode, proto: object): EncodedValue {
    const dom = readDOMException(error);
    let message: string;
    if (dom !== undefined) message = dom.message;
    else {
      const messageDescriptor = Object.getOwnPropertyDescriptor(error, "message");
      message = messageDescriptor && "value" in messageDescriptor ? String(messageDescriptor.value) : "";
    }
    this.spend(message.length, node, "message");
    // The stack names files and lines of one run: it would make every two runs differ.
    let keys = Object.keys(error).filter((k) => k !== "stack" && k !== "message");
    // Bun gives some DOMExceptions where they were made as own fields: lines of code, like the stack.
    if (dom !== undefined) keys = keys.filter((k) => k !== "name" && !BUN_ERROR_LOCATION.has(k));
    // cause and AggregateError's errors are non-enumerable when set by the constructor, yet they are the error's content.
    for (const hidden of ["cause", "errors"]) {
      if (Object.hasOwn(error, hidden) && !keys.includes(hidden)) keys.push(hidden);
    }
    // A DOMException's symbol fields are Deno's internal state, not content.
    const props = this.encodeFields(error, keys, node, false, dom === undefined) ?? { keys: [], values: [] };
    if (dom !== undefined) {
      // Its name (AbortError, TimeoutError) is what tells one DOMException from another, and it is no own field.
      this.spend(dom.name.length + FIELD_BYTES, node, "name");
      props.keys.unshift("name");
      props.values.unshift(dom.name);
    }
    return { t: "error", class: constructorName(proto), message, ...props };
  }
}

type TypedArray = ArrayLike<number | bigint>;

function accessorOf(descriptor: PropertyDescriptor | undefined): { t: "accessor"; get: boolean; set: boolean } {
  return { t: "accessor", get: descriptor?.get !== undefined, set: descriptor?.set !== undefined };
}

function segmentsOf(node: PathNode): Segment[] {
  const segs: Segment[] = [];
  for (let at: PathNode | null = node; at !== null; at = at.parent) if (at.seg !== null) segs.push(at.seg);
  return segs.reverse();
}

function functionName(fn: Function): string {
  const descriptor = Object.getOwnPropertyDescriptor(fn, "name");
  return descriptor && typeof descriptor.value === "string" ? descriptor.value : "";
}

/** The constructor's name, read from the prototype's own data property so no getter runs. */
function constructorName(proto: object): string {
  const descriptor = Object.getOwnPropertyDescriptor(proto, "constructor");
  const ctor = descriptor && "value" in descriptor ? descriptor.value : undefined;
  return typeof ctor === "function" ? functionName(ctor) : "";
}

/** The class name when the value is an instance of a subclass of the built-in, else undefined. */
function subclassName(value: object, builtin: Function | undefined): string | undefined {
  const proto = Object.getPrototypeOf(value);
  // The common case is answered without reading a property; the name check covers other realms.
  if (builtin !== undefined && proto === builtin.prototype) return undefined;
  if (proto === null) return "";
  const name = constructorName(proto);
  return name === builtin?.name ? undefined : name;
}

function unbox(value: object): unknown {
  if (types.isNumberObject(value)) return Number.prototype.valueOf.call(value);
  if (types.isStringObject(value)) return String.prototype.valueOf.call(value);
  if (types.isBooleanObject(value)) return Boolean.prototype.valueOf.call(value);
  if (types.isBigIntObject(value)) return BigInt.prototype.valueOf.call(value);
  return Symbol.prototype.valueOf.call(value);
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

function toHex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

// ---------------------------------------------------------------------------
// The runtime's built-ins (URL, Headers, Blob, ...). They keep their state in
// internal slots, so field by field they look empty; each is read instead through
// the runtime's own getters, looked up once on the built-in's prototype. Those
// getters check the brand (they throw on an object that merely inherits the
// prototype) and no subclass override or user getter can run in their place.
// A runtime lacking a constructor simply has no reader for it.

/** What a built-in reads as: its text, or named raw fields the encoder encodes in turn. */
interface BuiltinReading {
  kind: SerializedKind | HostKind;
  /** The constructor of the kind, which decides whether the value is of a subclass. */
  ctor: Function;
  text?: string;
  fields?: [string, unknown][];
}

type BuiltinReader = (value: object) => BuiltinReading;

const runtimeGlobals = globalThis as unknown as Record<string, unknown>;

/** The runtime's constructor of that name; undefined where it has none (an older Node's File, say). */
function builtinConstructor(name: string): Function | undefined {
  const ctor = runtimeGlobals[name];
  return typeof ctor === "function" && typeof ctor.prototype === "object" && ctor.prototype !== null ? ctor : undefined;
}

/** The built-in's own getter or method `key`, found along its prototype chain (File's size lives on Blob's). */
function builtinMember(ctor: Function | undefined, key: string, part: "get" | "value"): Function | undefined {
  for (let p: object | null = ctor?.prototype ?? null; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const descriptor = Object.getOwnPropertyDescriptor(p, key);
    if (descriptor !== undefined) return typeof descriptor[part] === "function" ? descriptor[part] : undefined;
  }
  return undefined;
}

/** Calls a built-in member on the value; throws when the runtime lacks it, as its brand check does on a fake. */
function invoke(member: Function | undefined, value: object): unknown {
  if (member === undefined) throw new TypeError("this runtime lacks the member");
  return member.call(value);
}

/**
 * Headers as fields in the order Headers iterates them (lowercase names, sorted);
 * a name met more than once (only Set-Cookie is iterated so) holds the list of its values.
 */
function headerFields(entries: Iterable<[string, string]>): [string, unknown][] {
  const fields: [string, unknown][] = [];
  const at = new Map<string, number>();
  for (const [name, value] of entries) {
    const i = at.get(name);
    if (i === undefined) {
      at.set(name, fields.length);
      fields.push([name, value]);
    } else {
      const field = fields[i]!;
      field[1] = Array.isArray(field[1]) ? [...field[1], value] : [field[1], value];
    }
  }
  return fields;
}

/** Readers by the prototype of their built-in, built once for the runtime this module runs on. */
function builtinReaders(): Map<object, BuiltinReader> {
  const readers = new Map<object, BuiltinReader>();
  const register = (ctor: Function | undefined, reader: (value: object, ctor: Function) => BuiltinReading) => {
    // Bun's File shares Blob's prototype: one reader serves both.
    if (ctor !== undefined && !readers.has(ctor.prototype)) readers.set(ctor.prototype, (value) => reader(value, ctor));
  };
  const byText = (kind: SerializedKind, member: string, part: "get" | "value") => {
    const ctor = builtinConstructor(kind);
    const read = builtinMember(ctor, member, part);
    register(ctor, (value, ctor) => ({ kind, ctor, text: String(invoke(read, value)) }));
  };
  const byFields = (kind: HostKind, names: readonly string[]) => {
    const ctor = builtinConstructor(kind);
    const getters = names.map((name) => builtinMember(ctor, name, "get"));
    register(ctor, (value, ctor) => ({ kind, ctor, fields: names.map((name, i) => [name, invoke(getters[i], value)]) }));
  };

  byText("URL", "href", "get");
  byText("URLSearchParams", "toString", "value");

  const headers = builtinConstructor("Headers");
  const entries = builtinMember(headers, "entries", "value");
  register(headers, (value, ctor) => ({ kind: "Headers", ctor, fields: headerFields(invoke(entries, value) as Iterable<[string, string]>) }));

  // A Blob's content is not compared: every runtime reads it only asynchronously
  // (text(), arrayBuffer(), stream()), and the encoder must finish within the call
  // that captured the value. Its size and type are what can be told synchronously.
  const blob = builtinConstructor("Blob");
  const file = builtinConstructor("File");
  const size = builtinMember(blob, "size", "get");
  const type = builtinMember(blob, "type", "get");
  const fileName = builtinMember(file, "name", "get");
  const lastModified = builtinMember(file, "lastModified", "get");
  // Only Bun has a name on Blob itself: Bun.file() gives a Blob naming the file it reads.
  const blobName = builtinMember(blob, "name", "get");
  const readBlob = (value: object): BuiltinReading => {
    const blobSize = invoke(size, value);
    const blobType = invoke(type, value);
    // Not by prototype: Bun makes a File with Blob's prototype, and only instanceof tells.
    if (file !== undefined && value instanceof file) {
      return { kind: "File", ctor: file, fields: [["name", invoke(fileName, value)], ["size", blobSize], ["type", blobType], ["lastModified", invoke(lastModified, value)]] };
    }
    const fields: [string, unknown][] = [["size", blobSize], ["type", blobType]];
    const name = blobName?.call(value);
    // Without it, two files of one size and type read by Bun.file() would be equal.
    if (typeof name === "string") fields.push(["name", name]);
    return { kind: "Blob", ctor: blob!, fields };
  };
  register(file, readBlob);
  register(blob, readBlob);

  byFields("TextEncoder", ["encoding"]);
  // A streaming decoder's pending bytes are not observable: decoders of one encoding and options are equal.
  byFields("TextDecoder", ["encoding", "fatal", "ignoreBOM"]);
  byFields("AbortSignal", ["aborted", "reason"]);
  // Bodies are read only asynchronously, like a Blob's: whether one was read is what shows.
  byFields("Response", ["type", "url", "redirected", "status", "statusText", "headers", "bodyUsed"]);
  byFields("Request", ["method", "url", "redirect", "headers", "bodyUsed"]);
  return readers;
}

const BUILTIN_READERS = builtinReaders();

/**
 * Reads the value as the first built-in found along its prototype chain (so a
 * subclass reads as its built-in); undefined for anything else, including an object
 * that only inherits a built-in's prototype (its brand check throws).
 */
function readBuiltin(value: object, proto: object): BuiltinReading | undefined {
  try {
    for (let p: object | null = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      const reader = BUILTIN_READERS.get(p);
      if (reader !== undefined) return reader(value);
    }
  } catch {
    // A fake, or a runtime lacking one of the getters: not comparable, so it stays unknown.
  }
  return undefined;
}

const DOMExceptionClass = builtinConstructor("DOMException");
const domMessage = builtinMember(DOMExceptionClass, "message", "get");
const domName = builtinMember(DOMExceptionClass, "name", "get");

/** Own fields by which Bun tells where an error was made (line, column, file): code positions, not content. */
const BUN_ERROR_LOCATION = new Set(["line", "column", "sourceURL", "originalLine", "originalColumn"]);

/**
 * A DOMException's message and name, read through its own getters (they are no
 * own fields, so field by field an AbortError and a TimeoutError would look the
 * same); undefined for every other error.
 */
function readDOMException(error: object): { message: string; name: string } | undefined {
  if (DOMExceptionClass === undefined || !(error instanceof DOMExceptionClass)) return undefined;
  try {
    return { message: String(invoke(domMessage, error)), name: String(invoke(domName, error)) };
  } catch {
    return undefined;
  }
}
