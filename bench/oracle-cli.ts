/**
 * bench/oracle-cli: `xloop oracle capture` and `xloop oracle verify` of 1,000 cases whose
 * outputs are about 10 KB each, through the compiled binary (seconds, wall time, median of
 * N runs). The comparison's own speed beside util.isDeepStrictEqual is bench/oracle-compare.ts.
 *
 *   npm run build && node_modules/.bin/bun bench/oracle-cli.ts [--runs 3]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync, writeFileSync, statSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { argsFrom, printTable, requireBinary, xloopBinary } from "./common.ts";
import { median } from "../src/stats/descriptive.ts";

requireBinary();
const runs = Number(argsFrom("--runs") ?? 3);
const dir = realpathSync(mkdtempSync(join(tmpdir(), "xloop-oracle-bench-")));
writeFileSync(
  join(dir, "report.ts"),
  `/** About 10 KB of output per call: 60 records with nested fields. */
export function report(seed: number) {
  const rows = [];
  for (let i = 0; i < 60; i++) {
    rows.push({ id: seed * 1000 + i, name: "item-" + ((seed * 31 + i) % 997), price: Math.round((seed + i) * 1.37 * 100) / 100, tags: ["a" + (i % 7), "b" + (seed % 5)], dims: { w: i % 13, h: (seed + i) % 17, d: 0.5 * i } });
  }
  return { seed, total: rows.reduce((s, r) => s + r.price, 0), rows, at: new Date(Date.UTC(2026, 0, 1 + (seed % 28))) };
}
export const cases = Array.from({ length: 1000 }, (_, i) => [i]);
`,
);
const time = (args: string[]) => {
  const started = process.hrtime.bigint();
  const result = spawnSync(xloopBinary, args, { cwd: dir, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${args.join(" ")}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
};
const capture: number[] = [];
const verify: number[] = [];
for (let r = 0; r < runs; r++) {
  capture.push(time(["oracle", "capture", "report.ts#report", "--cases", "report.ts#cases"]));
  verify.push(time(["oracle", "verify", "report.ts#report"]));
}
const oracleDir = join(dir, ".codeflash/oracle");
const size = statSync(join(oracleDir, readdirSync(oracleDir)[0])).size;
console.log(`bench/oracle-cli: 1,000 cases of ~10 KB output (oracle file ${(size / 1e6).toFixed(1)} MB), median of ${runs}`);
printTable(
  ["step", "median", "min"],
  [
    ["oracle capture (runs every case twice, checks determinism)", `${median(capture).toFixed(2)} s`, `${Math.min(...capture).toFixed(2)} s`],
    ["oracle verify", `${median(verify).toFixed(2)} s`, `${Math.min(...verify).toFixed(2)} s`],
  ],
);
