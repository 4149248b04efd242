import { afterAll, describe, expect, test } from "bun:test";
import path from "node:path";
import { UserError } from "../src/errors.ts";
import { importSpecifiers, moduleGraph } from "../src/target/module-graph.ts";
import { removeTempFolders, tempFolder, writeFiles } from "./fixtures/git-repo.ts";

afterAll(removeTempFolders);

/** A project folder with these files; returns its real path. */
function project(files: Record<string, string>): string {
  const root = tempFolder("xloop-graph-");
  writeFiles(root, files);
  return root;
}

function relativeGraph(root: string, entry: string): string[] {
  return [...moduleGraph(path.join(root, entry))].map((file) => path.relative(root, file)).sort();
}

describe("moduleGraph", () => {
  const graphs: { name: string; files: Record<string, string>; entry: string; graph: string[] }[] = [
    {
      name: "it follows every kind of relative import and resolves extensions like TypeScript and Node",
      files: {
        "bench/price.bench.ts": [
          'import { total } from "../src/price.js";',
          'import "./setup";',
          'export * from "../src/reexported";',
          'const lazy = await import("../src/lazy.mts");',
          "const legacy = require('../src/legacy');",
          'const data = require("../data/prices.json");',
          "const tpl = import(`../src/template`);",
        ].join("\n"),
        "bench/setup.ts": "export {};\n",
        "src/price.ts": 'import { money } from "./util";\nexport const total = money;\n',
        "src/util/index.ts": 'export { money } from "./money.js";\n',
        "src/util/money.tsx": "export const money = 1;\n",
        "src/reexported.js": "module.exports = {};\n",
        "src/lazy.mts": 'import "./deep/leaf.cjs";\n',
        "src/deep/leaf.cts": "export {};\n",
        "src/legacy/index.cjs": "module.exports = 1;\n",
        "src/template.jsx": "export default 1;\n",
        "data/prices.json": "[]\n",
        "src/unrelated.ts": "export const nobody = 'imports me';\n",
      },
      entry: "bench/price.bench.ts",
      graph: [
        "bench/price.bench.ts",
        "bench/setup.ts",
        "data/prices.json",
        "src/deep/leaf.cts",
        "src/lazy.mts",
        "src/legacy/index.cjs",
        "src/price.ts",
        "src/reexported.js",
        "src/template.jsx",
        "src/util/index.ts",
        "src/util/money.tsx",
      ],
    },
    {
      name: "package imports, node builtins and unresolvable paths are ignored",
      files: {
        "main.ts": [
          'import { z } from "zod";',
          'import fs from "node:fs";',
          'import x from "@scope/pkg/sub";',
          'import missing from "./missing";',
          'import ok from "./ok";',
        ].join("\n"),
        "ok.ts": "export default 1;\n",
        "node_modules/zod/index.js": "export const z = 1;\n",
      },
      entry: "main.ts",
      graph: ["main.ts", "ok.ts"],
    },
    {
      name: "imports inside comments, strings, templates and regexes are not followed",
      files: {
        "main.ts": [
          '// import "./commented";',
          '/* import { x } from "./block-commented"; */',
          "const text = 'import \"./in-string\"';",
          'const tpl = `require("./in-template") ${import.meta.url}`;',
          "const re = /import '\\.\\/in-regex'/;",
          'export { a } from "./real";',
        ].join("\n"),
        "real.ts": "export const a = 1;\n",
        "commented.ts": "",
        "block-commented.ts": "",
        "in-string.ts": "",
        "in-template.ts": "",
        "in-regex.ts": "",
      },
      entry: "main.ts",
      graph: ["main.ts", "real.ts"],
    },
    {
      name: "type-only imports are left out because running the code never loads them",
      files: {
        "main.ts": [
          'import type { Price } from "./types";',
          'export type { Other } from "./other-types";',
          'import type from "./named-type";',
          'import { type Mixed, value } from "./mixed";',
        ].join("\n"),
        "types.ts": "export type Price = number;\n",
        "other-types.ts": "export type Other = string;\n",
        "named-type.ts": "export default 1;\n",
        "mixed.ts": "export type Mixed = 1; export const value = 1;\n",
      },
      entry: "main.ts",
      graph: ["main.ts", "mixed.ts", "named-type.ts"],
    },
    {
      name: "import cycles terminate",
      files: {
        "a.ts": 'import "./b";\n',
        "b.ts": 'import "./a";\n',
      },
      entry: "a.ts",
      graph: ["a.ts", "b.ts"],
    },
  ];
  for (const { name, files, entry, graph } of graphs) {
    test(name, () => {
      expect(relativeGraph(project(files), entry)).toEqual(graph);
    });
  }

  test("a missing entry file is a user error", () => {
    const root = project({});
    expect(() => moduleGraph(path.join(root, "nope.ts"))).toThrow(UserError);
  });
});

describe("importSpecifiers", () => {
  test("a division is not mistaken for a regex that would hide the next import", () => {
    const source = "const half = total / 2; const q = a / b;\nimport x from './after-division';\n";
    expect(importSpecifiers(source)).toEqual(["./after-division"]);
  });

  test("imports inside a template substitution are found, and member calls named import are not", () => {
    const source = [
      "const html = `${await import('./inside-substitution')}`;",
      "loader.import('./method-call');",
      "Array.from('abc');",
      "const nested = `a${`b${c}`}d`; import './after-nested';",
    ].join("\n");
    expect(importSpecifiers(source)).toEqual(["./inside-substitution", "./after-nested"]);
  });

  test("a stray apostrophe in JSX text costs at most its own line", () => {
    const source = "const el = <p>Don't worry</p>;\nimport ok from './still-found';\n";
    expect(importSpecifiers(source)).toEqual(["./still-found"]);
  });
});
