/** Attempt 2: one pass over the characters; "_" dropped like the original does. */
export function slugify(title: string): string {
  let out = "";
  let pendingDash = false;
  for (let i = 0; i < title.length; i++) {
    let c = title.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (pendingDash && out.length > 0) out += "-";
      pendingDash = false;
      out += String.fromCharCode(c);
    } else if (c === 32 || c === 45 || (c >= 9 && c <= 13)) {
      pendingDash = true;
    }
  }
  return out;
}
