/**
 * The command line before cac reads it. cac takes a value that starts with a dash for
 * an option of its own, so `--time -1` stopped at "Unknown option `-1`" instead of
 * reaching the option's own check ("must be greater than 0"). Pure.
 */

/** `--name -3` becomes `--name=-3` (a negative number as an option's value); nothing after `--` is touched. */
export function negativeValuesJoined(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === "--") return [...out, ...argv.slice(i)];
    const next = argv[i + 1];
    if (/^--[a-z][\w-]*$/i.test(token) && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else {
      out.push(token);
    }
  }
  return out;
}

/**
 * The first argument (before `--`) that looks like a target whose path starts with a
 * dash (`-x.ts#f`): cac would read it as short options (`-h` among them printed the help
 * and exited 0). Undefined when there is none. Pure.
 */
export function dashedTarget(argv: readonly string[]): string | undefined {
  for (const token of argv) {
    if (token === "--") return undefined;
    const hash = token.indexOf("#");
    const equals = token.indexOf("=");
    if (token.startsWith("-") && hash > 1 && (equals < 0 || equals > hash)) return token;
  }
  return undefined;
}
