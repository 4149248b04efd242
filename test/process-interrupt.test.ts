/**
 * The one SIGINT/SIGTERM handler, in this process: the signal is emitted, the exit and
 * the hosted child are stand-ins, the cleanups are real registrations.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { registerCleanup } from "../src/process/cleanup.ts";
import { installInterruptHandlers, type Interrupts } from "../src/process/interrupt.ts";

let installed: Interrupts | undefined;
afterEach(() => installed?.uninstall());

/** Installs the handlers with a recorded exit and stderr; `forward` stands for a hosted child. */
function install(forward?: (signal: NodeJS.Signals) => boolean) {
  const exits: number[] = [];
  const stderr: string[] = [];
  let exited!: () => void;
  const exitCalled = new Promise<void>((resolve) => (exited = resolve));
  installed = installInterruptHandlers({
    exit: (code) => {
      exits.push(code);
      exited();
    },
    forward,
  });
  const emit = (signal: NodeJS.Signals) => {
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => stderr.push(chunk) > 0) as typeof process.stderr.write;
    try {
      process.emit(signal as "SIGINT");
    } finally {
      process.stderr.write = write;
    }
  };
  return { interrupts: installed, exits, stderr, exitCalled, emit };
}

describe("an interrupt", () => {
  test("the first signal says so, aborts the command, runs the cleanups newest first, then exits 130", async () => {
    const { interrupts, exits, stderr, exitCalled, emit } = install();
    const order: string[] = [];
    registerCleanup(() => void order.push("older"));
    registerCleanup(() => void order.push("newer"));
    emit("SIGINT");
    expect(interrupts.signal.aborted).toBe(true);
    expect(stderr).toEqual(["\nxloop: SIGINT: cleaning up (again to quit at once)\n"]);
    await exitCalled;
    expect(order).toEqual(["newer", "older"]);
    expect(exits).toEqual([130]);
  });

  test("a second signal while cleaning up exits at once, without a second message", async () => {
    const { exits, stderr, emit } = install();
    let finish!: () => void;
    const handle = registerCleanup(() => new Promise<void>((resolve) => (finish = resolve)));
    emit("SIGTERM");
    expect(exits).toEqual([]);
    emit("SIGTERM");
    expect(exits).toEqual([130]);
    expect(stderr).toHaveLength(1);
    finish();
    await handle.run();
  });

  test("while a hosted child runs the command, the signal is passed on and nothing happens here", () => {
    const forwarded: string[] = [];
    const { interrupts, exits, stderr, emit } = install((signal) => forwarded.push(signal) > 0);
    interrupts.handOver();
    emit("SIGINT");
    emit("SIGINT");
    expect(forwarded).toEqual(["SIGINT", "SIGINT"]);
    expect(interrupts.signal.aborted).toBe(false);
    expect([exits, stderr]).toEqual([[], []]);
  });

  test("once handed over to a child that has gone, a signal aborts but neither cleans up nor exits: the child's code stands", async () => {
    const { interrupts, exits, emit } = install(() => false);
    interrupts.handOver();
    let ran = false;
    const handle = registerCleanup(() => void (ran = true));
    emit("SIGINT");
    emit("SIGINT");
    expect(interrupts.signal.aborted).toBe(true);
    expect([exits, ran]).toEqual([[], false]);
    handle.cancel();
  });
});
