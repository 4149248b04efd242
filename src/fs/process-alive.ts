/** Whether a process, known by the pid it wrote into a lock or journal, is still running. */

/** True while a process with this pid exists on this machine (perhaps another user's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
