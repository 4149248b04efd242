/**
 * bench/real-swaps: does `xloop ab`, run from the standalone binary in a plain Node
 * project, find the speed-ups that real library swaps have under Node?
 *
 * Set-up. A temporary project outside the repository (package.json with "type":
 * "module" and nothing of Bun's or Deno's, so xloop's default runtime is node) gets
 * pinned versions of real npm packages by `npm install`, and five swaps, each as two
 * modules exporting the same function over the same inputs (`<pair>/base.mjs`,
 * `<pair>/head.mjs`, `<pair>/cases.mjs#cases`, built once from a seeded generator):
 *
 *   equal   lodash.isequal 4.5.0      -> dequal 2.0.3            (deep equality)
 *   clone   lodash.clonedeep 4.5.0    -> rfdc 1.4.1              (cloning)
 *   escape  he 1.2.0 (he.escape)      -> escape-html 1.0.3       (HTML escaping of markup-heavy comments)
 *   query   querystring-es3 0.2.1     -> qs 6.13.0               (query-string parsing; the swap is slower)
 *   sort    lodash.sortby 4.7.0       -> fast-sort 3.4.1         (sorting records by two keys)
 *
 * The truth, without xloop. A plain Node script (truth.mjs, written into the project)
 * runs in --truth-procs fresh `node` processes (default 5), unpinned, as a program
 * would. Each imports both modules and the cases, makes one timing loop per side
 * (two functions compiled from the same source text, so neither shares a call site or
 * its type feedback with the other), warms both for ~1 s taking turns while setting each
 * side's calls per block to ~25 ms (from the median of its last five blocks' time per
 * call), then times 60 pairs of adjacent blocks, the order alternating (AB, BA, AB,
 * ...), with process.hrtime.bigint() around each block. Calls
 * cycle through the cases as xloop's do and every result is stored to a module-level
 * variable, so no call can be dropped. A pair of blocks gives the ratio of its per-call
 * times, B/A; a process gives the median of its 60 pair ratios; the truth is the median
 * over processes, and its spread is the lowest and highest process median. Each process
 * also reports the ratio of its total times (meanRatio, in the --json output): far from
 * its median, GC pauses or preemptions fell unevenly on the two sides.
 *
 * Then xloop. dist/xloop (or --binary, relative to the repository) is copied into a folder outside the repository
 * and run with the project as its working folder: `xloop ab <pair>/base.mjs#fn
 * <pair>/head.mjs#fn --cases <pair>/cases.mjs#cases --json` once at the default
 * runtime (which must report runtime.name "node") and once with `--runtime bun`, --trials
 * times each (default 3), the two runtimes taking turns. Recorded: ratio (head/base),
 * CI, verdict, threshold and wall seconds. The truth's processes take turns with these
 * trials (truth, xloop, truth, xloop, ...), so both meet the host in the same states:
 * measured apart, minutes and a change of load moved a pair's truth by up to 8%.
 *
 * Judged: a verdict is right when it is "faster" and the truth lies below 1 - threshold,
 * "slower" above 1 + threshold, "same" within; "inconclusive" is neither right nor wrong.
 * A ratio's error is |ratio / truth - 1|. Goal (reported, not assumed): at the default
 * runtime every verdict right and every ratio within 10% of the Node truth. The bun rows
 * are judged against the same Node truth, to show what measuring on the wrong engine
 * costs.
 *
 *   node_modules/.bin/bun bench/real-swaps.ts [--trials 3] [--pairs equal,clone] [--max-time 30]
 *       [--truth-procs 5] [--binary dist/xloop] [--xloop "--slice 10ms"] [--truth-probe] [--json out.json] [--keep]
 *
 * --max-time is passed to ab (its default, 30 s, otherwise); --xloop adds flags to every
 * ab run (to test a suspected cause of a gap). --truth-probe makes the truth loop first
 * call each side on structuredClone copies of the first 20 cases, as xloop's worker does
 * to learn whether a target mutates its arguments: such copies have other hidden classes
 * than the cases themselves, so the target's inline caches meet two shapes where the
 * program meets one (see bench/README.md). --keep leaves the temporary project in
 * place and prints where. Needs node and npm on PATH and the npm registry.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { argsFrom, flag, printTable, root, xloopBinary } from "./common.ts";
import { median } from "../src/stats/descriptive.ts";
import { seededRandom } from "../src/stats/random.ts";

const trials = Number(argsFrom("--trials") ?? 3);
const truthProcs = Number(argsFrom("--truth-procs") ?? 5);
const maxTime = argsFrom("--max-time");
const binary = resolve(root, argsFrom("--binary") ?? xloopBinary);
const jsonOut = argsFrom("--json");
const keep = flag("--keep");
const truthProbe = flag("--truth-probe");
const extraFlags = (argsFrom("--xloop") ?? "").split(/\s+/).filter(Boolean);

/** Shared by every cases module: a seeded generator of realistic records. */
const dataModule = `// Seeded, so every process (the truth's and xloop's workers) builds the same inputs.
export const random = ${seededRandom.toString()};
const first = ["Ada", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger", "Radia", "Alan", "Hedy"];
const last = ["Lovelace", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Dijkstra", "Perlman", "Turing", "Lamarr"];
const cities = ["Lisbon", "Oslo", "Kyoto", "Austin", "Nairobi", "Lyon", "Quito", "Perth"];
const tags = ["admin", "beta", "vip", "trial", "churn-risk", "newsletter", "mobile", "eu", "us", "apac"];
export const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];
export function user(rnd, id) {
  const orders = [];
  const count = 2 + Math.floor(rnd() * 5);
  for (let o = 0; o < count; o++) {
    const items = [];
    const lines = 1 + Math.floor(rnd() * 4);
    for (let i = 0; i < lines; i++) items.push({ sku: "SKU-" + Math.floor(rnd() * 1e5), qty: 1 + Math.floor(rnd() * 5), price: Math.round(rnd() * 10000) / 100 });
    orders.push({ id: id * 100 + o, placedAt: "2024-0" + (1 + Math.floor(rnd() * 9)) + "-1" + Math.floor(rnd() * 10), status: pick(rnd, ["paid", "shipped", "refunded"]), items, total: items.reduce((s, it) => s + it.qty * it.price, 0) });
  }
  const name = pick(rnd, first) + " " + pick(rnd, last);
  return {
    id,
    name,
    email: name.toLowerCase().replace(" ", ".") + id + "@example.com",
    age: 18 + Math.floor(rnd() * 60),
    active: rnd() < 0.8,
    tags: tags.filter(() => rnd() < 0.3),
    address: { street: Math.floor(rnd() * 200) + " Main St", city: pick(rnd, cities), zip: String(10000 + Math.floor(rnd() * 89999)), geo: { lat: rnd() * 180 - 90, lng: rnd() * 360 - 180 } },
    prefs: { theme: pick(rnd, ["dark", "light"]), notifications: { email: rnd() < 0.5, sms: rnd() < 0.2, push: rnd() < 0.7 } },
    orders,
  };
}
`;

