import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildServices } from "../../scripts/lib/build.ts";

/**
 * `npm start` runs the services from bundles cached by a hash of the sources: a start with nothing
 * changed reuses them, a change to any source builds anew, and the bundled code still finds files
 * beside its sources. Built here from a small tree of the same layout as the repository's.
 */
let root: string;
const ENTRY = "gateway/src/main.ts";

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

function run(bundle: string): string {
  return execFileSync(process.execPath, [bundle], { encoding: "utf8" }).trim();
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "urr-build-"));
  write("package.json", '{ "name": "tree", "private": true }\n');
  write("tsconfig.json", "{}\n");
  write("packages/greeting/src/index.ts", 'export const greeting: string = "hello";\n');
  write(
    ENTRY,
    [
      'import path from "node:path";',
      'import { greeting } from "../../packages/greeting/src/index.ts";',
      'console.log(greeting + " from " + path.relative(process.argv[2] ?? "", __dirname));',
    ].join("\n"),
  );
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

it("bundles an entry with the workspace code it imports, and __dirname is the source's directory", async () => {
  const build = await buildServices([ENTRY], { root });
  const bundle = build.entries.get(ENTRY) as string;
  expect(build.built).toBe(true);
  expect(bundle.startsWith(path.join(root, ".urr", "build"))).toBe(true);
  expect(execFileSync(process.execPath, [bundle, root], { encoding: "utf8" }).trim()).toBe(
    `hello from ${path.join("gateway", "src")}`,
  );
});

it("reuses the build while the sources are unchanged", async () => {
  const first = await buildServices([ENTRY], { root });
  const second = await buildServices([ENTRY], { root });
  expect(second.built).toBe(false);
  expect(second.outDir).toBe(first.outDir);
});

it("builds again when an imported source changes, and runs the new code", async () => {
  const first = await buildServices([ENTRY], { root });
  write("packages/greeting/src/index.ts", 'export const greeting: string = "changed";\n');
  const second = await buildServices([ENTRY], { root });
  expect(second.built).toBe(true);
  expect(second.outDir).not.toBe(first.outDir);
  expect(run(second.entries.get(ENTRY) as string)).toMatch(/^changed from /);
  // The earlier build stays (another start may be running it) until newer ones replace it.
  expect(existsSync(first.outDir)).toBe(true);
});

it("builds again when a workspace manifest changes", async () => {
  const first = await buildServices([ENTRY], { root });
  write("packages/greeting/package.json", '{ "name": "@urr/greeting", "main": "src/index.ts" }\n');
  const second = await buildServices([ENTRY], { root });
  expect(second.outDir).not.toBe(first.outDir);
});
