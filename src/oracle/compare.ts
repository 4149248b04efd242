import { isPrimitiveEncoding } from "./encode.ts";
import type { EncodedKey, EncodedProps, EncodedSymbol, EncodedTagged, EncodedValue } from "./encoded.ts";
import { formatPath, kindOf, renderValue, type Segment } from "./render.ts";
import { IGNORED, IgnoreMatcher, type IgnoreState } from "./ignore.ts";
import { defaults } from "../settings/defaults.ts";

/** Options of {@link compareEncoded}. Without any, values must be identical. */
export interface CompareOptions {
  /** Name the paths of differences start with, e.g. `return`, `args[0]`, `thrown` (default `value`). */
  root?: string;
  /** How many differences to describe; all are still counted (default `defaults.oracleLimit`). */
  limit?: number;
  /** Relative tolerance of numbers: equal when |a - b| <= atol + rtol * |b|, b the expected (default `defaults.rtol`). */
  rtol?: number;
  /** Absolute tolerance of numbers (default `defaults.atol`). */
  atol?: number;
  /**
   * Paths whose subtrees are not compared. A pattern starts with the root name;
   * `*` (or `[*]`) matches one segment, `**` any number: `return.createdAt`,
   * `return.items[*].id`, `**.timestamp`.
   */
  ignore?: readonly string[];
  /** Whether the key order of objects matters (default false; Map, Set and array order always does). */
  keyOrder?: boolean;
}

/** One place where the values differ, rendered for people. */
export interface Difference {
  /** Where, e.g. `return.lines[2].tax` or `args[0].get("k")`. */
  path: string;
  /** Short rendering of the expected value there (`<missing>` when absent). */
  expected: string;
  /** Short rendering of the actual value there (`<missing>` when absent). */
  actual: string;
  /** Why they differ, in a few words. */
  reason: string;
}

/** Outcome of {@link compareEncoded}. */
export interface Comparison {
  /** True when no difference was found outside the ignored paths. */
  equal: boolean;
  /** The first `limit` differences, in traversal order. */
  differences: Difference[];
  /** All differences found, described or not. */
  totalDifferences: number;
  /**
   * Largest |actual - expected| / |expected| over all pairs of numbers compared,
   * equal or not (Infinity when a non-zero number was expected to be 0, or NaN met a number).
   */
  maxRelativeDifference: number;
}

/**
 * Compares two encodings. Identical by default: same kinds and classes, NaN equals
 * NaN, -0 differs from 0, Map, Set and array order matters, plain-object key
 * order does not unless `keyOrder`; the runtime's built-ins compare by what they
 * read as (a URL by its href, a Blob by size and type, see `HostKind`); values of
 * unknown kind (promises, other host objects) are never equal, not even to
 * themselves. With `rtol` or `atol`, numbers (then -0 and 0 too) are equal
 * within the tolerance.
 */
export function compareEncoded(
  expected: EncodedValue,
  actual: EncodedValue,
  options: CompareOptions = {},
): Comparison {
  const comparer = new Comparer(options);
  const root = options.root ?? "value";
  const matcher = options.ignore && options.ignore.length > 0 ? new IgnoreMatcher(options.ignore) : null;
  const state = matcher === null ? null : matcher.start(root);
  if (state !== IGNORED) {
    comparer.matcher = matcher;
    comparer.value(expected, actual, state);
  }
  return {
    equal: comparer.total === 0,
    differences: comparer.recorded.map((d) => ({
      path: formatPath(root, d.segs.reverse()),
      expected: d.expected === MISSING ? "<missing>" : renderValue(d.expected, root),
      actual: d.actual === MISSING ? "<missing>" : renderValue(d.actual, root),
      reason: d.reason,
    })),
    totalDifferences: comparer.total,
    maxRelativeDifference: comparer.maxRel,
  };
}

const MISSING = Symbol("missing");
type Side = EncodedValue | typeof MISSING;

/** A difference before rendering; `segs` grows from the leaf up as the recursion unwinds. */
interface Pending {
  segs: Segment[];
  expected: Side;
  actual: Side;
  reason: string;
}

