import type { EncodedKey, EncodedProps, EncodedSymbol, EncodedValue } from "./encoded.ts";

/**
 * One step of a path into a value: a property name, an array index, or a step
 * into a symbol-keyed field, a Map or a Set. Map values under primitive keys are
 * reached by `.get(key)`, set members that are primitives by `.has(member)`; keys
 * and members that are objects by position (`.keys()[i]`, `.values()[i]`), because
 * rendering an object is neither short nor unique.
 */
export type Segment =
  | string
  | number
  | { kind: "symbol"; key: EncodedSymbol }
  | { kind: "get" | "has"; key: EncodedValue }
  | { kind: "key" | "value"; index: number };

/** Default width of a rendered value in a difference. */
export const RENDER_WIDTH = 80;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Renders one segment the way JavaScript would reach it, e.g. `.tax`, `[2]`, `.get("k")`. */
export function formatSegment(seg: Segment): string {
  if (typeof seg === "string") return IDENTIFIER.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`;
  if (typeof seg === "number") return `[${seg}]`;
  switch (seg.kind) {
    case "symbol":
      return `[${renderSymbol(seg.key)}]`;
    case "get":
    case "has":
      return `.${seg.kind}(${renderValue(seg.key, "", Infinity)})`;
    case "key":
      return `.keys()[${seg.index}]`;
    case "value":
      return `.values()[${seg.index}]`;
  }
}

/** Renders a path: the root's name followed by its segments, e.g. `return.lines[2].tax`. */
export function formatPath(root: string, segs: readonly Segment[]): string {
  let out = root;
  for (const seg of segs) out += formatSegment(seg);
  return out;
}

/** Human name of an encoding's kind, used to say that two values are of different kinds. */
export function kindOf(value: EncodedValue): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  switch (value.t) {
    case "object":
      return value.class === undefined ? "object" : value.class === null ? "null-prototype object" : `${value.class || "anonymous class"} instance`;
    case "error":
      return value.class || "error";
    case "array":
    case "date":
    case "regexp":
    case "map":
    case "set":
      return value.class ?? value.t;
    case "typedarray":
      return value.class ?? value.kind;
    case "serialized":
    case "host":
      // An anonymous subclass reads as its built-in: a class "" says nothing.
      return value.class || value.kind;
    case "boxed":
      return `boxed ${kindOf(value.value)}`;
    case "ref":
      return "reference";
    case "unknown":
      return value.tag;
    default:
      return value.t;
  }
}

/**
 * Short, readable rendering of an encoding (`0.1`, `-0`, `10n`, `"abc"`,
 * `Map(2) {"k" => 1, …}`, `URL(https://a.example/x)`, `Blob {size: 3, type: ""}`),
 * cut at `width` characters. `root` names the value refs point into.
 */
export function renderValue(value: EncodedValue, root: string, width: number = RENDER_WIDTH): string {
  const out = new Writer(width);
  write(out, value, root);
  return out.finish();
}

/** Appends up to a width, then stops: rendering a huge value costs no more than a short one. */
class Writer {
  text = "";
  full = false;
  constructor(private readonly width: number) {}
  add(part: string): void {
    if (this.full) return;
    this.text += part;
    if (this.text.length > this.width) this.full = true;
  }
  finish(): string {
    return this.full ? `${this.text.slice(0, Math.max(0, this.width - 1))}…` : this.text;
  }
}

function write(out: Writer, value: EncodedValue, root: string): void {
  if (out.full) return;
  if (value === null || typeof value !== "object") {
    out.add(typeof value === "string" ? JSON.stringify(value) : String(value));
    return;
  }
  switch (value.t) {
    case "undefined":
      return out.add("undefined");
    case "hole":
      return out.add("<hole>");
    case "number":
      return out.add(value.v);
    case "bigint":
      return out.add(`${value.v}n`);
    case "symbol":
      return out.add(renderSymbol(value));
    case "function":
      return out.add(`[Function ${value.name || "(anonymous)"}]`);
    case "array":
      if (value.class !== undefined) out.add(`${value.class}(${value.items.length}) `);
      writeList(out, "[", value.items, "]", root);
      return writeExtra(out, value.extra, root);
    case "object":
      if (value.class === null) out.add("[Object: null prototype] ");
      else if (value.class !== undefined) out.add(`${value.class || "(anonymous)"} `);
      return writeProps(out, value, root);
    case "error":
      out.add(`${value.class || "Error"}: ${value.message}`);
      if (value.keys.length > 0) {
        out.add(" ");
        writeProps(out, value, root);
      }
      return;
    case "date":
      out.add(`${value.class ?? "Date"}(${value.v ?? "Invalid Date"})`);
      return writeExtra(out, value.extra, root);
    case "regexp":
      out.add(`/${value.source}/${value.flags}`);
      if (value.lastIndex !== undefined) out.add(` (lastIndex ${value.lastIndex})`);
      return writeExtra(out, value.extra, root);
    case "map":
      out.add(`${value.class ?? "Map"}(${value.keys.length}) {`);
      for (let i = 0; i < value.keys.length && !out.full; i++) {
        if (i > 0) out.add(", ");
        write(out, value.keys[i]!, root);
        out.add(" => ");
        write(out, value.values[i]!, root);
      }
      out.add("}");
      return writeExtra(out, value.extra, root);
    case "set":
      out.add(`${value.class ?? "Set"}(${value.items.length}) `);
      writeList(out, "{", value.items, "}", root);
      return writeExtra(out, value.extra, root);
    case "typedarray":
      out.add(`${value.class ?? value.kind}(${value.items.length}) `);
      return writeList(out, "[", value.items, "]", root);
    case "arraybuffer":
    case "sharedarraybuffer":
    case "dataview": {
      const name = value.t === "arraybuffer" ? "ArrayBuffer" : value.t === "dataview" ? "DataView" : "SharedArrayBuffer";
      out.add(`${name}(${value.bytes.length / 2}) <`);
      for (let i = 0; i < value.bytes.length && !out.full; i += 2) out.add((i > 0 ? " " : "") + value.bytes.slice(i, i + 2));
      return out.add(">");
    }
    case "boxed":
      out.add(`[${boxedName(value.value)}: `);
      write(out, value.value, root);
      out.add("]");
      return writeExtra(out, value.extra, root);
    case "serialized":
      out.add(`${value.class || value.kind}(${value.v})`);
      return writeExtra(out, value.extra, root);
    case "host":
      out.add(`${value.class || value.kind} `);
      writeProps(out, value.fields, root);
      return writeExtra(out, value.extra, root);
    case "accessor":
      return out.add(`[${value.get && value.set ? "Getter/Setter" : value.get ? "Getter" : "Setter"}${value.threw ? " (threw)" : ""}]`);
    case "ref":
      return out.add(`<ref ${root}${value.path}>`);
    case "unknown":
      return out.add(`[${value.tag} (not comparable)]`);
  }
}

function writeList(out: Writer, open: string, items: readonly EncodedValue[], close: string, root: string): void {
  out.add(open);
  for (let i = 0; i < items.length && !out.full; i++) {
    if (i > 0) out.add(", ");
    write(out, items[i]!, root);
  }
  out.add(close);
}

function writeProps(out: Writer, props: EncodedProps, root: string): void {
  out.add("{");
  for (let i = 0; i < props.keys.length && !out.full; i++) {
    if (i > 0) out.add(", ");
    out.add(renderKey(props.keys[i]!));
    out.add(": ");
    write(out, props.values[i]!, root);
  }
  out.add("}");
}

function writeExtra(out: Writer, extra: EncodedProps | undefined, root: string): void {
  if (extra === undefined) return;
  out.add(" ");
  writeProps(out, extra, root);
}

function renderKey(key: EncodedKey): string {
  if (typeof key !== "string") return `[${renderSymbol(key)}]`;
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

function renderSymbol(symbol: EncodedSymbol): string {
  const description = symbol.description === undefined ? "" : symbol.description;
  return symbol.registered ? `Symbol.for(${description})` : `Symbol(${description})`;
}

function boxedName(value: EncodedValue): string {
  const kind = kindOf(value);
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}
