import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";

/**
 * The initialised, never opened PGlite cluster every new embedded data directory is a copy of
 * (see embedded-clusters.ts), made once per PGlite version in the cache directory.
 *
 * Imports nothing but Node's own modules, so that `npm start` can begin it before the rest of the
 * start script is loaded: first-start.ts, start.ts's first import, calls it, and the initdb (4–6 s
 * of single-threaded WebAssembly, the longest step of a first start before catalog can open its
 * database) then runs while tsx compiles the rest (measured: begun 0.4 s into the process instead
 * of 0.9–1.4 s). One promise per template per process: the start script's own call joins it.
 */
export interface ClusterTemplate {
  template: string;
  /** Whether this process ran initdb (false when the cached template served). */
  ranInitdb: boolean;
}

const inFlight = new Map<string, Promise<ClusterTemplate>>();

/** Where the template of the installed PGlite lives under `cacheDir`. */
export function templateDir(root: string, cacheDir: string): string {
  const manifest = path.join(root, "node_modules/@electric-sql/pglite/package.json");
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  return path.join(cacheDir, `pglite-${version}-cluster`);
}

/**
 * The template, made first when missing. Built beside its place and renamed into it, so an
 * interrupted start leaves no half cluster; when another start finished one first, that one serves.
 */
export function clusterTemplate(root: string, cacheDir: string): Promise<ClusterTemplate> {
  const template = templateDir(root, cacheDir);
  if (existsSync(path.join(template, "PG_VERSION"))) return Promise.resolve({ template, ranInitdb: false });
  let making = inFlight.get(template);
  if (!making) {
    making = makeTemplate(root, template).finally(() => inFlight.delete(template));
    inFlight.set(template, making);
  }
  return making;
}

async function makeTemplate(root: string, template: string): Promise<ClusterTemplate> {
  const staging = `${template}.tmp-${process.pid}`;
  await mkdir(path.dirname(template), { recursive: true });
  await rm(staging, { recursive: true, force: true });
  try {
    await initdb(root, staging);
    await rename(staging, template);
  } catch (error) {
    // Another start finished its template first: that one is as good.
    if (!existsSync(path.join(template, "PG_VERSION"))) throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { template, ranInitdb: true };
}

/**
 * PGlite's initdb runs WebAssembly in long synchronous stretches, so it runs in a child process:
 * this process's event loop stays free for esbuild's replies and the services' output, and only a
 * start that creates clusters loads PGlite at all. `--liftoff-only` keeps V8 from recompiling
 * PGlite's 9 MB module with TurboFan on background threads for a run of a few seconds: measured
 * alone, 2.8 s of CPU against 4.0 s and 3.8 s of wall time against 4.2 s; in a first start, those
 * threads took the core the gateway was starting on.
 */
function initdb(root: string, dataDir: string): Promise<void> {
  const script = `
    const { PGlite } = require("node:module").createRequire(process.argv[1] + "/package.json")("@electric-sql/pglite");
    PGlite.create(process.argv[2]).then((db) => db.close());
  `;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--liftoff-only", "-e", script, root, dataDir],
      { env: { ...process.env, NODE_OPTIONS: "" } },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        reject(new Error(`PGlite initdb in ${dataDir} failed: ${stderr.trim() || error.message}`));
      },
    );
  });
}
