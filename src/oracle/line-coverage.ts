/**
 * Which of a change's lines the cases execute, taken inside the capture worker. On
 * Node, V8's precise block coverage through the worker's own inspector session (the
 * source and its inline source map come from the debugger, so TypeScript lines map
 * back to the file as written). Bun (JavaScriptCore) and Deno offer a worker no such
 * API: there the report says so and the check is skipped.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runtimeName } from "../runtime/runtime.ts";
import type { CoverageReport, CoverageRequest } from "./capture-protocol.ts";
import { linesOfCoverage, sameLines, type CoverageRange, type LineMapper } from "./coverage-lines.ts";

type Post = (method: string, params?: object) => Promise<any>;

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function pathOfUrl(url: string): string | undefined {
  if (url.startsWith("file:")) return fileURLToPath(url.replace(/[?#].*$/, ""));
  return url.startsWith("/") ? url : undefined;
}

/** The mapper of a transpiled script's inline source map, or the identity when it has none. */
async function mapperOf(source: string): Promise<LineMapper> {
  const match = /\/\/# sourceMappingURL=data:application\/json(?:;charset=[\w-]+)?;base64,([A-Za-z0-9+/=]+)\s*$/.exec(source);
  if (!match) return sameLines;
  const { SourceMap } = await import("node:module");
  const map = new SourceMap(JSON.parse(Buffer.from(match[1]!, "base64").toString("utf8")));
  return (line, column) => {
    const entry = map.findEntry(line, column) as { originalLine?: number };
    return entry.originalLine === undefined ? undefined : entry.originalLine + 1;
  };
}

/** A running coverage of the requested files' lines, one snapshot per phase (load, then each case). */
export interface LineCoverage {
  /** The requested lines each file executed since the last snapshot. */
  snapshot(): Promise<Map<string, Set<number>>>;
  /** Which requested lines hold code (TypeScript's type-only lines do not). */
  checked(): Map<string, Set<number>>;
  stop(): Promise<void>;
}

/** Starts coverage before the target loads; a string says why this runtime cannot. */
export async function startLineCoverage(request: CoverageRequest): Promise<LineCoverage | string> {
  const runtime = runtimeName();
  if (runtime !== "node") return `line coverage is not available on ${runtime} (its workers have no coverage API, unlike V8 on Node)`;
  const inspector = await import("node:inspector");
  const session = new inspector.Session();
  session.connect();
  const post: Post = (method, params) => new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  await post("Debugger.enable");
  // A `debugger;` statement must not pause a worker nobody can resume.
  await post("Debugger.setSkipAllPauses", { skip: true });
  await post("Profiler.enable");
  await post("Profiler.startPreciseCoverage", { callCount: true, detailed: true });

  const wanted = new Map(request.files.map((f) => [realOrSelf(f.file), { file: f.file, lines: new Set(f.lines) }]));
  const scripts = new Map<string, { source: string; mapLine: LineMapper; mapped: Set<number> }>();
  const checked = new Map<string, Set<number>>();

  const scriptOf = async (scriptId: string) => {
    let script = scripts.get(scriptId);
    if (!script) {
      const { scriptSource } = await post("Debugger.getScriptSource", { scriptId });
      const mapLine = await mapperOf(scriptSource);
      script = { source: scriptSource, mapLine, mapped: linesOfCoverage(scriptSource, [], mapLine).mapped };
      scripts.set(scriptId, script);
    }
    return script;
  };

  return {
    async snapshot() {
      const { result } = (await post("Profiler.takePreciseCoverage")) as { result: { scriptId: string; url: string; functions: { ranges: CoverageRange[] }[] }[] };
      const found = new Map<string, Set<number>>();
      for (const entry of result) {
        const path = pathOfUrl(entry.url);
        const target = path && wanted.get(realOrSelf(path));
        if (!target) continue;
        const script = await scriptOf(entry.scriptId);
        const { executed } = linesOfCoverage(script.source, entry.functions.flatMap((f) => f.ranges), script.mapLine);
        const lines = found.get(target.file) ?? new Set<number>();
        for (const line of target.lines) if (executed.has(line)) lines.add(line);
        found.set(target.file, lines);
        const holding = checked.get(target.file) ?? new Set<number>();
        for (const line of target.lines) if (script.mapped.has(line)) holding.add(line);
        checked.set(target.file, holding);
      }
      return found;
    },
    checked: () => checked,
    async stop() {
      await post("Profiler.stopPreciseCoverage").catch(() => {});
      session.disconnect();
    },
  };
}

/** The report of a finished coverage: per file its checked lines, those run at load, and those each case ran. */
export function coverageReport(request: CoverageRequest, coverage: LineCoverage, load: Map<string, Set<number>>, cases: Map<string, Set<number>>[]): CoverageReport {
  const checked = coverage.checked();
  return {
    available: true,
    files: request.files.map(({ file, lines }) => ({
      file,
      // A file no snapshot saw never loaded: every requested line stands unexecuted.
      checked: [...(checked.get(file) ?? new Set(lines))].sort((a, b) => a - b),
      load: [...(load.get(file) ?? [])].sort((a, b) => a - b),
      cases: cases.map((snapshot) => [...(snapshot.get(file) ?? [])].sort((a, b) => a - b)),
    })),
  };
}
