/**
 * The config audit after a KEEP (docs/loop.md, step 11, after the end-to-end check): configuration the
 * change may have left dead. Keys the changed files read before the change and no
 * longer read — environment variables, command-line flags, option and config keys —
 * that no source file of the kept commit reads any more, located in the project's own
 * configuration files (package.json, .env*, JSON/YAML/TOML/INI and rc files). It
 * reports them; it never edits them.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { git, gitOrNull, splitNul } from "../git/run.ts";

/** One stale setting: the key and the configuration file that still sets it. */
export interface StaleConfig {
  key: string;
  kind: "env" | "flag" | "option";
  file: string;
}

type Key = { key: string; kind: StaleConfig["kind"] };

const sourceFile = /\.[cm]?[jt]sx?$/;
const configFile = /(^|\/)(package\.json|\.env(\.[\w.-]+)?|[^/]*\.(json|jsonc|json5|ya?ml|toml|ini|conf)|\.[\w-]+rc)$/;
const notConfig = /(^|\/)(node_modules|\.codeflash|\.git)\/|(^|\/)(package-lock\.json|tsconfig[^/]*\.json|jsconfig\.json|[^/]*\.lock)$/;
/** Object names whose property reads are option or config reads. */
const OPTION_OBJECTS = "options|opts|option|config|conf|cfg|settings|flags|argv|args|params";

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The configuration keys a source text reads: `process.env.X`, `"--flag"`, `options.key` and the like. */
export function keysRead(source: string): Key[] {
  const keys = new Map<string, Key>();
  const add = (key: string, kind: Key["kind"]) => keys.set(`${kind}:${key}`, { key, kind });
  for (const m of source.matchAll(/\b(?:process\.env|Bun\.env|import\.meta\.env)(?:\.([A-Za-z_]\w*)|\[\s*["'`]([^"'`]+)["'`]\s*\])/g)) add(m[1] ?? m[2]!, "env");
  for (const m of source.matchAll(/\bDeno\.env\.get\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) add(m[1]!, "env");
  for (const m of source.matchAll(/["'`](--[a-z][\w-]*)(?:=[^"'`]*)?["'`]/g)) add(m[1]!, "flag");
  const objects = new RegExp(`\\b(?:${OPTION_OBJECTS})(?:\\?)?\\.([A-Za-z_$][\\w$]*)(?![\\w$]|\\s*\\()|\\b(?:${OPTION_OBJECTS})\\[\\s*["'\`]([^"'\`]+)["'\`]\\s*\\]`, "g");
  for (const m of source.matchAll(objects)) {
    const key = m[1] ?? m[2]!;
    if (!/^(env|length|get|has|set|toString|constructor|prototype)$/.test(key)) add(key, "option");
  }
  return [...keys.values()];
}

/** A pattern matching a source text that still reads the key. */
function readerPattern({ key, kind }: Key): RegExp {
  const k = escape(key);
  if (kind === "env") return new RegExp(`\\b${k}\\b`);
  if (kind === "flag") return new RegExp(`["'\`]${k}(=|["'\`])`);
  return new RegExp(`\\.${k}\\b|\\[\\s*["'\`]${k}["'\`]\\s*\\]|["'\`]${k}["'\`]`);
}

/** A pattern matching a configuration file that sets the key. */
function settingPattern({ key, kind }: Key): RegExp {
  const k = escape(key);
  if (kind === "env") return new RegExp(`(^|[^\\w])${k}\\s*[=:]|["'\`]${k}["'\`]|\\$\\{?${k}\\b`, "m");
  if (kind === "flag") return new RegExp(`${k}\\b`);
  const bare = k.replace(/^--/, "");
  return new RegExp(`["']${bare}["']\\s*:|^\\s*${bare}\\s*[=:]|--${bare.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}\\b`, "m");
}

async function textAt(repo: string, commit: string, file: string): Promise<string> {
  return (await gitOrNull(repo, ["show", `${commit}:${file}`])) ?? "";
}

/**
 * The stale configuration after `after` (the kept commit) replaced `before`: keys the
 * changed source `files` read at `before` and not at `after`, that no source file of
 * `after` reads, each with every configuration file of `after` that still sets it.
 */
export async function auditConfig(repo: string, before: string, after: string, files: readonly string[]): Promise<StaleConfig[]> {
  const sources = files.filter((f) => sourceFile.test(f));
  if (sources.length === 0) return [];
  const lost = new Map<string, Key>();
  for (const file of sources) {
    const now = new Set(keysRead(await textAt(repo, after, file)).map((k) => `${k.kind}:${k.key}`));
    for (const key of keysRead(await textAt(repo, before, file))) if (!now.has(`${key.kind}:${key.key}`)) lost.set(`${key.kind}:${key.key}`, key);
  }
  if (lost.size === 0) return [];
  const tree = splitNul(await git(repo, ["ls-tree", "-r", "-z", "--name-only", after])).filter((f) => !notConfig.test(f));
  const texts = new Map<string, string>();
  // .env files are usually ignored by git, yet they are the project's configuration too.
  for (const name of readdirSync(repo)) {
    if (/^\.env/.test(name) && !tree.includes(name) && statSync(join(repo, name)).isFile()) {
      tree.push(name);
      texts.set(name, readFileSync(join(repo, name), "utf8"));
    }
  }
  const read = async (file: string) => texts.get(file) ?? (texts.set(file, await textAt(repo, after, file)), texts.get(file)!);
  const stale: StaleConfig[] = [];
  for (const key of lost.values()) {
    const reader = readerPattern(key);
    let stillRead = false;
    for (const file of tree.filter((f) => sourceFile.test(f))) {
      if (reader.test(await read(file))) {
        stillRead = true;
        break;
      }
    }
    if (stillRead) continue;
    const setting = settingPattern(key);
    for (const file of tree.filter((f) => configFile.test(f))) {
      if (setting.test(await read(file)) && !stale.some((s) => s.key === key.key && s.file === file)) stale.push({ key: key.key, kind: key.kind, file });
    }
  }
  return stale;
}

/** The audit's status lines, as the loop prints them (without the experiment tag). */
export function configAuditLines(stale: readonly StaleConfig[]): string[] {
  if (stale.length === 0) return ["Config audit: nothing stale found"];
  return stale.map((s) => `Config audit: ${s.key} in ${s.file} is no longer read`);
}
