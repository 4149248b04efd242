/**
 * Builds xloop for every way it runs:
 *  - dist/xloop: one self-contained executable (bun build --compile) embedding the
 *    measuring worker and piscina's own worker;
 *  - dist/cli.js + dist/measure-worker.js: the Node (>= 20) and Deno bundle.
 *
 * Other platforms need Bun's runtime for that target, a download this machine
 * cannot make; the command would be:
 *   bun build --compile --target=bun-darwin-arm64 ... (see README "Other platforms")
 */
import { rmSync, mkdirSync } from "node:fs";

type BunBuildPlugin = Parameters<typeof Bun.build>[0]["plugins"] extends (infer P)[] | undefined ? P : never;

/** The worker programs (workers/<name>.ts); src/measure/worker-file.ts finds them. */
const workers = ["measure", "capture"];

const embeddedPiscinaWorker = "/$bunfs/root/node_modules/piscina/dist/worker.js";

/**
 * piscina starts its workers from `resolve(__dirname, 'worker.js')`, a path the
 * compiled binary would freeze to this machine's node_modules. Point it at the copy
 * embedded in the binary instead.
 */
const piscinaWorkerPath: BunBuildPlugin = {
  name: "piscina-embedded-worker",
  setup(build) {
    build.onLoad({ filter: /piscina[\\/]dist[\\/]index\.js$/ }, async (args) => {
      const source = await Bun.file(args.path).text();
      const needle = "(0, node_path_1.resolve)(__dirname, 'worker.js')";
      if (!source.includes(needle)) throw new Error(`piscina changed how it finds worker.js (${args.path}); update scripts/build.ts`);
      return { contents: source.replace(needle, JSON.stringify(embeddedPiscinaWorker)), loader: "js" };
    });
  },
};

function check(result: Awaited<ReturnType<typeof Bun.build>>, what: string) {
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    throw new Error(`build of ${what} failed`);
  }
}

// XLOOP_DIST builds elsewhere (parallel work must not delete a binary a test is running).
const dist = process.env.XLOOP_DIST ?? "dist";
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const compiled = await Bun.build({
  entrypoints: ["./src/cli.ts", ...workers.map((w) => `./workers/${w}.ts`), "./node_modules/piscina/dist/worker.js"],
  root: ".",
  compile: {
    outfile: `${dist}/xloop`,
    // A standalone executable ignores package.json and tsconfig.json at run time by
    // default, so the user's `exports`/`main` fields and `paths` went unread and bare
    // imports of their packages failed. The binary's own code is bundled, so these
    // settings reach only the user's files, resolved as `bun run` would.
    autoloadPackageJson: true,
    autoloadTsconfig: true,
  },
  minify: true,
  sourcemap: "none",
  // Precompiled bytecode: the binary starts without parsing its JavaScript.
  bytecode: true,
  define: { XLOOP_BUILD: JSON.stringify("compiled") },
  // tsx only serves Node (TypeScript inside workers); Bun imports TypeScript itself.
  external: ["tsx", "tsx/*", "@napi-rs/nice"],
  plugins: [piscinaWorkerPath],
});
check(compiled, "dist/xloop");

const nodeBundle = await Bun.build({
  entrypoints: ["./src/cli.ts", ...workers.map((w) => `./workers/${w}.ts`)],
  outdir: dist,
  target: "node",
  format: "esm",
  naming: { entry: "[name].js" },
  define: { XLOOP_BUILD: JSON.stringify("node") },
  // Packages stay in node_modules: piscina must find its own worker.js there.
  packages: "external",
});
check(nodeBundle, "dist/cli.js");
for (const w of workers) {
  await Bun.write(`${dist}/${w}-worker.js`, Bun.file(`${dist}/${w}.js`));
  rmSync(`${dist}/${w}.js`);
}
console.error(`built ${dist}/xloop (${(Bun.file(`${dist}/xloop`).size / 1e6).toFixed(0)} MB) and ${dist}/cli.js for Node and Deno`);
