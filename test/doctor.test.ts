import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { assessDoctor, unfitReasons, type DoctorFacts } from "../src/doctor/doctor.ts";
import { binaryOutsideRepo, runIn, tempDir } from "./helpers.ts";

/** A quiet, well-tuned machine; each test changes what it examines. */
function facts(change: Partial<DoctorFacts> = {}, cpu: Partial<DoctorFacts["cpu"]> = {}): DoctorFacts {
  return {
    runtimes: [
      { name: "node", path: "/usr/bin/node", version: "20.20.2" },
      { name: "bun", path: null, version: null },
      { name: "deno", path: "/usr/bin/deno", version: "2.9.6" },
    ],
    self: { name: "bun", version: "1.4.5", compiledBinary: true },
    clocks: [
      { name: "Bun.nanoseconds", costNs: 20, resolutionNs: 40 },
      { name: "Date.now", costNs: 20, resolutionNs: 1e6 },
    ],
    pin: { cpu: 3, method: "native addon sched_setaffinity", readBack: [3], verified: true },
    native: { loaded: true, path: "/opt/xloop-native.node", reason: null },
    counters: { available: false, reason: "the kernel exposes no CPU performance-monitoring unit (/sys/bus/event_source/devices/cpu is missing): a virtual machine without a virtual PMU" },
    cpu: { model: "Test CPU", cores: 4, allowed: [0, 1, 2, 3], governor: "performance", turbo: false, turboControl: "intel_pstate", smt: false, siblings: [3], isolated: [3], ...cpu },
    loadAverage: [0.2, 0.3, 0.3],
    busy: [],
    noise: { medianNs: 1000, floor: 0.004, ratio: 1.0005, ci: [0.996, 1.004], pairs: 8, runtime: "bun 1.4.5", wallMs: 1900 },
    ...change,
  };
}

const check = (f: DoctorFacts, id: string) => assessDoctor(f).find((c) => c.id === id)!;

describe("xloop doctor's assessment", () => {
  test("a quiet, tuned machine whose A/A run stays within 1% is fit for 1% decisions", () => {
    expect(unfitReasons(assessDoctor(facts()))).toEqual([]);
  });

  test("an A/A floor above 1% makes the machine unfit, with the reason and what to do", () => {
    const f = facts({ noise: { medianNs: 1000, floor: 0.023, ratio: 1.01, ci: [0.977, 1.02], pairs: 8, runtime: "bun 1.4.5", wallMs: 2000 } });
    const reasons = unfitReasons(assessDoctor(f));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain("noise: ");
    expect(reasons[0]).toContain("±2.30%");
    expect(check(f, "noise").fix).toContain("xloop noise");
  });

  test("load beyond the cores is a problem and busy processes are named with a command that lowers them", () => {
    const f = facts({ loadAverage: [4.4, 4.1, 3.9], busy: [{ pid: 4242, command: "node", cpu: 0.93 }] }, { cores: 2 });
    expect(check(f, "load").status).toBe("problem");
    const busy = check(f, "busy");
    expect(busy.detail).toContain("node (pid 4242, 93% of a CPU)");
    expect(busy.fix).toBe("stop them or lower them: renice +19 -p 4242");
  });

  test("hardware counters that are not exposed are said to be unavailable with the reason, never reported as zero", () => {
    const counters = check(facts(), "counters");
    expect(counters.detail).toStartWith("hardware counters unavailable, so none are reported: ");
    expect(counters.detail).toContain("virtual PMU");
    expect(counters.detail).not.toMatch(/\b0 (instructions|cycles)/);
    const paranoid = check(facts({ counters: { available: false, reason: "kernel.perf_event_paranoid is 4: unprivileged counting is off" } }), "counters");
    expect(paranoid.fix).toBe("sudo sysctl kernel.perf_event_paranoid=1");
  });

  test("each tuning problem comes with the command that fixes it", () => {
    const f = facts({}, { governor: "powersave", turbo: true, turboControl: "intel_pstate", smt: true, siblings: [1, 3], isolated: [] });
    expect(check(f, "governor").fix).toBe("sudo cpupower frequency-set -g performance");
    expect(check(f, "turbo").fix).toBe("echo 1 | sudo tee /sys/devices/system/cpu/intel_pstate/no_turbo");
    expect(check(f, "smt").detail).toContain("shares its core with CPU 1");
    expect(check(f, "isolated").fix).toContain("isolcpus=3 nohz_full=3");
    // Warnings cost precision but do not by themselves rule out 1% decisions.
    expect(unfitReasons(assessDoctor(f))).toEqual([]);
  });

  test("pinning that did not hold is a problem, showing the CPUs read back", () => {
    const f = facts({ pin: { cpu: 3, method: "none", readBack: [0, 1, 2, 3], verified: false, reason: "taskset -p: not found" } });
    expect(check(f, "pin").status).toBe("problem");
    expect(check(f, "pin").detail).toContain("allowed CPUs read back: 0,1,2,3");
  });

  test("a runtime missing from PATH is named, and the binary's own Bun is reported", () => {
    const lines = assessDoctor(facts()).filter((c) => c.id === "runtime").map((c) => c.detail);
    expect(lines).toContain("node 20.20.2 (/usr/bin/node)");
    expect(lines).toContain("bun is not on PATH; --runtime bun cannot measure here");
    expect(lines).toContain("xloop runs on bun 1.4.5 (the standalone binary's own Bun)");
  });
});

