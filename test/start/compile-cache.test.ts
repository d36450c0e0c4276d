import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildServices } from "../../scripts/lib/build.ts";

/**
 * The code cache of the services' npm dependencies (scripts/lib/compile-cache.ts): a start after
 * the first reads it and does not write it again, a dependency whose text changed runs its new text
 * (and the cache is rewritten), and CommonJS semantics are kept (require, module, __filename,
 * require.resolve). Exercised with the preload built as `npm start` builds it, on a small tree with
 * a package of its own under node_modules.
 */
let root: string;
let preload: string;
let cacheFile: string;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

function writePackage(version: string): void {
  write("node_modules/tune/package.json", '{ "name": "tune", "main": "index.js" }\n');
  write(
    "node_modules/tune/index.js",
    [
      'const path = require("node:path");',
      `exports.version = ${JSON.stringify(version)};`,
      "exports.file = path.basename(__filename);",
      'exports.resolved = path.basename(require.resolve("./index.js"));',
      "exports.same = module.exports === exports;",
    ].join("\n"),
  );
}

function run(): string {
  return execFileSync(
    process.execPath,
    ["--require", preload, "-e", 'const t = require("tune"); console.log(JSON.stringify(t))'],
    { cwd: root, encoding: "utf8", env: { ...process.env, URR_COMPILE_CACHE: cacheFile } },
  ).trim();
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "urr-compile-cache-"));
  write("package.json", '{ "name": "tree", "private": true }\n');
  write("tsconfig.json", "{}\n");
  write("gateway/src/main.ts", 'console.log("gateway");\n');
  preload = (await buildServices(["gateway/src/main.ts"], { root })).compileCache;
  cacheFile = path.join(root, ".urr", "cache", "v8", "service.v8");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

it("writes the cache on the first run, reads it unchanged on the next, and keeps CommonJS semantics", () => {
  writePackage("1");
  const expected = JSON.stringify({ version: "1", file: "index.js", resolved: "index.js", same: true });
  expect(run()).toBe(expected);
  const written = statSync(cacheFile).mtimeMs;
  expect(readFileSync(cacheFile).length).toBeGreaterThan(0);

  expect(run()).toBe(expected);
  // Every file was compiled from the cache, so nothing was stale and nothing was written.
  expect(statSync(cacheFile).mtimeMs).toBe(written);
});

it("runs a dependency's new text when it changed, and rewrites the cache", () => {
  writePackage("1");
  run();
  const before = statSync(cacheFile).mtimeMs;
  writePackage("2");
  expect(JSON.parse(run()).version).toBe("2");
  expect(statSync(cacheFile).mtimeMs).toBeGreaterThan(before);
});

it("treats an unreadable cache as none", () => {
  writeFileSync(cacheFile, "not a cache");
  writePackage("3");
  expect(JSON.parse(run()).version).toBe("3");
  expect(readFileSync(cacheFile, "utf8")).not.toBe("not a cache");
});
