/** What the agent tells the user when it escalates (docs/loop.md) to another domain. */

/** Signals are recorded as one line: a record cell and a markdown list item cannot hold more. */
export function oneLineSignal(signal: string): string {
  return signal.replace(/\s+/g, " ").trim();
}

/**
 * "I'm finding that the real bottleneck is [description] — this is a [domain] issue,
 * not [current domain]. Want me to switch?" — worded as the design has it, so the user
 * hears the same question from every session, and the decision stays theirs.
 */
export function escalationMessage(fields: { signal: string; to: string; from: string }): string {
  const description = oneLineSignal(fields.signal).replace(/[.!]+$/, "");
  return `I'm finding that the real bottleneck is ${description} — this is a ${fields.to} issue, not ${fields.from}. Want me to switch?`;
}
