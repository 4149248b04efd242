/**
 * What the shims record while a suite file is evaluated. One collection is open at a
 * time in a thread (collectSuite awaits the file's import before opening the next), so
 * the shims, which the file imports as ordinary modules, write to the open one.
 */

/** A task's function and the calls around each of its timed calls. */
export interface PreparedTask {
  /** The timed call. */
  fn: () => unknown;
  /** Run before each timed call, outside the timed region (tinybench beforeEach, mitata's computed parameters). */
  beforeEach?: () => unknown;
  /** Run after each timed call, outside the timed region. */
  afterEach?: () => unknown;
}

/** One benchmark of a suite, as the peer would run it. */
export interface CollectedTask {
  /** Group names (tinybench's Bench name, mitata's group, vitest's describe), then the task's name. */
  path: string[];
  /** Why xloop cannot run this task as the peer would; absent when it can. */
  refused?: string;
  /**
   * Readies the task once per loaded copy: runs what the peer runs once before a
   * task's iterations (tinybench's beforeAll, vitest's beforeAll, mitata's generator
   * up to its yield) and hands back the function to time.
   */
  prepare: () => Promise<PreparedTask>;
}

/** Registrations of one evaluation of a suite file, per peer. */
export interface Collection {
  tasks: Map<string, CollectedTask[]>;
  /** Ends the registration: each shim turns what it recorded into tasks. */
  finishers: (() => void)[];
  /** Set when the file called a peer's run(): what it does next reads results xloop does not produce. */
  ran: boolean;
}

const slot = Symbol.for("xloop.suite.collection");
type WithSlot = { [slot]?: Collection | null };

/** Opens a collection for one evaluation of a suite file. */
export function openCollection(): Collection {
  const collection: Collection = { tasks: new Map(), finishers: [], ran: false };
  (globalThis as WithSlot)[slot] = collection;
  return collection;
}

/** The open collection, or null when the shims run outside collectSuite (then they record nothing). */
export function currentCollection(): Collection | null {
  return (globalThis as WithSlot)[slot] ?? null;
}

/** Closes the open collection. */
export function closeCollection(): void {
  (globalThis as WithSlot)[slot] = null;
}

/** Adds tasks a peer's shim found. */
export function addTasks(collection: Collection, peer: string, tasks: CollectedTask[]): void {
  collection.tasks.set(peer, [...(collection.tasks.get(peer) ?? []), ...tasks]);
}
