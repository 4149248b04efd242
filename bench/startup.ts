/**
 * bench/startup: how fast `xloop --version` of the compiled binary starts (goal: under
 * 20 ms median), beside `node dist/cli.js --version` and the Bun runtime doing nothing
 * (`bun -e 0`), each spawned N times (default 40), interleaved.
 *
 *   npm run build && node_modules/.bin/bun bench/startup.ts [--runs 40]
 */
import { spawnSync } from "node:child_process";
import { argsFrom, bunBinary, printTable, requireBinary, root, xloopBinary } from "./common.ts";
import { median } from "../src/stats/descriptive.ts";

requireBinary();
const runs = Number(argsFrom("--runs") ?? 40);
const commands: [string, string, string[]][] = [
  ["dist/xloop --version", xloopBinary, ["--version"]],
  ["node dist/cli.js --version", "node", ["dist/cli.js", "--version"]],
  ["bun -e 0 (runtime floor)", bunBinary, ["-e", "0"]],
];
const times: number[][] = commands.map(() => []);
for (let r = 0; r < runs; r++) {
  commands.forEach(([, command, args], i) => {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: root, stdio: "ignore" });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed`);
    times[i].push(Number(process.hrtime.bigint() - started) / 1e6);
  });
}
printTable(
  ["command", "median", "min", "p90"],
  commands.map(([name], i) => {
    const sorted = [...times[i]].sort((a, b) => a - b);
    return [name, `${median(sorted).toFixed(1)} ms`, `${sorted[0].toFixed(1)} ms`, `${sorted[Math.floor(sorted.length * 0.9)].toFixed(1)} ms`];
  }),
);
const medianStart = median(times[0]);
console.log(`xloop --version median ${medianStart.toFixed(1)} ms: ${medianStart < 20 ? "meets" : "MISSES"} the 20 ms goal`);
