/**
 * A V8 code cache for the npm dependencies of a service process (Node 20 has no
 * `module.enableCompileCache`; Node 22 does, and this file can go when the engines field moves).
 *
 * Every service requires the same few hundred files from node_modules on every start (Apollo,
 * graphql-js, Prisma's runtime, PGlite, kafkajs, ioredis…) and V8 parses and compiles each of them
 * again: on a restart that was the largest share of a service's CPU after PGlite. Here the
 * CommonJS loader compiles those files with the code V8 produced for them on the previous run, kept
 * in one file per service; a file whose text changed (another version installed) is compiled anew,
 * as is everything when V8 refuses the cache (another Node, other V8 flags).
 *
 * Loaded with `node --require` before the service's bundle when URR_COMPILE_CACHE names the cache
 * file. Only files under node_modules are cached: the service's own bundle keeps Node's loader,
 * with its source map. The cache is written 20 s after the start (or at an earlier exit), and
 * only when something was compiled without it, so a steady restart reads it and never writes.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import Module from "node:module";
import path from "node:path";
import vm from "node:vm";

/** Node's CommonJS internals this relies on (stable since Node 12; v8-compile-cache uses the same). */
interface LoaderModule {
  exports: unknown;
  require(id: string): unknown;
  /** `format` (Node 20.19+, with require(esm)): "module" for an ES module, else CommonJS. */
  _compile(content: string, filename: string, format?: string): unknown;
}
interface LoaderStatics {
  wrap(content: string): string;
  _resolveFilename(request: string, parent: LoaderModule, isMain: boolean, options?: object): string;
  _resolveLookupPaths(request: string, parent: LoaderModule): string[] | null;
  _extensions: object;
  _cache: object;
}

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;
const DYNAMIC_IMPORT = /\bimport\s*\(/;
/** Every service is ready well before this on a loaded 2-core machine. */
const SAVE_AFTER_MS = 20_000;

/** Cache file layout: 4-byte index length, the JSON index, then every entry's bytes in order. */
interface IndexEntry {
  key: string;
  length: number;
}

function readCache(file: string): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  try {
    const bytes = readFileSync(file);
    const indexLength = bytes.readUInt32LE(0);
    const index = JSON.parse(bytes.subarray(4, 4 + indexLength).toString("utf8")) as IndexEntry[];
    let offset = 4 + indexLength;
    for (const { key, length } of index) {
      entries.set(key, bytes.subarray(offset, offset + length));
      offset += length;
    }
  } catch {
    // No cache yet, or an unreadable one: everything compiles as without it.
  }
  return entries;
}

function writeCache(file: string, scripts: Map<string, vm.Script>): void {
  const index: IndexEntry[] = [];
  const chunks: Buffer[] = [];
  for (const [key, script] of scripts) {
    // After the run, so the functions compiled lazily since are in it too.
    const data = script.createCachedData();
    index.push({ key, length: data.length });
    chunks.push(data);
  }
  const header = Buffer.from(JSON.stringify(index), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  mkdirSync(path.dirname(file), { recursive: true });
  // Written beside and renamed, so a concurrent start reads the old cache or the new one, whole.
  const staging = `${file}.${process.pid}`;
  writeFileSync(staging, Buffer.concat([length, header, ...chunks]));
  renameSync(staging, file);
}

function requireFor(mod: LoaderModule, loader: LoaderStatics): NodeJS.Require {
  const require = ((id: string) => mod.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: object) =>
    loader._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => loader._resolveLookupPaths(request, mod);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = loader._extensions as NodeJS.Require["extensions"];
  require.cache = loader._cache as NodeJS.Require["cache"];
  return require;
}

function install(file: string): void {
  const loader = Module as unknown as LoaderStatics;
  const prototype = Module.prototype as unknown as LoaderModule;
  const compile = prototype._compile;
  const cached = readCache(file);
  const compiled = new Map<string, vm.Script>();
  let stale = false;

  prototype._compile = function compileWithCache(
    this: LoaderModule,
    content: string,
    filename: string,
    format?: string,
  ) {
    // ES modules required from CommonJS (jose, for one) and our own bundle keep Node's loader.
    const commonjs = format === undefined || format === "commonjs";
    // So do files with import(): on Node 20 a script compiled from cached data loses its dynamic
    // import callback ("A dynamic import callback was not specified").
    if (!commonjs || !filename.includes(NODE_MODULES) || DYNAMIC_IMPORT.test(content)) {
      return compile.call(this, content, filename, format);
    }
    const key = `${filename}\0${createHash("sha1").update(content).digest("base64url")}`;
    const cachedData = cached.get(key);
    const script = new vm.Script(loader.wrap(content), {
      filename,
      ...(cachedData ? { cachedData } : {}),
    });
    if (!cachedData || script.cachedDataRejected) stale = true;
    compiled.set(key, script);
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const dirname = path.dirname(filename);
    return wrapper.call(this.exports, this.exports, requireFor(this, loader), this, filename, dirname);
  };

  const save = () => {
    if (!stale) return;
    stale = false;
    try {
      writeCache(file, compiled);
      compiled.clear();
    } catch {
      // A cache that cannot be written only costs the next start its speed.
    }
  };
  // Once the start is over (what a start compiles is what the next start needs), and at exit for a
  // process that ends sooner; the timer never keeps a process alive.
  setTimeout(save, SAVE_AFTER_MS).unref();
  process.once("exit", save);
}

const cacheFile = process.env.URR_COMPILE_CACHE;
if (cacheFile) install(cacheFile);
