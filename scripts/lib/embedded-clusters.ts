import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cp, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./composition.ts";

/**
 * Creates the missing embedded PGlite clusters of a stack by copying one initialised cluster.
 *
 * PGlite's initdb is the most expensive step of a first start: each one boots a second,
 * in-memory PostgreSQL, runs initdb in it and copies the result out (measured about 6 s of CPU and
 * 850 MB of memory per cluster, where opening an existing cluster takes about 1 s). The four
 * stateful subgraphs each need an empty cluster, and an empty cluster is the same bytes whoever owns
 * it, so initdb runs once per checkout and PGlite version into `.urr/cache/` and every new data
 * directory is a copy of that template. Each subgraph then opens its own directory and applies its
 * own migrations as before. (The copies share PostgreSQL's system identifier, which only matters to
 * physical replication between them.)
 *
 * A directory that already holds a cluster, or holds anything at all, is left alone. The template
 * and every copy are written beside their place and renamed into it, so an interrupted start leaves
 * no half cluster.
 */
export interface CreatedClusters {
  /** The data directories that were made. */
  created: string[];
  /** Whether this call ran initdb (false when the cached template served). */
  ranInitdb: boolean;
}

export async function createMissingClusters(
  dataDirs: string[],
  cacheDir = path.join(ROOT, ".urr", "cache"),
): Promise<CreatedClusters> {
  const missing = dataDirs.filter((dir) => !existsSync(dir) || readdirSync(dir).length === 0);
  if (!missing.length) return { created: [], ranInitdb: false };
  const { template, ranInitdb } = await clusterTemplate(cacheDir);
  await Promise.all(
    missing.map(async (dir) => {
      const staging = `${dir}.copy-${process.pid}`;
      await mkdir(path.dirname(dir), { recursive: true });
      await rm(staging, { recursive: true, force: true });
      await copyTree(template, staging);
      // Replaces an empty directory (rename(2) allows that), never one with data.
      await rename(staging, dir);
    }),
  );
  return { created: missing, ranInitdb };
}

/** The initialised, never opened cluster every new data directory starts from. */
async function clusterTemplate(cacheDir: string): Promise<{ template: string; ranInitdb: boolean }> {
  const version = JSON.parse(
    readFileSync(path.join(ROOT, "node_modules/@electric-sql/pglite/package.json"), "utf8"),
  ) as { version: string };
  const template = path.join(cacheDir, `pglite-${version.version}-cluster`);
  if (existsSync(path.join(template, "PG_VERSION"))) return { template, ranInitdb: false };
  const staging = `${template}.tmp-${process.pid}`;
  await mkdir(path.dirname(template), { recursive: true });
  await rm(staging, { recursive: true, force: true });
  try {
    await initdb(staging);
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
function initdb(dataDir: string): Promise<void> {
  const script = `
    const { PGlite } = require("node:module").createRequire(process.argv[1] + "/package.json")("@electric-sql/pglite");
    PGlite.create(process.argv[2]).then((db) => db.close());
  `;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--liftoff-only", "-e", script, ROOT, dataDir],
      { env: { ...process.env, NODE_OPTIONS: "" } },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        reject(new Error(`PGlite initdb in ${dataDir} failed: ${stderr.trim() || error.message}`));
      },
    );
  });
}

/**
 * `cp -R` where there is one: a cluster is about 1,000 files, and Node 20's fs.cp spends several
 * times the CPU of cp(1) on them (measured 0.75 s against 0.07 s per copy).
 */
async function copyTree(from: string, to: string): Promise<void> {
  try {
    await promisify(execFile)("cp", ["-R", from, to]);
  } catch {
    await rm(to, { recursive: true, force: true });
    await cp(from, to, { recursive: true });
  }
}