const NO_PROPS: EncodedProps = { keys: [], values: [] };

/**
 * The walk. Paths are never built on the way down: a difference is recorded with
 * no path, and each level appends its segment to the differences its child
 * recorded, so an equal comparison costs no string or segment at all.
 */
class Comparer {
  recorded: Pending[] = [];
  total = 0;
  maxRel = 0;
  matcher: IgnoreMatcher | null = null;
  private readonly limit: number;
  private readonly tolerant: boolean;
  private readonly rtol: number;
  private readonly atol: number;
  private readonly keyOrder: boolean;
  private prober: Comparer | null = null;

  constructor(private readonly options: CompareOptions) {
    this.limit = options.limit ?? defaults.oracleLimit;
    this.rtol = options.rtol ?? defaults.rtol;
    this.atol = options.atol ?? defaults.atol;
    this.tolerant = this.rtol > 0 || this.atol > 0;
    this.keyOrder = options.keyOrder ?? false;
  }

  value(e: EncodedValue, a: EncodedValue, ign: IgnoreState | null): void {
    if (typeof e !== "object" || e === null) {
      if (e === a) return;
      if (typeof e === "number") return this.numbers(e, a);
      return this.differ(e, a, this.kindReason(e, a) ?? "values differ");
    }
    if (typeof a !== "object" || a === null) {
      if (e.t === "number" && typeof a === "number") return this.numbers(e, a);
      return this.differ(e, a, this.kindReason(e, a) ?? "values differ");
    }
    if (e.t !== a.t) return this.differ(e, a, this.kindReason(e, a) ?? "values differ");
    switch (e.t) {
      case "undefined":
      case "hole":
        return;
      case "number":
        return this.numbers(e, a);
      case "bigint":
        if (e.v !== (a as typeof e).v) this.differ(e, a, "values differ");
        return;
      case "symbol":
        if (!sameSymbol(e, a as EncodedSymbol)) this.differ(e, a, "different symbols");
        return;
      case "function":
        if (e.name !== (a as typeof e).name) this.differ(e, a, "different functions");
        return;
      case "unknown":
        return this.differ(e, a, `a ${e.tag} has no observable value, so it never compares equal`);
      case "ref":
        if (e.path !== (a as typeof e).path) this.differ(e, a, "references to different places");
        return;
      case "accessor": {
        const b = a as typeof e;
        if (e.get !== b.get || e.set !== b.set || e.threw !== b.threw) this.differ(e, a, "different accessors");
        return;
      }
      case "array":
        return this.arrays(e, a as typeof e, ign);
      case "object":
        if (e.class !== (a as typeof e).class) return this.differ(e, a, "different classes");
        return this.props(e, a as typeof e, ign);
      case "error": {
        const b = a as typeof e;
        if (e.class !== b.class) return this.differ(e, a, "different error classes");
        if (e.message !== b.message) this.childDiffer("message", e.message, b.message, "different messages", ign);
        return this.props(e, b, ign);
      }
      case "date": {
        const b = a as typeof e;
        if (e.class !== b.class) return this.differ(e, a, "different classes");
        if (e.v !== b.v) this.differ(e, a, "different dates");
        return this.props(e.extra ?? NO_PROPS, b.extra ?? NO_PROPS, ign);
      }
      case "regexp": {
        const b = a as typeof e;
        if (e.class !== b.class) return this.differ(e, a, "different classes");
        if (e.source !== b.source || e.flags !== b.flags || e.lastIndex !== b.lastIndex) {
          this.differ(e, a, "different regular expressions");
        }
        return this.props(e.extra ?? NO_PROPS, b.extra ?? NO_PROPS, ign);
      }
      case "map":
        return this.maps(e, a as typeof e, ign);
      case "set":
        return this.sets(e, a as typeof e, ign);
      case "typedarray": {
        const b = a as typeof e;
        if (e.kind !== b.kind || e.class !== b.class) return this.differ(e, a, "different typed array kinds");
        return this.lists(e.items as EncodedValue[], b.items as EncodedValue[], ign);
      }
      case "arraybuffer":
      case "sharedarraybuffer":
      case "dataview":
        return this.bytes(e, a as typeof e);
      case "boxed": {
        const b = a as typeof e;
        if (!samePrimitive(e.value, b.value)) this.differ(e, a, "different boxed values");
        return this.props(e.extra ?? NO_PROPS, b.extra ?? NO_PROPS, ign);
      }
      case "serialized": {
        const b = a as typeof e;
        if (e.kind !== b.kind || e.class !== b.class) return this.differ(e, a, this.kindReason(e, a) ?? "different classes");
        // One text is the whole value: the difference is the value's, not a field's.
        if (e.v !== b.v) this.differ(e, a, e.kind === "URL" ? "different URLs" : "different search params");
        return this.props(e.extra ?? NO_PROPS, b.extra ?? NO_PROPS, ign);
      }
      case "host": {
        const b = a as typeof e;
        if (e.kind !== b.kind || e.class !== b.class) return this.differ(e, a, this.kindReason(e, a) ?? "different classes");
        this.props(e.fields, b.fields, ign);
        return this.props(e.extra ?? NO_PROPS, b.extra ?? NO_PROPS, ign);
      }
    }
  }

