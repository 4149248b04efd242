/**
 * `--ignore` path patterns (`return.items[*].id`, `**.timestamp`, `args[0].get("k")`):
 * parsed once, then matched segment by segment as the comparison walks down.
 */
import { UserError } from "../errors.ts";
import { formatSegment, type Segment } from "./render.ts";

/** Returned when a path is ignored: nothing below it is compared. */
export const IGNORED = Symbol("ignored");

/** Live positions in the ignore patterns, each `pattern * STRIDE + position`; never empty. */
export type IgnoreState = number[];

const STRIDE = 4096;

type Token =
  | { kind: "any" }
  | { kind: "globstar" }
  /** A property name or index: matches the key, or the index it spells. */
  | { kind: "name"; name: string; index: number }
  /** Any other segment, matched on its rendering (`.get("k")`, `[Symbol(id)]`). */
  | { kind: "text"; text: string };

/**
 * A small NFA over path segments. Patterns are compiled once; the walk carries
 * the live positions, and drops to null (no checks at all) as soon as no pattern
 * can match below the current node.
 */
export class IgnoreMatcher {
  private readonly patterns: Token[][];
  constructor(patterns: readonly string[]) {
    this.patterns = patterns.map(parsePattern);
  }

  /** The state at the root, after its own name's segments. */
  start(root: string): IgnoreState | typeof IGNORED | null {
    const initial: IgnoreState = [];
    for (let p = 0; p < this.patterns.length; p++) if (this.add(initial, p, 0)) return IGNORED;
    let state: IgnoreState | typeof IGNORED | null = initial;
    for (const seg of rootSegments(root)) {
      if (state === null || state === IGNORED) break;
      state = this.step(state, seg);
    }
    return state;
  }

  step(state: IgnoreState, seg: Segment): IgnoreState | typeof IGNORED | null {
    const next: IgnoreState = [];
    let text: string | undefined;
    for (const s of state) {
      const p = Math.floor(s / STRIDE);
      const pos = s % STRIDE;
      const token = this.patterns[p]![pos]!;
      let advance: boolean;
      if (token.kind === "globstar") {
        // `**` consumes this segment and stays, so what follows it may match the next one.
        if (this.add(next, p, pos)) return IGNORED;
        continue;
      } else if (token.kind === "any") advance = true;
      else if (token.kind === "name") advance = seg === token.name || seg === token.index;
      else advance = typeof seg === "object" && token.text === (text ??= formatSegment(seg));
      if (advance && this.add(next, p, pos + 1)) return IGNORED;
    }
    return next.length === 0 ? null : next;
  }

  /** Adds a position and, past any `**`, the ones after it; true when a pattern is complete. */
  private add(state: IgnoreState, p: number, pos: number): boolean {
    const tokens = this.patterns[p]!;
    for (;;) {
      if (pos === tokens.length) return true;
      const s = p * STRIDE + pos;
      if (!state.includes(s)) state.push(s);
      if (tokens[pos]!.kind !== "globstar") return false;
      pos++;
    }
  }
}

function rootSegments(root: string): Segment[] {
  let tokens: Token[];
  try {
    tokens = parsePattern(root);
  } catch {
    return [root];
  }
  // A root is a name, not a pattern: its wildcards, if any, are taken literally.
  return tokens.map((t) => (t.kind === "name" ? (t.index >= 0 ? t.index : t.name) : t.kind === "text" ? t.text : root));
}

const NAME_END = new Set([".", "[", "("]);

/** Parses `return.items[*].id`, `**.timestamp`, `args[0].get("k")`, `["a b"]`, `[Symbol(id)]`. */
function parsePattern(pattern: string): Token[] {
  const tokens: Token[] = [];
  const fail = (problem: string): never => {
    throw new UserError(
      `ignore pattern ${JSON.stringify(pattern)}: ${problem}; write paths like return.items[*].id or **.timestamp`,
    );
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "[") {
      const end = closing(pattern, i, "[", "]") ?? fail(`unclosed "[" at ${i}`);
      tokens.push(bracketToken(pattern.slice(i + 1, end), fail));
      i = end + 1;
      continue;
    }
    if (c === ".") i++;
    else if (i !== 0) fail(`unexpected ${JSON.stringify(c)} at ${i}`);
    let end = i;
    while (end < pattern.length && !NAME_END.has(pattern[end]!)) end++;
    const name = pattern.slice(i, end);
    if (name === "") fail(`empty segment at ${i}`);
    if (pattern[end] === "(") {
      const close = closing(pattern, end, "(", ")") ?? fail(`unclosed "(" at ${end}`);
      const args = pattern.slice(end + 1, close).trim();
      i = close + 1;
      if (name === "get" || name === "has") {
        tokens.push(args === "*" ? { kind: "any" } : { kind: "text", text: `.${name}(${args})` });
      } else if ((name === "keys" || name === "values") && args === "" && pattern[i] === "[") {
        const stop = closing(pattern, i, "[", "]") ?? fail(`unclosed "[" at ${i}`);
        const index = pattern.slice(i + 1, stop).trim();
        if (index !== "*" && !/^\d+$/.test(index)) fail(`.${name}() takes an index or *`);
        tokens.push(index === "*" ? { kind: "any" } : { kind: "text", text: `.${name}()[${Number(index)}]` });
        i = stop + 1;
      } else fail(`unknown step .${name}(...)`);
      continue;
    }
    tokens.push(name === "**" ? { kind: "globstar" } : name === "*" ? { kind: "any" } : nameToken(name));
    i = end;
  }
  if (tokens.length === 0) fail("empty pattern");
  return tokens;
}

function bracketToken(inner: string, fail: (problem: string) => never): Token {
  const body = inner.trim();
  if (body === "*") return { kind: "any" };
  if (body === "**") return { kind: "globstar" };
  if (/^\d+$/.test(body)) return nameToken(String(Number(body)));
  if (body.startsWith('"')) {
    try {
      return nameToken(JSON.parse(body) as string);
    } catch {
      return fail(`bad quoted key ${body}`);
    }
  }
  if (body.startsWith("'") && body.endsWith("'") && body.length >= 2) return nameToken(body.slice(1, -1));
  if (body.startsWith("Symbol(") || body.startsWith("Symbol.for(")) return { kind: "text", text: `[${body}]` };
  return fail(`cannot read [${inner}]`);
}

function nameToken(name: string): Token {
  const index = /^(0|[1-9]\d*)$/.test(name) ? Number(name) : -1;
  return { kind: "name", name, index };
}

/** Index of the bracket closing the one at `start`, skipping quoted strings; undefined when unbalanced. */
function closing(text: string, start: number, open: string, close: string): number | undefined {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
    } else if (c === open) depth++;
    else if (c === close && --depth === 0) return i;
  }
  return undefined;
}
