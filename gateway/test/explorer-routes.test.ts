import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ANONYMOUS, type Viewer } from "@urr/auth-tokens";
import express from "express";
import type { EdgeClient, PartnerKey } from "../src/edge/edge-client.ts";
import { EdgeRefusal } from "../src/edge/refusal.ts";
import { documentId, trustedDocumentsFrom } from "../src/edge/trusted-documents.ts";
import { EXPLORER_CSP, type ExplorerOptions, explorerRoutes } from "../src/explorer/explorer-routes.ts";

/**
 * The browser's side of /graphql: which requests get the explorer (and which go on to GraphQL),
 * what is served while the build is not there yet, how its files are cached, and who may list the
 * registered documents. A real express app on a free port, a real build directory.
 */
const HTML = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
const BROWSE = "query Browse {\n  events {\n    edges {\n      cursor\n    }\n  }\n}";
const PARTNER = "query PartnerListing {\n  events {\n    edges {\n      cursor\n    }\n  }\n}";
const documents = trustedDocumentsFrom({
  format: "apollo-persisted-query-manifest",
  version: 1,
  operations: [
    { id: documentId(BROWSE), name: "Browse", type: "query", body: BROWSE, clientName: "web" },
    { id: documentId(PARTNER), name: "PartnerListing", type: "query", body: PARTNER, clientName: "partners" },
  ],
});

const admin: Viewer = { authenticated: true, userId: "u1", email: "a@urr.test", role: "ADMIN" };
const key = (scopes: string[], granted: string[]): PartnerKey => ({
  id: "k1",
  partner: "tickethub",
  scopes,
  documents: new Set(granted),
  perMinuteQuota: 60,
  perDayQuota: 1000,
});
const client = (viewer: Viewer, partnerKey?: PartnerKey): EdgeClient => ({
  kind: partnerKey ? "partner" : "first-party",
  name: partnerKey ? "tickethub" : "web",
  viewer,
  partnerKey,
  address: "127.0.0.1",
});

let dir: string;
let servers: http.Server[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "urr-explorer-"));
});
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
  rmSync(dir, { recursive: true, force: true });
});