describe("xloop doctor on this machine", () => {
  test("--json reports runtimes, clocks, pinning read back, counters, CPU facts and an A/A run, within a few seconds", () => {
    const started = Date.now();
    const run = runIn(binaryOutsideRepo(), ["doctor", "--json", "--runtime", "bun"], tempDir(), {}, 60_000);
    const wallMs = Date.now() - started;
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.command).toBe("doctor");
    expect(doc.facts.self).toMatchObject({ name: "bun", compiledBinary: true });
    expect(doc.facts.runtimes.map((r: { name: string }) => r.name)).toEqual(["node", "bun", "deno"]);
    // The binary's own Bun measures --runtime bun, whether or not one is on PATH.
    expect(doc.facts.runtimes[1].version).toBeTruthy();
    expect(doc.facts.clocks.find((c: { name: string }) => c.name === "Bun.nanoseconds").costNs).toBeGreaterThan(0);
    expect(doc.facts.pin.readBack.length).toBeGreaterThan(0);
    if (doc.facts.pin.verified) expect(doc.facts.pin.readBack).toEqual([doc.facts.pin.cpu]);
    expect(typeof doc.facts.counters.available).toBe("boolean");
    expect(doc.facts.counters.reason.length).toBeGreaterThan(0);
    expect(doc.facts.noise.pairs).toBe(8);
    expect(doc.facts.noise.ci[0]).toBeLessThanOrEqual(doc.facts.noise.ci[1]);
    expect(doc.fit).toBe(doc.reasons.length === 0);
    // The goal is under 5 s; a busy shared machine gets slack.
    expect(wallMs).toBeLessThan(20_000);
  }, 60_000);

  test("by default it checks the runtime that would measure here: in a plain folder node, hosted by the binary, whose own Bun is listed", () => {
    const binary = binaryOutsideRepo();
    // No bun on PATH (npm test puts node_modules/.bin there), so the binary's own is the one listed.
    const withoutBun = (process.env.PATH ?? "").split(delimiter).filter((dir) => dir && !existsSync(join(dir, "bun"))).join(delimiter);
    const run = runIn(binary, ["doctor", "--json"], tempDir(), { PATH: withoutBun }, 60_000);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.facts.self).toMatchObject({ name: "node", compiledBinary: false, hostedBy: binary });
    expect(doc.facts.noise.runtime).toStartWith("node ");
    expect(doc.facts.runtimes[1]).toMatchObject({ name: "bun", path: binary, hostBinary: true });
    expect(doc.facts.clocks.map((c: { name: string }) => c.name)).not.toContain("Bun.nanoseconds");
  }, 60_000);

  test("--strict exits 9 with the reason exactly when the machine is unfit, and the report ends with the verdict", () => {
    const run = runIn(binaryOutsideRepo(), ["doctor", "--strict"], tempDir(), {}, 60_000);
    const unfit = run.stdout.includes("unfit for 1% decisions");
    expect(run.code).toBe(unfit ? 9 : 0);
    if (unfit) expect(run.stderr).toContain("xloop: doctor --strict: unfit for 1% decisions: ");
    else expect(run.stdout).toContain("fit for 1% decisions: no problem found");
    expect(run.stdout).toMatch(/^xloop doctor\n/);
    expect(run.stdout).toMatch(/\[(ok|XX)\] pin /);
  }, 60_000);
});
