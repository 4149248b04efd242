/**
 * A first guess at what kind of slowness a hot function has, from its source text:
 * the domain checklists' questions a reader would ask first, answered by patterns the
 * code makes visible (a membership test inside a loop, a RegExp built per call, …).
 * A guess to direct attention, never a diagnosis; pure.
 */

/** One category a function's source suggests, with the domain it belongs to. */
export interface CategoryGuess {
  category: string;
  domain: "cpu" | "memory" | "async";
  /** What in the source suggested it. */
  evidence: string;
}

/**
 * The text of the function starting at 1-based `line` of `source`: from that line to
 * the brace that closes the first one opened (strings and comments are not parsed, so
 * a brace inside one can cut it short; capped at 400 lines).
 */
export function functionText(source: string, line: number): string {
  const lines = source.split("\n");
  if (line < 1 || line > lines.length) return "";
  let depth = 0;
  let opened = false;
  const taken: string[] = [];
  for (let i = line - 1; i < lines.length && taken.length < 400; i++) {
    taken.push(lines[i]);
    for (const char of lines[i]) {
      if (char === "{") {
        depth++;
        opened = true;
      } else if (char === "}") depth--;
    }
    if (opened && depth <= 0) break;
    // An arrow function with an expression body ends with its statement.
    if (!opened && /[;,]\s*$/.test(lines[i]) && i > line - 1) break;
  }
  return taken.join("\n");
}

const loop = /\bfor\s*\(|\bwhile\s*\(|\.forEach\(|\.map\(|\.filter\(|\.reduce\(|\.some\(|\.every\(/;

interface Rule {
  category: string;
  domain: CategoryGuess["domain"];
  test: (text: string) => string | undefined;
}

function inLoop(pattern: RegExp): (text: string) => string | undefined {
  return (text) => {
    const start = text.search(loop);
    if (start < 0) return undefined;
    const match = pattern.exec(text.slice(start));
    return match ? match[0] : undefined;
  };
}

function anywhere(pattern: RegExp): (text: string) => string | undefined {
  return (text) => pattern.exec(text)?.[0];
}

// Ordered by how much a hit usually costs: an O(n^2) before a constant factor.
const rules: Rule[] = [
  { category: "sequential awaits in a loop", domain: "async", test: inLoop(/\bawait\b/) },
  { category: "membership test in a loop (O(n^2): a Set or Map fits)", domain: "cpu", test: inLoop(/\.(includes|indexOf|lastIndexOf|find|findIndex)\(/) },
  { category: "repeated splice/shift/unshift in a loop", domain: "cpu", test: inLoop(/\.(splice|shift|unshift)\(/) },
  { category: "array copies in a loop (spread, concat, slice)", domain: "memory", test: inLoop(/\[\s*\.\.\.|\.concat\(|\.slice\(|Array\.from\(/) },
  { category: "RegExp built per call", domain: "cpu", test: anywhere(/new RegExp\(/) },
  { category: "Intl formatter built per call", domain: "cpu", test: anywhere(/new Intl\.\w+/) },
  { category: "JSON clone or round trip", domain: "cpu", test: anywhere(/JSON\.parse\(\s*JSON\.stringify\(|JSON\.(parse|stringify)\(/) },
  { category: "string building in a loop", domain: "cpu", test: inLoop(/\+=\s*(["'`]|String\()|\.concat\(/) },
  { category: "sort per call", domain: "cpu", test: anywhere(/\.sort\(/) },
  { category: "exceptions on the hot path", domain: "cpu", test: anywhere(/\bthrow\b[\s\S]*\bcatch\b|\btry\s*\{[\s\S]*\bthrow\b/) },
  { category: "intermediate arrays (map/filter chains)", domain: "memory", test: anywhere(/\)\s*\.(map|filter|flatMap)\(/) },
];

/** The first category the function's text suggests, or undefined when nothing shows. */
export function guessCategory(text: string): CategoryGuess | undefined {
  for (const rule of rules) {
    const evidence = rule.test(text);
    if (evidence !== undefined) return { category: rule.category, domain: rule.domain, evidence: evidence.trim() };
  }
  return undefined;
}

/** Whether the function's text is an async function that awaits (its time may be waiting, not computing). */
export function isAwaitingFunction(text: string): boolean {
  const head = text.slice(0, 200);
  return /\basync\b/.test(head) && /\bawait\b/.test(text);
}
