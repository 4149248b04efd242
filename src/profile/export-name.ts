/**
 * Whether a profiled function can be benchmarked on its own: the name under which its
 * module exports it, read from the source text (importing the module to look would run
 * its side effects). Covers ES exports and the usual CommonJS spellings; pure.
 */

function escape(name: string): string {
  return name.replace(/[$]/g, "\\$");
}

/** The exported name of function `name` in `source`, or undefined when no export of it is visible. */
export function exportedNameOf(source: string, name: string): string | undefined {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const n = escape(name);
  if (new RegExp(`export\\s+(?:default\\s+)?(?:async\\s+)?function\\s*\\*?\\s*${n}\\s*\\(`).test(source)) {
    return new RegExp(`export\\s+default\\s+(?:async\\s+)?function\\s*\\*?\\s*${n}\\b`).test(source) ? "default" : name;
  }
  if (new RegExp(`export\\s+(?:const|let|var)\\s+${n}\\s*=`).test(source)) return name;
  for (const list of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const item of list[1].split(",")) {
      const [local, exported] = item.trim().split(/\s+as\s+/);
      if (local === name) return exported?.trim() ?? name;
    }
  }
  if (new RegExp(`export\\s+default\\s+${n}\\s*;?\\s*$`, "m").test(source)) return "default";
  if (new RegExp(`(?:module\\.)?exports\\.${n}\\s*=`).test(source)) return name;
  const assigned = /module\.exports\s*=\s*\{([^}]*)\}/.exec(source);
  if (assigned) {
    for (const item of assigned[1].split(",")) {
      const [key, value] = item.split(":").map((s) => s.trim());
      if ((value ?? key) === name && /^[A-Za-z_$][\w$]*$/.test(key)) return key;
    }
  }
  if (new RegExp(`module\\.exports\\s*=\\s*${n}\\s*;?\\s*$`, "m").test(source)) return "default";
  return undefined;
}