interface Pair {
  /** Folder and exported function name. */
  name: string;
  fn: string;
  /** What the swap is, as a user would say it. */
  swap: string;
  base: string;
  head: string;
  cases: string;
}

const packages: Record<string, string> = {
  "lodash.isequal": "4.5.0",
  dequal: "2.0.3",
  "lodash.clonedeep": "4.5.0",
  rfdc: "1.4.1",
  he: "1.2.0",
  "escape-html": "1.0.3",
  "querystring-es3": "0.2.1",
  qs: "6.13.0",
  "lodash.sortby": "4.7.0",
  "fast-sort": "3.4.1",
};

const pairs: Pair[] = [
  {
    name: "equal",
    fn: "sameUser",
    swap: "lodash.isequal -> dequal",
    base: `import isEqual from "lodash.isequal";\nexport function sameUser(a, b) {\n  return isEqual(a, b);\n}\n`,
    head: `import { dequal } from "dequal";\nexport function sameUser(a, b) {\n  return dequal(a, b);\n}\n`,
    // A user record against its JSON round-trip: equal, or differing in the last order's
    // last line (so both libraries walk nearly everything before answering).
    cases: `import { random, user } from "../data.mjs";
const rnd = random(1);
export const cases = [];
for (let i = 0; i < 32; i++) {
  const a = user(rnd, i);
  const b = JSON.parse(JSON.stringify(a));
  if (i % 3 === 2) { const o = b.orders[b.orders.length - 1]; o.items[o.items.length - 1].qty += 1; }
  cases.push([a, b]);
}
`,
  },
  {
    name: "clone",
    fn: "snapshot",
    swap: "lodash.clonedeep -> rfdc",
    base: `import cloneDeep from "lodash.clonedeep";\nexport function snapshot(state) {\n  return cloneDeep(state);\n}\n`,
    head: `import rfdc from "rfdc";\nconst clone = rfdc();\nexport function snapshot(state) {\n  return clone(state);\n}\n`,
    // An app state of a few users, as a store would snapshot it.
    cases: `import { random, user } from "../data.mjs";
const rnd = random(2);
export const cases = [];
for (let i = 0; i < 16; i++) {
  const users = [];
  for (let u = 0; u < 3; u++) users.push(user(rnd, i * 10 + u));
  cases.push([{ session: { id: "s" + i, expires: 1700000000 + i, scopes: ["read", "write"] }, users, page: { offset: i * 3, limit: 3, total: 480 } }]);
}
`,
  },
  {
    name: "escape",
    fn: "escapeComment",
    swap: "he.escape -> escape-html",
    base: `import he from "he";\nexport function escapeComment(text) {\n  return he.escape(text);\n}\n`,
    head: `import escapeHtml from "escape-html";\nexport function escapeComment(text) {\n  return escapeHtml(text);\n}\n`,
    // Comments of 80-400 characters that quote markup and code: about one token in three
    // needs escaping.
    cases: `import { random, pick } from "../data.mjs";
const rnd = random(3);
const words = ["the", "build", "is", "green", "again", "after", "we", "pinned", "node", "see", "PR", "#412", "fixed", "thanks!", "use", "in", "your", "template"];
const specials = ["<b>", "</b>", "&amp;", "a && b", "\\"quoted\\"", "<script>alert('x')</script>", "x < y", "y > x", "don't", "R&D", "<br/>", "<a href=\\"/x?a=1&b=2\\">", "</a>", "'single'"];
export const cases = [];
for (let i = 0; i < 64; i++) {
  const parts = [];
  const length = 80 + Math.floor(rnd() * 320);
  while (parts.join(" ").length < length) parts.push(rnd() < 0.35 ? pick(rnd, specials) : pick(rnd, words));
  cases.push([parts.join(" ")]);
}
`,
  },
  {
    name: "query",
    fn: "parseQuery",
    swap: "querystring-es3 -> qs",
    base: `import querystring from "querystring-es3";\nexport function parseQuery(search) {\n  return querystring.parse(search);\n}\n`,
    head: `import qs from "qs";\nexport function parseQuery(search) {\n  return qs.parse(search);\n}\n`,
    // Flat search queries as a shop's listing pages get them: tracking, paging, filters,
    // encoded text, a repeated key.
    cases: `import { random, pick } from "../data.mjs";
const rnd = random(4);
const terms = ["red shoes", "café au lait", "usb-c hub", "50% off", "kids & baby", "size=10"];
export const cases = [];
for (let i = 0; i < 48; i++) {
  const p = [];
  p.push("q=" + encodeURIComponent(pick(rnd, terms)).replace(/%20/g, "+"));
  p.push("page=" + (1 + Math.floor(rnd() * 20)), "per_page=" + pick(rnd, [24, 48, 96]));
  p.push("sort=" + pick(rnd, ["-price", "price", "relevance", "-created_at"]));
  if (rnd() < 0.7) p.push("utm_source=" + pick(rnd, ["google", "newsletter", "twitter"]), "utm_medium=cpc", "utm_campaign=spring_sale_" + i);
  const colors = ["red", "blue", "black", "white"].filter(() => rnd() < 0.4);
  for (const c of colors) p.push("color=" + c);
  if (rnd() < 0.5) p.push("price_min=" + Math.floor(rnd() * 50), "price_max=" + (50 + Math.floor(rnd() * 200)));
  if (rnd() < 0.3) p.push("ref=" + encodeURIComponent("https://example.com/a?b=" + i));
  cases.push([p.join("&")]);
}
`,
  },
  {
    name: "sort",
    fn: "byAgeThenName",
    swap: "lodash.sortby -> fast-sort",
    base: `import sortBy from "lodash.sortby";\nexport function byAgeThenName(users) {\n  return sortBy(users, [(u) => u.age, (u) => u.name]);\n}\n`,
    // fast-sort sorts in place; the copy keeps the input intact, as sortBy does.
    head: `import { sort } from "fast-sort";\nexport function byAgeThenName(users) {\n  return sort(users.slice()).asc([(u) => u.age, (u) => u.name]);\n}\n`,
    // Lists of 20-200 user rows (the records without their orders).
    cases: `import { random, user } from "../data.mjs";
const rnd = random(5);
export const cases = [];
for (let i = 0; i < 8; i++) {
  const rows = [];
  const n = 20 + Math.floor(rnd() * 180);
  for (let r = 0; r < n; r++) { const { orders, ...row } = user(rnd, i * 1000 + r); rows.push(row); }
  cases.push([rows]);
}
`,
  },
];

