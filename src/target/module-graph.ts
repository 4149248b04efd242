import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.ts";

/** Extensions tried, in this order, for a specifier without one (TypeScript's order, then Node's). */
const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx"];

/** Files whose imports are followed; anything else reachable (JSON, CSS...) is a leaf. */
const SOURCE = new Set(EXTENSIONS);

/** What TypeScript tries for a JavaScript specifier: `./x.js` may be written as `x.ts`. */
const TS_FOR_JS: Readonly<Record<string, readonly string[]>> = {
  ".js": [".ts", ".tsx"],
  ".jsx": [".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
};

/**
 * The absolute real paths of every file reachable from `entryFile` through relative
 * imports (static and type-free `import`/`export ... from`, `import("./x")` and
 * `require("./x")` with a literal), the entry included. Package imports and anything
 * that does not resolve to a file are ignored: this answers "could running the entry
 * load this file?", the fidelity check's question.
 */
export function moduleGraph(entryFile: string): Set<string> {
  const entry = path.resolve(entryFile);
  if (!existsSync(entry) || !statSync(entry).isFile()) {
    throw new UserError(`${entryFile} is not a file: give the path of the module that holds the target`);
  }
  const reached = new Set<string>();
  const queue = [realpathSync(entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (reached.has(file)) continue;
    reached.add(file);
    if (!SOURCE.has(path.extname(file)) || file.endsWith(".d.ts")) continue;
    for (const specifier of importSpecifiers(readFileSync(file, "utf8"))) {
      if (!isPathSpecifier(specifier)) continue;
      const resolved = resolveFile(path.resolve(path.dirname(file), specifier));
      if (resolved !== null) queue.push(realpathSync(resolved));
    }
  }
  return reached;
}

/** Whether a specifier names a path (relative or absolute) rather than a package. */
export function isPathSpecifier(specifier: string): boolean {
  return specifier === "." || specifier === ".." || specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("/");
}

/** The file a path specifier loads, the way TypeScript and Node look for it, or null. */
export function resolveFile(candidate: string): string | null {
  if (isFile(candidate)) return candidate;
  const extension = path.extname(candidate);
  for (const replacement of TS_FOR_JS[extension] ?? []) {
    const swapped = candidate.slice(0, -extension.length) + replacement;
    if (isFile(swapped)) return swapped;
  }
  for (const ext of [...EXTENSIONS, ".json"]) {
    if (isFile(candidate + ext)) return candidate + ext;
  }
  if (isDirectory(candidate)) {
    const main = packageMain(candidate);
    if (main !== null) {
      const resolved = resolveFile(path.resolve(candidate, main));
      if (resolved !== null) return resolved;
    }
    for (const ext of EXTENSIONS) {
      const index = path.join(candidate, `index${ext}`);
      if (isFile(index)) return index;
    }
  }
  return null;
}

function packageMain(dir: string): string | null {
  const manifest = path.join(dir, "package.json");
  if (!isFile(manifest)) return null;
  try {
    const main = (JSON.parse(readFileSync(manifest, "utf8")) as { main?: unknown }).main;
    return typeof main === "string" && main !== "" ? main : null;
  } catch {
    return null;
  }
}

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isDirectory(dir: string): boolean {
  return statSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** A lexical token: only what the import patterns need to tell apart. */
interface Token {
  readonly kind: "word" | "string" | "punct" | "other";
  readonly value: string;
}

/**
 * The module specifiers a JavaScript/TypeScript source loads at run time, in order.
 * Type-only imports and exports are left out: running the code never loads them.
 */
export function importSpecifiers(source: string): string[] {
  return importReferences(source).map((r) => r.specifier);
}

/** One module a source loads: its specifier, and whether it loads lazily (`import("x")`, at the call) or eagerly. */
export interface ImportReference {
  specifier: string;
  lazy: boolean;
}

/**
 * The module references of a source with how each loads: static `import`/`export ...
 * from` and `require` eagerly (a `require` is taken as top-level, the usual place),
 * `import()` lazily. Type-only ones are left out.
 */
export function importReferences(source: string): ImportReference[] {
  const tokens = tokenize(source);
  const found: ImportReference[] = [];
  const at = (i: number): Token | undefined => tokens[i];
  const is = (i: number, kind: Token["kind"], value?: string) =>
    at(i)?.kind === kind && (value === undefined || at(i)?.value === value);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== "word" || is(i - 1, "punct", ".")) continue;
    if (token.value === "import" || token.value === "require") {
      // import("./x") / require("./x"), and a side-effect import "./x".
      if (is(i + 1, "punct", "(") && is(i + 2, "string") && (is(i + 3, "punct", ")") || is(i + 3, "punct", ","))) {
        found.push({ specifier: at(i + 2)!.value, lazy: token.value === "import" });
      } else if (token.value === "import" && is(i + 1, "string")) {
        found.push({ specifier: at(i + 1)!.value, lazy: false });
      }
    } else if (token.value === "from" && is(i + 1, "string") && !isTypeOnly(tokens, i)) {
      found.push({ specifier: at(i + 1)!.value, lazy: false });
    }
  }
  return found;
}

/** True when the `from` at `fromIndex` ends `import type ...` or `export type ...`. */
function isTypeOnly(tokens: readonly Token[], fromIndex: number): boolean {
  // Walk back to the statement's import/export keyword; a clause is never this long.
  for (let i = fromIndex - 1; i >= Math.max(0, fromIndex - 2000); i--) {
    const token = tokens[i]!;
    if (token.kind === "punct" && token.value === ";") return false;
    if (token.kind !== "word" || (token.value !== "import" && token.value !== "export")) continue;
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    if (next?.kind !== "word" || next.value !== "type") return false;
    // `import type from "./x"` and `import type, { a } from` import a binding named "type".
    return !(after?.kind === "word" && after.value === "from") && !(after?.kind === "punct" && after.value === ",");
  }
  return false;
}

/** Words after which a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set([
  "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await",
]);

/**
 * Splits source into tokens, skipping comments and reading strings, template literals
 * and regular expressions whole so an `import` inside them is never mistaken for code.
 * Forgiving rather than exact: a string or regex never runs past the end of its line,
 * so a misread (JSX text like `don't`) costs one line, not the rest of the file.
 */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  // One entry per open template substitution: the `{` depth inside it.
  const substitutions: number[] = [];
  let i = 0;
  const length = source.length;

  // One entry per template literal being read: whether it has a substitution (then it is no literal).
  const templates: boolean[] = [];

  const readTemplate = (): void => {
    // Starts just after a backtick or a substitution's closing brace.
    let text = "";
    while (i < length) {
      const char = source[i]!;
      if (char === "\\") {
        text += source[i + 1] ?? "";
        i += 2;
      } else if (char === "`") {
        i++;
        tokens.push({ kind: templates.pop() ? "other" : "string", value: text });
        return;
      } else if (char === "$" && source[i + 1] === "{") {
        i += 2;
        templates[templates.length - 1] = true;
        substitutions.push(0);
        return;
      } else {
        text += char;
        i++;
      }
    }
    templates.pop();
  };

  while (i < length) {
    const char = source[i]!;
    if (/\s/.test(char)) {
      i++;
    } else if (char === "/" && source[i + 1] === "/") {
      const end = source.indexOf("\n", i);
      i = end === -1 ? length : end;
    } else if (char === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end === -1 ? length : end + 2;
    } else if (char === "'" || char === '"') {
      i++;
      let text = "";
      while (i < length && source[i] !== char && source[i] !== "\n") {
        if (source[i] === "\\") {
          text += source[i + 1] ?? "";
          i += 2;
        } else text += source[i++];
      }
      i++;
      tokens.push({ kind: "string", value: text });
    } else if (char === "`") {
      i++;
      templates.push(false);
      readTemplate();
    } else if (char === "}" && substitutions.length > 0 && substitutions.at(-1) === 0) {
      substitutions.pop();
      i++;
      readTemplate();
    } else if (/[\p{ID_Start}$_]/u.test(char)) {
      const match = /^[\p{ID_Continue}$\u200c\u200d]+/u.exec(source.slice(i, i + 256))!;
      tokens.push({ kind: "word", value: match[0] });
      i += match[0].length;
    } else if (/[0-9]/.test(char)) {
      const match = /^[0-9a-zA-Z_.]+/.exec(source.slice(i, i + 256))!;
      tokens.push({ kind: "other", value: match[0] });
      i += match[0].length;
    } else if (char === "/" && regexAllowed(tokens.at(-1))) {
      const end = regexEnd(source, i);
      if (end === -1) {
        tokens.push({ kind: "punct", value: char });
        i++;
      } else {
        tokens.push({ kind: "other", value: source.slice(i, end) });
        i = end;
      }
    } else {
      if (substitutions.length > 0) {
        if (char === "{") substitutions[substitutions.length - 1]!++;
        else if (char === "}") substitutions[substitutions.length - 1]!--;
      }
      tokens.push({ kind: "punct", value: char });
      i++;
    }
  }
  return tokens;
}

function regexAllowed(previous: Token | undefined): boolean {
  if (previous === undefined) return true;
  if (previous.kind === "word") return BEFORE_REGEX.has(previous.value);
  if (previous.kind === "punct") return previous.value !== ")" && previous.value !== "]";
  return false;
}

/** The index just past the regex literal (and flags) starting at `start`, or -1 if none ends on this line. */
function regexEnd(source: string, start: number): number {
  let inClass = false;
  for (let i = start + 1; i < source.length; i++) {
    const char = source[i]!;
    if (char === "\n") return -1;
    if (char === "\\") i++;
    else if (char === "[") inClass = true;
    else if (char === "]") inClass = false;
    else if (char === "/" && !inClass) {
      let end = i + 1;
      while (end < source.length && /[a-z]/i.test(source[end]!)) end++;
      return end;
    }
  }
  return -1;
}