  /** Compares the child at `seg`, then prefixes the differences it recorded with `seg`. */
  private child(seg: Segment, e: EncodedValue, a: EncodedValue, ign: IgnoreState | null): void {
    if (ign !== null) {
      const next = this.matcher!.step(ign, seg);
      if (next === IGNORED) return;
      ign = next;
    }
    const before = this.recorded.length;
    this.value(e, a, ign);
    for (let i = before; i < this.recorded.length; i++) this.recorded[i]!.segs.push(seg);
  }

  /** Records a difference at `seg` below the current node (a missing key, a length), unless ignored. */
  private childDiffer(seg: Segment, e: Side, a: Side, reason: string, ign: IgnoreState | null): void {
    if (ign !== null && this.matcher!.step(ign, seg) === IGNORED) return;
    const before = this.recorded.length;
    this.differ(e, a, reason);
    if (this.recorded.length > before) this.recorded[before]!.segs.push(seg);
  }

  private differ(e: Side, a: Side, reason: string): void {
    this.total++;
    if (this.recorded.length < this.limit) this.recorded.push({ segs: [], expected: e, actual: a, reason });
  }

  private kindReason(e: EncodedValue, a: EncodedValue): string | undefined {
    if (typeof e === "object" && e !== null && e.t === "ref") {
      return `expected the same object as ${this.options.root ?? "value"}${e.path}, got a separate ${kindOf(a)}`;
    }
    if (typeof a === "object" && a !== null && a.t === "ref") {
      return `expected a separate ${kindOf(e)}, got the same object as ${this.options.root ?? "value"}${a.path}`;
    }
    const stale = staleUnknownReason(e, a);
    if (stale !== undefined) return stale;
    const ek = kindOf(e);
    const ak = kindOf(a);
    return ek === ak ? undefined : `expected ${ek}, got ${ak}`;
  }

  private numbers(e: number | EncodedTagged, a: EncodedValue): void {
    const x = numberOf(e);
    const y = numberOf(a);
    if (y === undefined) return this.differ(e, a, this.kindReason(e, a) ?? "values differ");
    const rel = relativeDifference(x!, y);
    if (rel > this.maxRel) this.maxRel = rel;
    if (Object.is(x, y)) return;
    // Infinite values only equal themselves: Infinity - 1e308 is within any rtol of Infinity.
    if (this.tolerant && Number.isFinite(x) && Number.isFinite(y) && Math.abs(y - x!) <= this.atol + this.rtol * Math.abs(x!)) {
      return;
    }
    if (this.recorded.length >= this.limit) return this.differ(e, a, "");
    let reason: string;
    if (x === 0 && y === 0) reason = "zeros of different signs";
    else if (x !== x || y !== y || !Number.isFinite(x!) || !Number.isFinite(y)) reason = "values differ";
    else {
      reason = `differ by ${short(Math.abs(y - x!))} (relative ${short(rel)})`;
      if (this.tolerant) reason += `, beyond atol ${this.atol} + rtol ${this.rtol}`;
    }
    this.differ(e, a, reason);
  }

