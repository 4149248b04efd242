/**
 * A debugging aid for proving that an interrupted command loses nothing: with
 * `XLOOP_FAULT_AT=<phase>[:<action>]` set, the command stops when it reaches that named
 * phase (see `faultPhases`), so a test or a person can deliver a signal at exactly that
 * step instead of guessing with a sleep. The action is `pause` (the default: print one
 * line naming the phase and the pid on stderr, then wait for a signal) or `kill` (the
 * process sends itself SIGKILL: no cleanup runs, as after a power cut). Unset, a phase
 * costs one environment lookup.
 */

/** The phases a command can be stopped at, in the order an experiment reaches them. */
export const faultPhases = {
  experiment: ["worktree", "oracle", "verify", "benchmark", "guard", "commit", "patch", "restore", "record", "recorded"],
  compare: ["worktree", "run"],
} as const;

/** A phase name of either command. */
export type FaultPhase = (typeof faultPhases)[keyof typeof faultPhases][number];

/** The line a paused process prints, which a driver waits for before signalling. */
export function pausedLine(phase: string, pid: number): string {
  return `xloop: fault: paused at ${phase} (pid ${pid})`;
}

function wanted(phase: FaultPhase): "pause" | "kill" | null {
  const setting = process.env.XLOOP_FAULT_AT;
  if (!setting) return null;
  const [name, action = "pause"] = setting.split(":");
  if (name !== phase) return null;
  return action === "kill" ? "kill" : "pause";
}

/**
 * Marks reaching `phase`. Returns at once unless XLOOP_FAULT_AT names it; then it kills
 * the process, or prints the paused line and never resolves (a timer keeps the process
 * alive until a signal ends it).
 */
export function faultPoint(phase: FaultPhase): Promise<void> {
  const action = wanted(phase);
  if (action === null) return Promise.resolve();
  if (action === "kill") process.kill(process.pid, "SIGKILL");
  process.stderr.write(`${pausedLine(phase, process.pid)}\n`);
  return new Promise(() => {
    setInterval(() => {}, 1 << 30);
  });
}