/**
 * The truth loop, a plain Node program: node truth.mjs <pair folder> <export> <blocks>
 * <block ms> <warm ms>. Prints one JSON line: the median of the pair ratios B/A and
 * each side's median ns per call.
 */
const truthModule = `import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
const [dir, name, blocksArg, blockMsArg, warmMsArg, probe] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(resolve(dir, file)).href);
const A = (await load("base.mjs"))[name];
const B = (await load("head.mjs"))[name];
const { cases } = await load("cases.mjs");
// "probe": first call each side once on a structuredClone of each of the first 20 cases,
// as xloop's worker does to learn whether a target mutates its arguments (--truth-probe).
if (probe === "probe") for (const args of cases.slice(0, 20)) { A(...structuredClone(args)); B(...structuredClone(args)); }
const blocks = Number(blocksArg);
const blockNs = Number(blockMsArg) * 1e6;
const warmNs = Number(warmMsArg) * 1e6;
const now = process.hrtime.bigint;
globalThis.__keep = undefined;
// One timing loop per side, compiled from the same text: no shared call site or feedback.
const loopSource = \`
  let k = state.next;
  const len = cases.length;
  const t0 = now();
  for (let i = 0; i < n; i++) {
    const c = cases[k];
    globalThis.__keep = fn(c[0], c[1]);
    if (++k === len) k = 0;
  }
  const t1 = now();
  state.next = k;
  return Number(t1 - t0);\`;
const loopA = new Function("fn", "cases", "n", "now", "state", loopSource);
const loopB = new Function("fn", "cases", "n", "now", "state", loopSource);
const sideA = { fn: A, loop: loopA, state: { next: 0 }, n: 1 };
const sideB = { fn: B, loop: loopB, state: { next: 0 }, n: 1 };
const time = (side) => side.loop(side.fn, cases, side.n, now, side.state);
const med = (xs) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
// Calls per block: doubled until a block takes 1 ms, then, while warming, set from the
// median time per call of the side's last five blocks (one block caught by a GC or a
// preemption does not set it).
for (const side of [sideA, sideB]) while (time(side) < 1e6) side.n *= 2;
const warmEnd = Date.now() + warmNs / 1e6;
while (Date.now() < warmEnd) {
  for (const side of [sideA, sideB]) {
    side.recent = [...(side.recent ?? []), time(side) / side.n].slice(-5);
    side.n = Math.max(1, Math.round(blockNs / med(side.recent)));
  }
}
const ratios = [];
let totalA = 0;
let totalB = 0;
const perA = [];
const perB = [];
for (let b = 0; b < blocks; b++) {
  let a, bb;
  if (b % 2 === 0) { a = time(sideA); bb = time(sideB); } else { bb = time(sideB); a = time(sideA); }
  perA.push(a / sideA.n);
  perB.push(bb / sideB.n);
  totalA += a;
  totalB += bb;
  ratios.push(bb / sideB.n / (a / sideA.n));
}
if (globalThis.__keep === Symbol.for("never")) console.error("unreachable");
// meanRatio, the ratio of total times, is a check: far from the median, GC pauses or
// preemptions fell unevenly on the two sides.
console.log(JSON.stringify({ ratio: med(ratios), meanRatio: totalB / (blocks * sideB.n) / (totalA / (blocks * sideA.n)), baseNs: med(perA), headNs: med(perB), callsA: sideA.n, callsB: sideB.n, blocks }));
`;