  /** Elementwise over the common prefix; primitives that are identical skip the call. */
  private lists(ei: readonly EncodedValue[], ai: readonly EncodedValue[], ign: IgnoreState | null): void {
    const n = ei.length < ai.length ? ei.length : ai.length;
    for (let i = 0; i < n; i++) {
      const x = ei[i]!;
      const y = ai[i]!;
      if (x === y && typeof x !== "object") continue;
      this.child(i, x, y, ign);
    }
    if (ei.length !== ai.length) this.childDiffer("length", ei.length, ai.length, "different lengths", ign);
  }

  private arrays(e: ArrayNode, a: ArrayNode, ign: IgnoreState | null): void {
    if (e.class !== a.class) return this.differ(e, a, "different classes");
    this.lists(e.items, a.items, ign);
    if (e.extra !== undefined || a.extra !== undefined) this.props(e.extra ?? NO_PROPS, a.extra ?? NO_PROPS, ign);
  }

  private props(e: EncodedProps, a: EncodedProps, ign: IgnoreState | null): void {
    const ek = e.keys;
    const ak = a.keys;
    const n = ek.length;
    if (n === ak.length && sameKeysInOrder(ek, ak)) {
      const ev = e.values;
      const av = a.values;
      for (let i = 0; i < n; i++) {
        const x = ev[i]!;
        const y = av[i]!;
        if (x === y && typeof x !== "object") continue;
        this.child(keySegment(ek[i]!), x, y, ign);
      }
      return;
    }
    this.keyedProps(e, a, ign);
  }

  /** Slow path: the keys differ in membership or order, so match them by name. */
  private keyedProps(e: EncodedProps, a: EncodedProps, ign: IgnoreState | null): void {
    const eIds = keyIds(e.keys);
    const aIds = keyIds(a.keys);
    const where = new Map<string, number>();
    for (let j = 0; j < aIds.length; j++) where.set(aIds[j]!, j);
    const matched = new Uint8Array(aIds.length);
    let lastMatch = -1;
    let reordered = false;
    for (let i = 0; i < eIds.length; i++) {
      const j = where.get(eIds[i]!);
      const seg = keySegment(e.keys[i]!);
      if (j === undefined) {
        this.childDiffer(seg, e.values[i]!, MISSING, "missing key", ign);
        continue;
      }
      matched[j] = 1;
      if (j < lastMatch) reordered = true;
      lastMatch = j;
      this.child(seg, e.values[i]!, a.values[j]!, ign);
    }
    for (let j = 0; j < aIds.length; j++) {
      if (matched[j] === 0) this.childDiffer(keySegment(a.keys[j]!), MISSING, a.values[j]!, "unexpected key", ign);
    }
    if (this.keyOrder && reordered) {
      this.differ({ t: "object", ...e }, { t: "object", ...a }, "same keys in a different order");
    }
  }

  private maps(e: MapNode, a: MapNode, ign: IgnoreState | null): void {
    if (e.class !== a.class) return this.differ(e, a, "different classes");
    const ek = e.keys;
    const ak = a.keys;
    if (ek.length === ak.length && this.sameInOrder(ek, ak)) {
      for (let i = 0; i < ek.length; i++) this.child(valueSegment(ek[i]!, i), e.values[i]!, a.values[i]!, ign);
    } else if (ek.every(isPrimitiveEncoding) && ak.every(isPrimitiveEncoding)) {
      this.keyedMap(e, a, ign);
    } else {
      const n = Math.min(ek.length, ak.length);
      for (let i = 0; i < n; i++) {
        this.child({ kind: "key", index: i }, ek[i]!, ak[i]!, ign);
        this.child(valueSegment(ek[i]!, i), e.values[i]!, a.values[i]!, ign);
      }
      if (ek.length !== ak.length) this.childDiffer("size", ek.length, ak.length, "different sizes", ign);
    }
    this.props(e.extra ?? NO_PROPS, a.extra ?? NO_PROPS, ign);
  }

