/**
 * Builds xloop for every way it runs:
 *  - dist/xloop: one self-contained executable (bun build --compile) embedding the
 *    measuring worker and piscina's own worker;
 *  - dist/cli.js + dist/measure-worker.js: the Node (>= 20) and Deno bundle, which the
 *    binary also embeds (with piscina, tsx and esbuild) to host measurements on Node or
 *    Deno (src/runtime/kit.ts).
 *
 * Other platforms need Bun's runtime for that target, a download this machine
 * cannot make; the command would be:
 *   bun build --compile --target=bun-darwin-arm64 ... (see docs/reference.md, "Install details")
 */
import { rmSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";

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

// The Node and Deno bundle first: the binary embeds it as the runtime kit.
const nodeBundle = await Bun.build({
  entrypoints: ["./src/cli.ts", ...workers.map((w) => `./workers/${w}.ts`), "./workers/typescript-hooks.ts", "./workers/suite-hooks.ts"],
  outdir: dist,
  target: "node",
  format: "esm",
  naming: { entry: "[name].js" },
  define: { XLOOP_BUILD: JSON.stringify("node") },
  // Bundled, so the kit needs no node_modules for them; piscina stays a package because
  // it starts its workers from its own worker.js on disk, tsx because it registers its
  // own loader files and runs esbuild's native executable.
  external: ["piscina", "tsx", "tsx/*", "esbuild", "xloop:runtime-kit"],
});
check(nodeBundle, "dist/cli.js");
for (const w of workers) {
  await Bun.write(`${dist}/${w}-worker.js`, Bun.file(`${dist}/${w}.js`));
  rmSync(`${dist}/${w}.js`);
}

/** A file of the runtime kit: its place in the kit and where it comes from. */
interface KitSource {
  path: string;
  from?: string;
  text?: string;
  mode: number;
}

function filesUnder(folder: string, pattern = "**/*"): string[] {
  return [...new Bun.Glob(pattern).scanSync({ cwd: folder, onlyFiles: true })].sort();
}

/**
 * What another runtime needs to host a measurement: the bundle, and the packages it
 * loads from disk (piscina; tsx with esbuild and this platform's esbuild executable),
 * laid out as a project so Node's and Deno's resolution find them; the native addon
 * when it is built.
 */
function runtimeKitSources(): KitSource[] {
  const sources: KitSource[] = [{ path: "package.json", text: `${JSON.stringify({ name: "xloop-runtime-kit", private: true, type: "module" })}\n`, mode: 0o644 }];
  for (const f of ["cli.js", "typescript-hooks.js", "suite-hooks.js", ...workers.map((w) => `${w}-worker.js`)]) sources.push({ path: `dist/${f}`, from: `${dist}/${f}`, mode: 0o644 });
  const packageFiles = (name: string, patterns: string[]) => {
    const folder = `node_modules/${name}`;
    for (const pattern of ["package.json", ...patterns]) {
      for (const f of filesUnder(folder, pattern)) sources.push({ path: `${folder}/${f}`, from: `${folder}/${f}`, mode: 0o644 });
    }
  };
  packageFiles("piscina", ["dist/**/*.{js,mjs,cjs}"]);
  packageFiles("tsx", ["dist/**/*.{js,mjs,cjs}"]);
  packageFiles("esbuild", ["lib/main.js"]);
  const esbuildPlatform = `@esbuild/${process.platform}-${process.arch}`;
  packageFiles(esbuildPlatform, []);
  sources.push({ path: `node_modules/${esbuildPlatform}/bin/esbuild`, from: `node_modules/${esbuildPlatform}/bin/esbuild`, mode: 0o755 });
  for (const f of filesUnder("native", "*.node")) sources.push({ path: `native/${f}`, from: `native/${f}`, mode: 0o644 });
  return sources;
}

// One archive, not a file asset per kit file: the bundler takes a JavaScript file of a
// package it also bundles (piscina) as that package's module, file asset or not.
// Layout: a 4-byte length, a JSON index of { path, mode, size }, then the bytes in order;
// gzipped (esbuild's executable is most of it). src/runtime/kit.ts reads it.
const kit = runtimeKitSources();
const contents: Uint8Array[] = [];
for (const source of kit) contents.push(source.text !== undefined ? new TextEncoder().encode(source.text) : await Bun.file(source.from!).bytes());
const index = new TextEncoder().encode(JSON.stringify(kit.map((s, i) => ({ path: s.path, mode: s.mode, size: contents[i].length }))));
const length = new Uint8Array(4);
new DataView(length.buffer).setUint32(0, index.length);
const archive = Bun.gzipSync(Buffer.concat([length, index, ...contents]));
const kitId = new Bun.CryptoHasher("sha256").update(archive).digest("hex").slice(0, 16);
const kitArchive = resolve(dist, "runtime-kit.bin");
await Bun.write(kitArchive, archive);

/** `xloop:runtime-kit`: the kit archive embedded in the binary (src/runtime/kit.ts unpacks it). */
const runtimeKitModule: BunBuildPlugin = {
  name: "runtime-kit",
  setup(build) {
    build.onResolve({ filter: /^xloop:runtime-kit$/ }, () => ({ path: "runtime-kit", namespace: "xloop-runtime-kit" }));
    build.onLoad({ filter: /.*/, namespace: "xloop-runtime-kit" }, () => ({
      contents: `import archive from ${JSON.stringify(kitArchive)} with { type: "file" };\nexport default archive;`,
      loader: "js",
    }));
  },
};

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
  define: { XLOOP_BUILD: JSON.stringify("compiled"), XLOOP_KIT_ID: JSON.stringify(kitId) },
  // tsx only serves Node (TypeScript inside workers); Bun imports TypeScript itself.
  external: ["tsx", "tsx/*", "@napi-rs/nice"],
  plugins: [piscinaWorkerPath, runtimeKitModule],
});
check(compiled, "dist/xloop");
rmSync(kitArchive);
console.error(`built ${dist}/xloop (${(Bun.file(`${dist}/xloop`).size / 1e6).toFixed(0)} MB; runtime kit ${kitId}: ${kit.length} files, ${(archive.length / 1e6).toFixed(1)} MB) and ${dist}/cli.js for Node and Deno`);
