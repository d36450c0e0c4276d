import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  buildOnceAcrossProcesses,
  discardBuild,
  hashOfFiles,
  isCompleteBuild,
  publishBuild,
  sourceFiles,
  temporaryBuildDir,
} from "./build-cache.ts";
import { ROOT } from "./composition.ts";

/**
 * The web pages the gateway serves (web/<page>/: index.html, src/, vite.config.mts), built by Vite
 * into `<outRoot>/<page>/<hash>/`. The hash covers the page's sources, the lockfile (every package
 * the bundle is made of, Vite's own version included) and this file, so a build is made once per
 * source state and reused by every later `npm start`, test run and CI step; built files are never
 * committed. Building takes CPU seconds a start cannot spare, so `npm start` only computes where
 * the build goes (a few milliseconds), hands that directory to the gateway, and builds after every
 * service is ready (see scripts/start.ts); tests await the same build.
 */

export interface WebBuildOptions {
  /** The repository (tests build a small tree of their own). */
  readonly root?: string;
  /** Where builds live: `<outRoot>/<page>/<hash>/`; default `.urr/web`. */
  readonly outRoot?: string;
  /** Stops a build under way (the Vite process is killed, nothing is published). */
  readonly signal?: AbortSignal;
}

export interface WebBuildPlace {
  readonly page: string;
  /** Where the finished build is (or will be): index.html and assets/. */
  readonly outDir: string;
}

export interface WebBuildReport extends WebBuildPlace {
  /** False when an earlier build of the same sources was there (or another process made it). */
  readonly built: boolean;
  readonly seconds: number;
}

const SOURCE_FILE = /\.(html|tsx?|mts|css|svg|json)$/;
/**
 * Files outside web/<page>/ that a page's bundle is made of: the demo sends the registered
 * documents by id, read from the manifest when it is built.
 */
const SHARED_INPUTS: Readonly<Record<string, readonly string[]>> = {
  demo: ["documents/manifest.json"],
};
const SKIPPED_DIRS = new Set(["node_modules", "dist"]);

/** The directory a page's current sources build into; cheap (hashing only, no build). */
export async function webBuildPlace(page: string, options: WebBuildOptions = {}): Promise<WebBuildPlace> {
  const root = options.root ?? ROOT;
  const outRoot = options.outRoot ?? path.join(root, ".urr", "web");
  const files = await sourceFiles(root, [path.join("web", page)], {
    include: SOURCE_FILE,
    skip: SKIPPED_DIRS,
  });
  if (!files.some((file) => path.basename(file) === "index.html")) {
    throw new Error(`web/${page} has no index.html`);
  }
  for (const input of SHARED_INPUTS[page] ?? []) files.push(path.join(root, input));
  files.push(path.join(root, "package-lock.json"));
  const hash = await hashOfFiles(root, files, [page, await readFile(__filename)]);
  return { page, outDir: path.join(outRoot, page, hash) };
}

/** Builds a page unless its current sources are built already; waits for a build under way elsewhere. */
export async function buildWebPage(page: string, options: WebBuildOptions = {}): Promise<WebBuildReport> {
  const began = performance.now();
  const place = await webBuildPlace(page, options);
  const seconds = () => (performance.now() - began) / 1000;
  if (isCompleteBuild(place.outDir)) return { ...place, built: false, seconds: seconds() };
  const outcome = await buildOnceAcrossProcesses(place.outDir, async () => {
    const temporary = temporaryBuildDir(place.outDir);
    try {
      await runVite(options.root ?? ROOT, page, temporary, options.signal);
    } catch (error) {
      await discardBuild(temporary);
      throw error;
    }
    await publishBuild(temporary, place.outDir, `${page}\n`);
  });
  return { ...place, built: outcome === "built", seconds: seconds() };
}

/**
 * `vite build` in a child process at low priority (nice 10 where there is `nice`), so a start's
 * first requests and a test's services keep the CPU they need; its output is kept for the error.
 */
async function runVite(root: string, page: string, outDir: string, signal?: AbortSignal): Promise<void> {
  const vite = path.join(
    path.dirname(require.resolve("vite/package.json", { paths: [root] })),
    "bin",
    "vite.js",
  );
  const config = path.join(root, "web", page, "vite.config.mts");
  const args = [vite, "build", "--config", config, "--outDir", outDir];
  const nice = process.platform !== "win32" && existsSync("/usr/bin/nice");
  const child = spawn(
    nice ? "/usr/bin/nice" : process.execPath,
    nice ? ["-n", "10", process.execPath, ...args] : args,
    {
      cwd: root,
      env: { ...process.env, NODE_ENV: "production", VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" },
      stdio: ["ignore", "pipe", "pipe"],
      ...(signal ? { signal, killSignal: "SIGKILL" as const } : {}),
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  if (code !== 0) throw new Error(`vite build of web/${page} failed (exit ${code}):\n${output.trim()}`);
}
