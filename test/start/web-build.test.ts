import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { buildWebPage, webBuildPlace } from "../../scripts/lib/web-build.ts";

/**
 * The web pages the gateway serves are built by Vite into a directory named after their sources
 * and the lockfile: computed without building (npm start hands it to the gateway first), built
 * once, reused while nothing changed, built anew when a source changes, and built once when two
 * processes ask at the same time. A small page in a tree of the repository's layout, inside the
 * repository (.urr/) so it resolves Vite from node_modules.
 */
const REPO = path.resolve(__dirname, "..", "..");
let root: string;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

beforeEach(() => {
  mkdirSync(path.join(REPO, ".urr"), { recursive: true });
  root = mkdtempSync(path.join(REPO, ".urr", "web-build-test-"));
  write("package-lock.json", '{ "lockfileVersion": 3 }\n');
  write(
    "web/hello/index.html",
    '<!doctype html><div id="app"></div><script type="module" src="./src/main.ts"></script>\n',
  );
  write("web/hello/src/main.ts", 'document.getElementById("app")!.textContent = "hello";\n');
  write(
    "web/hello/vite.config.mts",
    'export default { root: import.meta.dirname, base: "/hello/", logLevel: "silent", publicDir: false };\n',
  );
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const bundleText = (outDir: string) => {
  const assets = path.join(outDir, "assets");
  return readdirSync(assets)
    .filter((f) => f.endsWith(".js"))
    .map((f) => readFileSync(path.join(assets, f), "utf8"))
    .join("");
};

it("names the build directory before building, builds into it once, and reuses it", async () => {
  const place = await webBuildPlace("hello", { root });
  expect(place.outDir.startsWith(path.join(root, ".urr", "web", "hello"))).toBe(true);
  expect(existsSync(place.outDir)).toBe(false);

  const first = await buildWebPage("hello", { root });
  expect(first).toMatchObject({ built: true, outDir: place.outDir });
  expect(readFileSync(path.join(place.outDir, "index.html"), "utf8")).toMatch(
    /src="\/hello\/assets\/[^"]+\.js"/,
  );
  expect(bundleText(place.outDir)).toContain("hello");

  const again = await buildWebPage("hello", { root });
  expect(again).toMatchObject({ built: false, outDir: place.outDir });
}, 60_000);

it("builds anew when a source or the lockfile changes", async () => {
  const first = await buildWebPage("hello", { root });
  write("web/hello/src/main.ts", 'document.getElementById("app")!.textContent = "changed";\n');
  const second = await buildWebPage("hello", { root });
  expect(second.built).toBe(true);
  expect(second.outDir).not.toBe(first.outDir);
  expect(bundleText(second.outDir)).toContain("changed");
  write("package-lock.json", '{ "lockfileVersion": 3, "packages": {} }\n');
  expect((await webBuildPlace("hello", { root })).outDir).not.toBe(second.outDir);
}, 60_000);

it("builds once when two callers ask at once; a failed build publishes nothing", async () => {
  const [a, b] = await Promise.all([buildWebPage("hello", { root }), buildWebPage("hello", { root })]);
  expect([a.built, b.built].sort()).toEqual([false, true]);
  expect(a.outDir).toBe(b.outDir);

  write("web/hello/src/main.ts", "this is not TypeScript (\n");
  const broken = await webBuildPlace("hello", { root });
  await expect(buildWebPage("hello", { root })).rejects.toThrow(/vite build of web\/hello failed/);
  expect(existsSync(broken.outDir)).toBe(false);
  expect(readdirSync(path.dirname(broken.outDir)).filter((name) => name.includes(".tmp-"))).toEqual([]);
}, 60_000);
