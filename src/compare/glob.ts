/**
 * Glob patterns for suite discovery, matched against the repo-relative paths git
 * lists. Small on purpose: Node 20 has no fs.glob, and the patterns are matched
 * against a commit's file list, not the disk.
 */

function escape(text: string): string {
  return text.replace(/[.+^$()|\\]/g, "\\$&");
}

function translate(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        // "**/" is any number of folders (none included); a trailing "**" is anything.
        const slash = glob[i + 2] === "/";
        out += slash ? "(?:[^/]*/)*" : ".*";
        i += slash ? 2 : 1;
      } else {
        out += "[^/]*";
      }
    } else if (c === "?") {
      out += "[^/]";
    } else if (c === "{") {
      const close = glob.indexOf("}", i);
      if (close < 0) {
        out += "\\{";
        continue;
      }
      out += `(?:${glob.slice(i + 1, close).split(",").map(translate).join("|")})`;
      i = close;
    } else if (c === "[") {
      const close = glob.indexOf("]", i + 1);
      if (close < 0) {
        out += "\\[";
        continue;
      }
      const body = glob.slice(i + 1, close);
      out += `[${body.startsWith("!") ? `^${body.slice(1)}` : body}]`;
      i = close;
    } else {
      out += escape(c);
    }
  }
  return out;
}

/**
 * A regular expression matching the repo-relative paths (with "/") that `glob`
 * names: `*` and `?` within one folder, `**` across folders, `{a,b}` alternatives,
 * `[abc]`/`[!abc]` classes. A leading "./" is ignored.
 */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${translate(glob.replace(/^\.\//, ""))}$`);
}
