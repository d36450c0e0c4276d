import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type * as Esbuild from "esbuild";
import {
  discardBuild,
  sourceFiles as filesUnder,
  hashOfFiles,
  isCompleteBuild,
  publishBuild,
  temporaryBuildDir,
} from "./build-cache.ts";
import { ROOT } from "./composition.ts";

// The esbuild that tsx itself runs on (tsx is a dependency; esbuild is tsx's), so the bundles and
// `node --import tsx` compile TypeScript the same way and no other compiler is installed.
const esbuild = createRequire(require.resolve("tsx"))("esbuild") as typeof Esbuild;

/**
 * Compiles each service's TypeScript entry once into one CommonJS file under `.urr/build`, so a
 * service process starts with plain `node` instead of transforming and resolving ~300 modules
 * through tsx's loader hooks on every start (measured: about 1.5 s of CPU per process with tsx's
 * warm cache against about 0.6 s for the bundle; six processes share two cores).
 *
 * Only the workspace's own code (`@urr/*` and relative imports) is bundled; npm dependencies stay
 * external and are required from node_modules at run time, so their own file layouts (PGlite's and
 * Prisma's WebAssembly, for example) keep working. The output directory is named after a hash of
 * every workspace source file, package manifest and tsconfig, and of this file (the build
 * settings): a change to any of them builds a new directory, and a start with nothing changed
 * reuses the last one.
 */

/** Directories whose files can be bundled; the hash covers all of them. */
const SOURCE_ROOTS = ["packages", "gateway", "subgraphs"];
const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs|json)$/;
const SKIPPED_DIRS = new Set(["node_modules", "test", "dist", ".urr"]);

/**
 * V8 recompiles WebAssembly functions with its optimising compiler once they have run a budget of
 * work. PostgreSQL's own start-up in PGlite (9 MB of WebAssembly) and Prisma's query compiler spend
 * that budget on code that never runs again, so a stateful service used 1.5 s of CPU optimising it
 * (measured: auth ready after 4.2–4.9 s of CPU by default, 2.8–3.3 s with ten times the budget,
 * 2.5–2.8 s with no optimising at all). Ten times the budget keeps the steady state: code that
 * stays hot is still optimised (a PGlite query loop runs as fast as by default, where
 * --liftoff-only runs it at half speed). Set first thing in each bundle, before any WebAssembly is
 * compiled; a V8 without the flag ignores it.
 */
const WASM_TIERING = `"use strict";\nrequire("node:v8").setFlagsFromString("--wasm-tiering-budget=18000000");`;

/** Bundle path by entry (repository-relative, as in ServiceSpec.entry). */
export type CompiledEntries = ReadonlyMap<string, string>;

/** The code cache every bundle runs with (`node --require`, see compile-cache.ts). */
const COMPILE_CACHE_SOURCE = path.join(__dirname, "compile-cache.ts");
const COMPILE_CACHE_NAME = "compile-cache";

export interface BuildOptions {
  /** The repository (tests build a small tree of their own). */
  root?: string;
  /** Where the bundles of one source state live: `<outRoot>/<hash>/`; default `.urr/build`. */
  outRoot?: string;
}

export interface BuildReport {
  entries: CompiledEntries;
  /** `compile-cache.cjs` of this build: preload it in each bundle's process (see compile-cache.ts). */
  compileCache: string;
  /** False when an earlier build of the same sources was reused. */
  built: boolean;
  outDir: string;
}

export async function buildServices(entries: string[], options: BuildOptions = {}): Promise<BuildReport> {
  const root = options.root ?? ROOT;
  const outRoot = options.outRoot ?? path.join(root, ".urr", "build");
  const sources = await sourceFiles(root);
  const hash = await hashOf(root, sources, entries);
  const outDir = path.join(outRoot, hash);
  const bundles = new Map(entries.map((entry) => [entry, path.join(outDir, bundleName(entry))]));
  const compileCache = path.join(outDir, `${COMPILE_CACHE_NAME}.cjs`);
  if (isCompleteBuild(outDir)) return { entries: bundles, compileCache, built: false, outDir };

  // Built beside its final place and renamed into it, so a concurrent start never runs half a build.
  const temporary = temporaryBuildDir(outDir);
  const result = await esbuild.build({
    entryPoints: {
      ...Object.fromEntries(entries.map((entry) => [bundleName(entry).replace(/\.cjs$/, ""), entry])),
      [COMPILE_CACHE_NAME]: COMPILE_CACHE_SOURCE,
    },
    absWorkingDir: root,
    outdir: temporary,
    outExtension: { ".js": ".cjs" },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: `node${process.versions.node.split(".")[0]}`,
    // Maps without sources: stack traces name the TypeScript files, read from the tree.
    sourcemap: "linked",
    sourcesContent: false,
    keepNames: true,
    banner: { js: WASM_TIERING },
    // import() of a package becomes require(): Node's ESM loader would otherwise detect the format
    // of, and scan for exports, Prisma's 4.5 MB query-compiler module in every stateful service.
    supported: { "dynamic-import": false },
    metafile: true,
    logLevel: "silent",
    plugins: [externalDependencies, sourceLocation],
  });
  const outside = Object.keys(result.metafile.inputs).filter(
    (input) => !sources.includes(path.resolve(root, input)),
  );
  if (outside.length) {
    await discardBuild(temporary);
    throw new Error(`bundled files outside the hashed sources: ${outside.join(", ")}`);
  }
  if ((await hashOf(root, await sourceFiles(root), entries)) !== hash) {
    // A file changed while esbuild read the tree: this output matches neither state.
    await discardBuild(temporary);
    return buildServices(entries, options);
  }
  // Another start may have built the same sources first: then its build is used.
  await publishBuild(temporary, outDir, `${entries.join("\n")}\n`);
  return { entries: bundles, compileCache, built: true, outDir };
}

/** subgraphs/auth/src/main.ts → subgraphs-auth-src-main.cjs */
function bundleName(entry: string): string {
  return `${entry.replace(/\.[cm]?ts$/, "").replace(/[\\/]/g, "-")}.cjs`;
}

async function sourceFiles(root: string): Promise<string[]> {
  const files = await filesUnder(root, SOURCE_ROOTS, { include: SOURCE_FILE, skip: SKIPPED_DIRS });
  files.push(path.join(root, "tsconfig.json"), path.join(root, "package.json"), COMPILE_CACHE_SOURCE);
  return files.sort();
}

async function hashOf(root: string, files: string[], entries: string[]): Promise<string> {
  // This file holds the build settings: a change to them is a change to every bundle.
  return hashOfFiles(root, files, [
    `${esbuild.version}\0${process.version}\0${entries.join(",")}`,
    await readFile(__filename),
  ]);
}

/** npm packages are required from node_modules at run time; workspace packages are bundled. */
const externalDependencies: Esbuild.Plugin = {
  name: "external-dependencies",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@urr/") ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * `__dirname` and `__filename` keep meaning the source file's place (the subgraphs find their
 * schema.graphql and prisma/ directories from it), not the bundle's.
 */
const sourceLocation: Esbuild.Plugin = {
  name: "source-location",
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      if (!/\b__(dirname|filename)\b/.test(text)) return { contents: text, loader: "ts" };
      const contents = text
        .replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path)))
        .replace(/\b__filename\b/g, JSON.stringify(args.path));
      return { contents, loader: "ts" };
    });
  },
};