/** The routes in front of a stand-in for the GraphQL handler, which answers 299. */
async function serve(options: Partial<ExplorerOptions> = {}): Promise<string> {
  const app = express();
  app.use(
    explorerRoutes({
      dir,
      documents,
      identify: async () => client(ANONYMOUS),
      schemaOpenToAll: true,
      ...options,
    }),
  );
  app.use("/graphql", (_req, res) => {
    res.status(299).send("graphql");
  });
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function writeBuild(): void {
  mkdirSync(path.join(dir, "assets"), { recursive: true });
  writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>explorer</title>");
  writeFileSync(path.join(dir, "assets", "index-AbC123.js"), "console.log(1)");
}

describe("GET /graphql from a browser", () => {
  it("says the explorer is being prepared (reloading itself) until its build appears, then serves it", async () => {
    const base = await serve();
    const preparing = await fetch(`${base}/graphql`, { headers: HTML });
    expect(preparing.status).toBe(200);
    expect(preparing.headers.get("content-type")).toMatch(/^text\/html/);
    expect(preparing.headers.get("cache-control")).toBe("no-store");
    const page = await preparing.text();
    expect(page).toContain("being prepared");
    expect(page).toMatch(/<meta http-equiv="refresh" content="\d+">/);
    expect(page).not.toMatch(/<script|<link|src=/); // self-contained

    writeBuild();
    const built = await fetch(`${base}/graphql`, { headers: HTML });
    expect(built.status).toBe(200);
    expect(await built.text()).toContain("<title>explorer</title>");
    expect(built.headers.get("content-security-policy")).toBe(EXPLORER_CSP);
    expect(built.headers.get("cache-control")).toBe("no-cache");
  });

  it("leaves GraphQL requests to GraphQL: a query string, JSON preferred, or any type accepted", async () => {
    writeBuild();
    const base = await serve();
    const get = (url: string, accept: string) => fetch(url, { headers: { accept } });
    expect((await get(`${base}/graphql?query=%7B__typename%7D`, HTML.accept)).status).toBe(299);
    expect((await get(`${base}/graphql`, "application/json")).status).toBe(299);
    expect((await get(`${base}/graphql`, "application/graphql-response+json, text/html;q=0.5")).status).toBe(
      299,
    );
    expect((await get(`${base}/graphql`, "*/*")).status).toBe(299); // curl
    const post = await fetch(`${base}/graphql`, { method: "POST", headers: HTML });
    expect(post.status).toBe(299);
  });

  it("says there is no explorer when the gateway was not given one", async () => {
    const base = await serve({ dir: undefined });
    const answer = await fetch(`${base}/graphql`, { headers: HTML });
    expect(answer.status).toBe(404);
    expect(await answer.text()).toContain("has no schema explorer");
    expect((await fetch(`${base}/explorer/assets/index-AbC123.js`)).status).toBe(404);
  });

  it("serves the build's hashed files with their type, cached for good, and nothing else", async () => {
    writeBuild();
    const base = await serve();
    const script = await fetch(`${base}/explorer/assets/index-AbC123.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(script.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await fetch(`${base}/explorer/assets/missing-XyZ.js`)).status).toBe(404);
    expect((await fetch(`${base}/explorer/assets/../index.html`)).status).toBe(404);
  });
});

describe("GET /graphql/documents", () => {
  const list = async (base: string) => {
    const answer = await fetch(`${base}/graphql/documents`);
    const body = (await answer.json()) as {
      documents?: { name: string; body: string; id: string; clientName: string | null }[];
      errors?: { extensions: Record<string, unknown> }[];
    };
    return { status: answer.status, body, cache: answer.headers.get("cache-control") };
  };

  it("lists every document with its text and id while the schema is open to all (development)", async () => {
    const listed = await list(await serve({ schemaOpenToAll: true }));
    expect(listed.status).toBe(200);
    expect(listed.cache).toBe("private, no-store");
    expect(listed.body.documents).toEqual([
      { id: documentId(BROWSE), name: "Browse", type: "query", clientName: "web", body: BROWSE },
      {
        id: documentId(PARTNER),
        name: "PartnerListing",
        type: "query",
        clientName: "partners",
        body: PARTNER,
      },
    ]);
  });

  it("in production lists them to admins and schema:read keys, a key's own to a partner, none to others", async () => {
    const as = async (who: EdgeClient) =>
      list(await serve({ schemaOpenToAll: false, identify: async () => who }));
    const names = (listed: Awaited<ReturnType<typeof list>>) => listed.body.documents?.map((d) => d.name);

    const anonymous = await as(client(ANONYMOUS));
    expect(anonymous.status).toBe(403);
    expect(anonymous.body.errors?.[0]?.extensions).toEqual({
      code: "FORBIDDEN",
      reason: "INTROSPECTION_DISABLED",
    });
    expect(names(await as(client(admin)))).toEqual(["Browse", "PartnerListing"]);
    expect(names(await as(client(ANONYMOUS, key(["schema:read"], []))))).toEqual([
      "Browse",
      "PartnerListing",
    ]);
    expect(names(await as(client(ANONYMOUS, key([], ["PartnerListing"]))))).toEqual(["PartnerListing"]);
    expect((await as(client(ANONYMOUS, key([], [])))).status).toBe(403);
    const fan: Viewer = { authenticated: true, userId: "u2", email: "f@urr.test", role: "USER" };
    expect((await as(client(fan))).status).toBe(403);
  });

  it("refuses a caller whose credentials do not verify as the edge does", async () => {
    const refusal = EdgeRefusal.coded(401, "API_KEY_INVALID", "Unknown API key");
    const listed = await list(await serve({ identify: async () => refusal }));
    expect(listed.status).toBe(401);
    expect(listed.body.errors?.[0]?.extensions).toEqual({ code: "API_KEY_INVALID" });
  });
});
