/**
 * The export options shared by bench, ab and compare (`--export-json`, `--export-csv`,
 * `--export-markdown`, `--export-bmf`, `--export-gab`, `--html`): their paths checked
 * before any measuring starts, and the files written atomically once results exist.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import { renderBmf } from "./bmf.ts";
import { renderCsv } from "./csv.ts";
import type { ExportEntry } from "./entries.ts";
import { renderGab } from "./gab.ts";
import { renderHtml, type HtmlReport } from "./html.ts";

/** Each export format, its option (as cac names it) and flag. */
const formats = [
  ["json", "exportJson", "--export-json"],
  ["csv", "exportCsv", "--export-csv"],
  ["markdown", "exportMarkdown", "--export-markdown"],
  ["bmf", "exportBmf", "--export-bmf"],
  ["gab", "exportGab", "--export-gab"],
  ["html", "html", "--html"],
] as const;

/** An export format. */
export type ExportFormat = (typeof formats)[number][0];

/** The files asked for: absolute paths by format. */
export type ExportPaths = Partial<Record<ExportFormat, string>>;

/**
 * Reads and checks the export options: each path's folder must exist and the path
 * must not be a folder, so a typo ends the run at once (exit 2), naming the option,
 * rather than after minutes of measuring.
 */
export function exportPaths(options: Record<string, unknown>, cwd: string): ExportPaths {
  const paths: ExportPaths = {};
  for (const [format, key, flag] of formats) {
    const raw = options[key];
    if (raw === undefined || raw === false) continue;
    if (raw === true || raw === "" || Array.isArray(raw)) throw new UserError(`${flag}: give one file name, e.g. ${flag} results.${format === "markdown" ? "md" : format === "bmf" || format === "gab" ? "json" : format}`);
    const file = path.resolve(cwd, String(raw));
    const folder = path.dirname(file);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UserError(`${flag} ${raw}: the folder ${path.relative(cwd, folder) || folder} does not exist`);
    if (existsSync(file) && statSync(file).isDirectory()) throw new UserError(`${flag} ${raw}: is a folder; give a file name`);
    paths[format] = file;
  }
  return paths;
}

/** What the exports are made of; each part is computed only when its format is asked for. */
export interface ExportBundle {
  /** The command's `--json` document. */
  json: () => unknown;
  /** The command's markdown report (as `--md` prints it). */
  markdown: () => string;
  entries: ExportEntry[];
  html: () => HtmlReport;
}

/** Renders one format's text. */
export function renderExport(format: ExportFormat, bundle: ExportBundle): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(bundle.json(), null, 2)}\n`;
    case "csv":
      return renderCsv(bundle.entries);
    case "markdown":
      return `${bundle.markdown()}\n`;
    case "bmf":
      return renderBmf(bundle.entries);
    case "gab":
      return renderGab(bundle.entries);
    case "html":
      return renderHtml(bundle.html());
  }
}

/** Writes every asked-for export (atomically), telling `status` each file written. */
export function writeExports(paths: ExportPaths, bundle: ExportBundle, cwd: string, status: (line: string) => void): void {
  for (const [format, file] of Object.entries(paths) as [ExportFormat, string][]) {
    writeFileAtomic(file, renderExport(format, bundle));
    status(`xloop: wrote ${path.relative(cwd, file) || file}`);
  }
}

/** True when any export was asked for. */
export function anyExport(paths: ExportPaths): boolean {
  return Object.keys(paths).length > 0;
}
