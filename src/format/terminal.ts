/** Where human output goes and how it may look. */
export interface Terminal {
  /** True when colour codes may be used on stdout. */
  color: boolean;
  /** True when stderr is a terminal, so a live progress line makes sense. */
  interactive: boolean;
  /** Writes a status line to stderr (progress, never data). */
  status(line: string): void;
  /** Overwrites the live progress line (only when interactive). */
  progress(line: string): void;
  /** Clears the live progress line. */
  clearProgress(): void;
}

/**
 * The terminal as the environment describes it: colour only on a TTY and never
 * when NO_COLOR is set or --no-color was given; progress only when stderr is a TTY.
 */
export function openTerminal(options: { color?: boolean } = {}): Terminal {
  const noColor = options.color === false || (process.env.NO_COLOR ?? "") !== "";
  const interactive = Boolean(process.stderr.isTTY) && process.env.CI !== "true";
  let live = false;
  return {
    color: !noColor && Boolean(process.stdout.isTTY),
    interactive,
    status(line) {
      if (live) this.clearProgress();
      process.stderr.write(`${line}\n`);
    },
    progress(line) {
      if (!interactive) return;
      process.stderr.write(`\r\x1b[2K${line}`);
      live = true;
    },
    clearProgress() {
      if (live) process.stderr.write("\r\x1b[2K");
      live = false;
    },
  };
}

/** Wraps text in an ANSI style when colour is on. */
export function paint(terminal: Terminal, style: "bold" | "dim" | "green" | "red" | "yellow", text: string): string {
  if (!terminal.color) return text;
  const codes = { bold: [1, 22], dim: [2, 22], green: [32, 39], red: [31, 39], yellow: [33, 39] }[style];
  return `\x1b[${codes[0]}m${text}\x1b[${codes[1]}m`;
}