  /** Maps whose keys are all primitives: match entries by key, then say if only the order differs. */
  private keyedMap(e: MapNode, a: MapNode, ign: IgnoreState | null): void {
    const where = new Map<string, number>();
    for (let j = 0; j < a.keys.length; j++) where.set(primitiveId(a.keys[j]!), j);
    const matched = new Uint8Array(a.keys.length);
    const before = this.total;
    for (let i = 0; i < e.keys.length; i++) {
      const seg: Segment = { kind: "get", key: e.keys[i]! };
      const j = where.get(primitiveId(e.keys[i]!));
      if (j === undefined) {
        this.childDiffer(seg, e.values[i]!, MISSING, "missing key", ign);
        continue;
      }
      matched[j] = 1;
      this.child(seg, e.values[i]!, a.values[j]!, ign);
    }
    for (let j = 0; j < a.keys.length; j++) {
      if (matched[j] === 0) this.childDiffer({ kind: "get", key: a.keys[j]! }, MISSING, a.values[j]!, "unexpected key", ign);
    }
    if (this.total === before) this.differ(e, a, "same entries in a different order");
  }

  private sets(e: SetNode, a: SetNode, ign: IgnoreState | null): void {
    if (e.class !== a.class) return this.differ(e, a, "different classes");
    const ei = e.items;
    const ai = a.items;
    if (ei.every(isPrimitiveEncoding) && ai.every(isPrimitiveEncoding)) {
      if (ei.length !== ai.length || !this.sameInOrder(ei, ai)) this.primitiveSets(e, a, ign);
    } else {
      const n = Math.min(ei.length, ai.length);
      for (let i = 0; i < n; i++) this.child({ kind: "value", index: i }, ei[i]!, ai[i]!, ign);
      if (ei.length !== ai.length) this.childDiffer("size", ei.length, ai.length, "different sizes", ign);
    }
    this.props(e.extra ?? NO_PROPS, a.extra ?? NO_PROPS, ign);
  }

  /** Sets of primitives: report members missing or unexpected (`.has(3)`), or else that only the order differs. */
  private primitiveSets(e: SetNode, a: SetNode, ign: IgnoreState | null): void {
    const eIds = new Set(e.items.map(primitiveId));
    const aIds = new Set(a.items.map(primitiveId));
    const before = this.total;
    for (const member of e.items) {
      if (!aIds.has(primitiveId(member))) this.childDiffer({ kind: "has", key: member }, true, false, "missing member", ign);
    }
    for (const member of a.items) {
      if (!eIds.has(primitiveId(member))) this.childDiffer({ kind: "has", key: member }, false, true, "unexpected member", ign);
    }
    if (this.total === before) this.differ(e, a, "same members in a different order");
  }

  private bytes(e: BytesNode, a: BytesNode): void {
    if (e.bytes === a.bytes) return;
    if (e.bytes.length !== a.bytes.length) return this.differ(e, a, "different byte lengths");
    let i = 0;
    while (e.bytes.charCodeAt(i) === a.bytes.charCodeAt(i)) i++;
    const offset = i >> 1;
    const byteAt = (hex: string) => `0x${hex.slice(offset * 2, offset * 2 + 2)}`;
    this.differ(e, a, `bytes differ from offset ${offset} (${byteAt(e.bytes)} vs ${byteAt(a.bytes)})`);
  }

  /** Positional equality of keys or members, decided without recording anything. */
  private sameInOrder(x: readonly EncodedValue[], y: readonly EncodedValue[]): boolean {
    for (let i = 0; i < x.length; i++) {
      const p = x[i]!;
      const q = y[i]!;
      if (p === q && typeof p !== "object") continue;
      if (isPrimitiveEncoding(p) || isPrimitiveEncoding(q)) {
        if (!samePrimitive(p, q)) return false;
      } else if (!this.probe(p, q)) return false;
    }
    return true;
  }

  /** Exact equality of two containers (keys must match exactly, tolerance or not), on a silent comparer. */
  private probe(x: EncodedValue, y: EncodedValue): boolean {
    this.prober ??= new Comparer({ limit: 0, keyOrder: this.keyOrder });
    this.prober.total = 0;
    this.prober.value(x, y, null);
    return this.prober.total === 0;
  }
}

