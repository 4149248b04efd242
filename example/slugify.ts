/** The bundled example: two ways to turn a title into a URL slug. */

/** The original: chained regular expressions. */
export function slugify(title: string): string {
  return title
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9\s-]/g, "")
    .replace(/[\s_]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/** The candidate: one pass over the characters. */
export function slugifyFast(title: string): string {
  let out = "";
  let pendingDash = false;
  for (let i = 0; i < title.length; i++) {
    let c = title.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (alnum) {
      if (pendingDash && out.length > 0) out += "-";
      pendingDash = false;
      out += String.fromCharCode(c);
    } else if (c === 32 || c === 45 || c === 95 || c === 9 || c === 10) {
      pendingDash = true;
    }
  }
  return out;
}
