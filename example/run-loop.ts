/**
 * The bundled example, end to end: a throwaway git repository holding example/slugify.ts,
 * then the loop as an engineer or an agent runs it with the compiled binary —
 * init, baseline, a first attempt whose output differs (DISCARD), a correct one that
 * is faster (KEEP), then results and status.
 *
 *   npm install && npm run build && npm run example
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const here = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname);
/** The compiled binary: `XLOOP_BIN` when set (a build kept outside the tree), else dist/xloop. */
const xloop = process.env.XLOOP_BIN ?? resolve(here, "../dist/xloop");
const repo = realpathSync(mkdtempSync(join(tmpdir(), "xloop-example-")));

function git(...args: string[]) {
  execFileSync("git", args, { cwd: repo, stdio: "ignore" });
}

function step(title: string, args: string[]) {
  process.stderr.write(`\n$ xloop ${args.join(" ")}    # ${title}\n`);
  const run = spawnSync(xloop, args, { cwd: repo, stdio: "inherit" });
  return run.status;
}

mkdirSync(join(repo, "src"));
mkdirSync(join(repo, "bench"));
copyFileSync(join(here, "slugify.ts"), join(repo, "src/slugify.ts"));
copyFileSync(join(here, "slugify.cases.ts"), join(repo, "bench/slugify.cases.ts"));
copyFileSync(join(here, "slugify.bench.ts"), join(repo, "bench/slugify.bench.ts"));
git("init", "-q", "-b", "main");
git("-c", "user.name=example", "-c", "user.email=example@example.com", "commit", "-q", "--allow-empty", "-m", "empty");
git("add", ".");
git("-c", "user.name=example", "-c", "user.email=example@example.com", "commit", "-q", "-m", "slugify");
git("config", "user.name", "example");
git("config", "user.email", "example@example.com");
process.stderr.write(`example repository: ${repo}\n`);

step("state in .codeflash/, with a guard", ["init", "--guard", "git diff --quiet HEAD -- bench"]);
step("oracle + baseline row", ["baseline", "src/slugify.ts#slugify", "--cases", "bench/slugify.cases.ts#cases"]);

copyFileSync(join(here, "attempts/single-pass-underscore.ts"), join(repo, "src/slugify.ts"));
const first = step("attempt 1: faster, but '_' handled differently", ["experiment", "src/slugify.ts#slugify", "--pattern", "allocation-reduction", "-m", "one pass over the characters"]);

copyFileSync(join(here, "attempts/single-pass.ts"), join(repo, "src/slugify.ts"));
const second = step("attempt 2: faster and identical", ["experiment", "src/slugify.ts#slugify", "--pattern", "allocation-reduction", "-m", "one pass over the characters, dropping _"]);

step("the record", ["results"]);
step("what next", ["status"]);
process.stderr.write(`\nattempt 1 exited ${first} (6 = DISCARD), attempt 2 exited ${second} (0 = KEEP); the repository is ${repo} (try: cd ${repo} && ${xloop} compare HEAD~1 HEAD)\n`);
process.exit(first === 6 && second === 0 ? 0 : 1);
