import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import { demoRoutes } from "../src/demo/demo-routes.ts";
import { SAME_ORIGIN_CSP } from "../src/web-pages/built-page.ts";

/**
 * /demo: the being-prepared page until the build appears, then the built page under the
 * this-origin-only policy; its hashed files cached for good; a plain "none" without DEMO_DIR.
 * A real express app on a free port, a real build directory.
 */
let dir: string;
let servers: http.Server[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "urr-demo-"));
});
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
  rmSync(dir, { recursive: true, force: true });
});

async function serve(demoDir: string | undefined): Promise<string> {
  const app = express();
  app.use(demoRoutes(demoDir));
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function writeBuild(): void {
  mkdirSync(path.join(dir, "assets"), { recursive: true });
  writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>demo</title>");
  writeFileSync(path.join(dir, "assets", "index-AbC123.js"), "console.log(1)");
}

it("says the demo is being prepared (reloading itself) until its build appears, then serves it", async () => {
  const base = await serve(dir);
  const preparing = await fetch(`${base}/demo`);
  expect(preparing.status).toBe(200);
  expect(preparing.headers.get("cache-control")).toBe("no-store");
  const page = await preparing.text();
  expect(page).toContain("being prepared");
  expect(page).toMatch(/<meta http-equiv="refresh" content="\d+">/);
  expect(page).not.toMatch(/<script|<link|src=/);

  writeBuild();
  for (const url of [`${base}/demo`, `${base}/demo/`]) {
    const built = await fetch(url);
    expect(built.status).toBe(200);
    expect(await built.text()).toContain("<title>demo</title>");
    expect(built.headers.get("content-security-policy")).toBe(SAME_ORIGIN_CSP);
    expect(built.headers.get("cache-control")).toBe("no-cache");
  }
});

it("serves the build's hashed files cached for good, and nothing else", async () => {
  writeBuild();
  const base = await serve(dir);
  const script = await fetch(`${base}/demo/assets/index-AbC123.js`);
  expect(script.status).toBe(200);
  expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  expect(script.headers.get("x-content-type-options")).toBe("nosniff");
  expect((await fetch(`${base}/demo/assets/missing-XyZ.js`)).status).toBe(404);
  expect((await fetch(`${base}/demo/assets/../index.html`)).status).toBe(404);
});

it("says there is no demo page when the gateway was not given one", async () => {
  const base = await serve(undefined);
  const answer = await fetch(`${base}/demo`);
  expect(answer.status).toBe(404);
  expect(await answer.text()).toContain("has no demo page");
  expect((await fetch(`${base}/demo/assets/index-AbC123.js`)).status).toBe(404);
});
