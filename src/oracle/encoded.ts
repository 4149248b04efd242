/** The shape of an encoded value: what the oracle stores and compares (written by encode.ts, read by render.ts and compare.ts). */

/**
 * An encoded value: a JSON-serializable tree that keeps what JSON loses, so that
 * outputs captured by one run can be stored in a file and compared with another's.
 * Strings, booleans, null and finite numbers other than -0 stand for themselves;
 * every other value is an object tagged by `t`.
 */
export type EncodedValue = string | number | boolean | null | EncodedTagged;

/** A key of an encoded object: a string, or the symbol of a symbol-keyed field. */
export type EncodedKey = string | EncodedSymbol;

/** Own fields in insertion order: `keys[i]` holds `values[i]`. */
export interface EncodedProps {
  keys: EncodedKey[];
  values: EncodedValue[];
}

/** A symbol, known by its description (and whether it lives in the global registry). */
export interface EncodedSymbol {
  t: "symbol";
  description?: string;
  registered?: true;
}

/** Every tagged encoding; `class` is present only when it differs from the built-in's own name. */
export type EncodedTagged =
  | { t: "undefined" }
  | { t: "hole" }
  | { t: "number"; v: "NaN" | "Infinity" | "-Infinity" | "-0" }
  | { t: "bigint"; v: string }
  | EncodedSymbol
  | { t: "function"; name: string }
  | { t: "array"; class?: string; items: EncodedValue[]; extra?: EncodedProps }
  | ({ t: "object"; class?: string | null } & EncodedProps)
  | ({ t: "error"; class: string; message: string } & EncodedProps)
  | { t: "date"; class?: string; v: string | null; extra?: EncodedProps }
  | { t: "regexp"; class?: string; source: string; flags: string; lastIndex?: number; extra?: EncodedProps }
  | { t: "map"; class?: string; keys: EncodedValue[]; values: EncodedValue[]; extra?: EncodedProps }
  | { t: "set"; class?: string; items: EncodedValue[]; extra?: EncodedProps }
  | { t: "typedarray"; kind: string; class?: string; items: (number | string | EncodedTagged)[] }
  | { t: "arraybuffer" | "sharedarraybuffer" | "dataview"; bytes: string }
  | { t: "boxed"; value: EncodedValue; extra?: EncodedProps }
  | { t: "serialized"; kind: SerializedKind; class?: string; v: string; extra?: EncodedProps }
  | { t: "host"; kind: HostKind; class?: string; fields: EncodedProps; extra?: EncodedProps }
  | { t: "accessor"; get: boolean; set: boolean; threw?: true }
  | { t: "ref"; path: string }
  | { t: "unknown"; tag: string };

/** Built-ins known by their text: a URL by its `href`, URLSearchParams by `toString()`. */
export type SerializedKind = "URL" | "URLSearchParams";

/**
 * Built-ins known by a few named fields, read through the runtime's own getters:
 * Headers (its entries), Blob (size, type), File (name, size, type, lastModified),
 * TextEncoder and TextDecoder (encoding and options), AbortSignal (aborted, reason),
 * Response and Request (status line or method, url, headers, ...).
 */
export type HostKind = "Headers" | "Blob" | "File" | "TextEncoder" | "TextDecoder" | "AbortSignal" | "Response" | "Request";
