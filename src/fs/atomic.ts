/** Replacing a file's whole content so a reader sees either the old text or the new, never half. */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Writes `data` to a temporary file beside `file`, flushes it, then renames it over
 * `file`: rename within one directory is atomic, so a crash leaves the old file intact.
 * The folder is created when missing.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = fs.openSync(temp, "wx");
    try {
      // Keep the file's permissions: the rename would otherwise reset them to the default.
      if (fs.existsSync(file)) fs.fchmodSync(fd, fs.statSync(file).mode & 0o7777);
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