type ArrayNode = Extract<EncodedTagged, { t: "array" }>;
type MapNode = Extract<EncodedTagged, { t: "map" }>;
type SetNode = Extract<EncodedTagged, { t: "set" }>;
type BytesNode = Extract<EncodedTagged, { t: "arraybuffer" | "sharedarraybuffer" | "dataview" }>;

/**
 * Why a built-in that one side could not read differs from the same built-in read by
 * value: an oracle captured before xloop read it (format 1 stored every URL, Headers,
 * Blob... as unknown), or a runtime lacking it. Undefined for any other pair of kinds.
 */
function staleUnknownReason(e: EncodedValue, a: EncodedValue): string | undefined {
  if (typeof e !== "object" || e === null || typeof a !== "object" || a === null) return undefined;
  if (e.t === "unknown" && (a.t === "serialized" || a.t === "host") && sameBuiltin(e.tag, a.kind)) {
    return `the original ${e.tag} was stored as not comparable (an oracle captured before xloop compared it by value); re-capture the oracle`;
  }
  if (a.t === "unknown" && (e.t === "serialized" || e.t === "host") && sameBuiltin(a.tag, e.kind)) {
    return `this runtime cannot read a ${e.kind} by value, so it is not comparable with the original`;
  }
  return undefined;
}

/** Whether an unknown value's tag names the built-in; Bun tags a File as a Blob. */
function sameBuiltin(tag: string, kind: string): boolean {
  return tag === kind || (tag === "Blob" && kind === "File");
}

function numberOf(value: EncodedValue): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value !== "object" || value === null || value.t !== "number") return undefined;
  return value.v === "-0" ? -0 : Number(value.v);
}

/** |actual - expected| / |expected|: 0 for identical values, Infinity when the scale is 0 or a NaN is involved. */
function relativeDifference(expected: number, actual: number): number {
  if (Object.is(expected, actual) || expected === actual) return 0;
  if (expected !== expected || actual !== actual) return Infinity;
  const diff = Math.abs(actual - expected);
  return expected === 0 ? Infinity : diff / Math.abs(expected);
}

/** Three significant digits: a reason says how far apart, the renderings say exactly what. */
function short(n: number): string {
  return String(Number(n.toPrecision(3)));
}

function sameSymbol(x: EncodedSymbol, y: EncodedSymbol): boolean {
  return x.description === y.description && x.registered === y.registered;
}

function samePrimitive(x: EncodedValue, y: EncodedValue): boolean {
  if (x === y) return true;
  if (typeof x !== "object" || typeof y !== "object" || x === null || y === null || x.t !== y.t) return false;
  return primitiveId(x) === primitiveId(y);
}

/** A string naming a primitive encoding exactly; only built off the hot path (reordered maps, sets). */
function primitiveId(value: EncodedValue): string {
  return typeof value === "string" ? `s${value}` : JSON.stringify(value);
}

function sameKeysInOrder(x: readonly EncodedKey[], y: readonly EncodedKey[]): boolean {
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    if (typeof p === "string" || typeof q === "string" || !sameSymbol(p, q)) return false;
  }
  return true;
}

/** Ids of an object's keys; symbols sharing a description are told apart by their rank. */
function keyIds(keys: readonly EncodedKey[]): string[] {
  const seen = new Map<string, number>();
  return keys.map((key) => {
    if (typeof key === "string") return key;
    const base = `\u0000${key.registered ? "for:" : ""}${key.description ?? "\u0001"}`;
    const rank = seen.get(base) ?? 0;
    seen.set(base, rank + 1);
    return `${base}\u0000${rank}`;
  });
}

function keySegment(key: EncodedKey): Segment {
  return typeof key === "string" ? key : { kind: "symbol", key };
}

/** Must agree with the encoder's choice, since ref paths are compared as text. */
function valueSegment(key: EncodedValue, index: number): Segment {
  return isPrimitiveEncoding(key) ? { kind: "get", key } : { kind: "value", index };
}