const chosenNames = argsFrom("--pairs")?.split(",") ?? pairs.map((p) => p.name);
const unknown = chosenNames.filter((n) => !pairs.some((p) => p.name === n));
if (unknown.length) {
  console.error(`--pairs: unknown ${unknown.join(", ")}; choose from ${pairs.map((p) => p.name).join(", ")}`);
  process.exit(2);
}
const chosen = pairs.filter((p) => chosenNames.includes(p.name));
if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`npm run build\` first (or give --binary)`);

/** Runs a command and returns stdout, throwing with its stderr on failure. */
function sh(command: string, args: string[], cwd: string): string {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${r.status}: ${(r.stderr || String(r.error)).slice(-800)}`);
  return r.stdout;
}

const scratch = mkdtempSync(join(tmpdir(), "xloop-real-swaps-"));
const project = join(scratch, "project");
const binFolder = join(scratch, "bin");
mkdirSync(project);
mkdirSync(binFolder);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (!keep) rmSync(scratch, { recursive: true, force: true });
    process.exit(130);
  });
}

interface XloopRun {
  runtime: string;
  runtimeVersion: string;
  ratio: number;
  ci: [number, number];
  verdict: string;
  threshold: number;
  rounds: number;
  wallSeconds: number;
  error?: string;
}
interface PairResult {
  pair: string;
  swap: string;
  truth: { ratio: number; low: number; high: number; processes: { ratio: number; meanRatio: number; baseNs: number; headNs: number; callsA: number; callsB: number }[] };
  runs: { default: XloopRun[]; bun: XloopRun[] };
}

const began = Date.now();
const results: PairResult[] = [];
try {
  // The project: plain Node, ESM, pinned packages from the registry.
  writeFileSync(join(project, "package.json"), `${JSON.stringify({ name: "real-swaps", private: true, type: "module", dependencies: packages }, null, 2)}\n`);
  writeFileSync(join(project, "data.mjs"), dataModule);
  writeFileSync(join(project, "truth.mjs"), truthModule);
  for (const p of pairs) {
    mkdirSync(join(project, p.name));
    writeFileSync(join(project, p.name, "base.mjs"), p.base);
    writeFileSync(join(project, p.name, "head.mjs"), p.head);
    writeFileSync(join(project, p.name, "cases.mjs"), p.cases);
  }
  process.stderr.write(`npm install in ${project} ...\n`);
  sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel", "error"], project);
  // The binary as a user would have it: copied somewhere of its own, nothing beside it.
  const xloop = join(binFolder, "xloop");
  copyFileSync(binary, xloop);
  chmodSync(xloop, 0o755);
  const nodeVersion = sh("node", ["--version"], project).trim();

  for (const p of chosen) {
    // The truth's processes and xloop's trials take turns, so both meet the same host
    // states (the host's load moves a ratio by several per cent over minutes).
    const processes = [];
    const runs: PairResult["runs"] = { default: [], bun: [] };
    for (let i = 0; i < Math.max(truthProcs, trials); i++) {
      if (i < truthProcs) {
        process.stderr.write(`\r${p.name}: truth process ${i + 1}/${truthProcs}        `);
        processes.push(JSON.parse(sh("node", ["truth.mjs", p.name, p.fn, "60", "25", "1000", ...(truthProbe ? ["probe"] : [])], project).trim().split("\n").pop()!));
      }
      if (i >= trials) continue;
      for (const mode of i % 2 === 0 ? (["default", "bun"] as const) : (["bun", "default"] as const)) {
        process.stderr.write(`\r${p.name}: xloop ${mode} trial ${i + 1}/${trials}        `);
        const args = ["ab", `${p.name}/base.mjs#${p.fn}`, `${p.name}/head.mjs#${p.fn}`, "--cases", `${p.name}/cases.mjs#cases`, "--json"];
        if (mode === "bun") args.push("--runtime", "bun");
        if (maxTime) args.push("--max-time", maxTime);
        args.push(...extraFlags);
        const started = performance.now();
        const r = spawnSync(xloop, args, { cwd: project, encoding: "utf8", maxBuffer: 64 << 20 });
        const wallSeconds = (performance.now() - started) / 1000;
        let doc: any;
        try {
          doc = JSON.parse(r.stdout);
        } catch {
          throw new Error(`xloop ${args.join(" ")} (${mode}) exited ${r.status} without JSON: ${r.stderr.slice(-800)}`);
        }
        runs[mode].push({
          runtime: doc.runtime?.name,
          runtimeVersion: doc.runtime?.version,
          ratio: doc.ratio,
          ci: doc.ci,
          verdict: doc.verdict,
          threshold: doc.threshold,
          rounds: doc.rounds,
          wallSeconds,
          ...(doc.error ? { error: doc.error.message } : {}),
        });
      }
    }
    const ratios = processes.map((x) => x.ratio);
    const truth = { ratio: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios), processes };
    process.stderr.write("\n");
    results.push({ pair: p.name, swap: p.swap, truth, runs });
  }

  const wallMinutes = (Date.now() - began) / 60000;
  /** The right verdict for a truth at a threshold. */
  const expected = (truth: number, t: number) => (truth < 1 - t ? "faster" : truth > 1 + t ? "slower" : "same");
  const error = (run: XloopRun, truth: number) => run.ratio / truth - 1;
  const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
  const rows: string[][] = [];
  const tally = { default: { right: 0, wrong: 0, inconclusive: 0, n: 0, maxError: 0, notNode: 0, covered: 0 }, bun: { right: 0, wrong: 0, inconclusive: 0, n: 0, maxError: 0, notNode: 0, covered: 0 } };
  /** Whether a run's CI holds the Node truth. */
  const covers = (run: XloopRun, truth: number) => Array.isArray(run.ci) && run.ci[0] <= truth && truth <= run.ci[1];
  for (const r of results) {
    for (const mode of ["default", "bun"] as const) {
      const runs = r.runs[mode];
      const marks = runs.map((run) => {
        const t = tally[mode];
        t.n++;
        if (mode === "default" && run.runtime !== "node") t.notNode++;
        if (run.error || !Number.isFinite(run.ratio)) {
          t.wrong++;
          return `${run.verdict ?? "error"} ✗`;
        }
        t.maxError = Math.max(t.maxError, Math.abs(error(run, r.truth.ratio)));
        if (covers(run, r.truth.ratio)) t.covered++;
        const want = expected(r.truth.ratio, run.threshold);
        if (run.verdict === "inconclusive") {
          t.inconclusive++;
          return "inconclusive ~";
        }
        if (run.verdict === want) {
          t.right++;
          return `${run.verdict} ✓`;
        }
        t.wrong++;
        return `${run.verdict} ✗`;
      });
      rows.push([
        mode === "default" ? `${r.pair} (${r.swap})` : "",
        mode === "default" ? `${r.truth.ratio.toFixed(3)} [${r.truth.low.toFixed(3)}, ${r.truth.high.toFixed(3)}]` : "",
        mode === "default" ? `${runs[0]?.runtime ?? "?"}` : "bun",
        runs.map((run) => (Number.isFinite(run.ratio) ? run.ratio.toFixed(3) : "-")).join(" "),
        runs.map((run) => (Number.isFinite(run.ratio) ? pct(error(run, r.truth.ratio)) : "-")).join(" "),
        `${runs.filter((run) => covers(run, r.truth.ratio)).length}/${runs.length}`,
        marks.join(", "),
        runs.map((run) => run.wallSeconds.toFixed(1)).join(" "),
      ]);
    }
  }
  console.log(`bench/real-swaps: ${chosen.length} real library swaps in a plain Node project (${nodeVersion}); truth: median of ${truthProcs} fresh node processes, 60 AB/BA block pairs of ~25 ms each${truthProbe ? ", after xloop's structuredClone probe" : ""}; xloop ab from a copy of ${binary} outside the repository, ${trials} trial(s) per runtime${maxTime ? `, --max-time ${maxTime}` : ""}${extraFlags.length ? `, ab ${extraFlags.join(" ")}` : ""}`);
  printTable(["pair (base -> head)", "truth, Node [process min, max]", "runtime", "xloop ratio(s)", "vs truth", "CI holds truth", "verdict(s)", "s/verdict"], rows);
  console.log("ratio: head/base time per call (< 1: head faster). right: faster below 1 - threshold, slower above 1 + threshold, same within (threshold 1% unless the JSON says otherwise); inconclusive (~) is neither right nor wrong.");
  for (const mode of ["default", "bun"] as const) {
    const t = tally[mode];
    console.log(
      `${mode === "default" ? "default runtime" : "--runtime bun"}: verdicts right ${t.right}/${t.n}, wrong ${t.wrong}, inconclusive ${t.inconclusive}, max |ratio/truth - 1| ${(t.maxError * 100).toFixed(1)}%, CI holds the truth ${t.covered}/${t.n}` +
        (mode === "default" ? `${t.notNode ? `; ${t.notNode} run(s) NOT on node` : "; every run on node"}; goal (all right, all within 10%): ${t.right === t.n && t.maxError <= 0.1 ? "met" : "NOT met"}` : " (against the Node truth)"),
    );
  }
  console.log(`wall time ${wallMinutes.toFixed(1)} min`);
  if (jsonOut) {
    writeFileSync(jsonOut, `${JSON.stringify({ date: new Date().toISOString(), node: nodeVersion, binary, trials, truthProcs, truthProbe, maxTime: maxTime ?? null, xloopFlags: extraFlags, packages, wallMinutes, results }, null, 2)}\n`);
    console.log(`raw figures: ${jsonOut}`);
  }
} finally {
  if (keep) console.error(`project kept: ${project}`);
  else rmSync(scratch, { recursive: true, force: true });
}
