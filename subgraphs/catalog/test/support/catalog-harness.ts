import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Viewer } from "@urr/auth-tokens";
import { connectPgRunner, type SqlRunner } from "@urr/db";
import { createLogger } from "@urr/logger";
import { createTestDatabase, type GraphQLResponse, graphqlRequest, TestGatewayIdentity } from "@urr/testkit";
import { type CatalogApp, startCatalogApp } from "../../src/app.ts";
import { loadCatalogConfig } from "../../src/config.ts";

export const ADMIN: Viewer = {
  authenticated: true,
  userId: "00000000-0000-4000-8000-00000000a001",
  email: "admin@urr.test",
  role: "ADMIN",
};
export const FAN: Viewer = {
  authenticated: true,
  userId: "00000000-0000-4000-8000-00000000f001",
  email: "fan@urr.test",
  role: "USER",
};

export interface CatalogHarness {
  app: CatalogApp;
  /** The test database's connection string. */
  dbUrl: string;
  url: string;
  baseUrl: string;
  sql: SqlRunner;
  call<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    viewer?: Viewer,
  ): Promise<GraphQLResponse<T>>;
  count(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** The catalog subgraph on a fresh PostgreSQL database, called as the gateway calls it. */
export async function startCatalogHarness(env: Record<string, string> = {}): Promise<CatalogHarness> {
  const database = await createTestDatabase("catalog");
  const gateway = await TestGatewayIdentity.create();
  const config = loadCatalogConfig({
    DATABASE_URL: database.url,
    PORT: "0",
    LOG_LEVEL: "silent",
    CONTEXT_TOKEN_PUBLIC_KEY: gateway.keys.publicKeyPem,
    POSTER_DIR: mkdtempSync(path.join(tmpdir(), "urr-posters-")),
    POSTER_SIGNING_SECRET: "test-secret-test-secret-test-secret-1234",
    ...env,
  });
  const app = await startCatalogApp({ ...config }, createLogger("catalog", { level: "silent" }));
  const baseUrl = app.subgraph.url.replace(/\/graphql$/, "");
  const sql = await connectPgRunner(database.url);
  return {
    app,
    dbUrl: database.url,
    url: app.subgraph.url,
    baseUrl,
    sql,
    call: async (query, variables = {}, viewer) =>
      graphqlRequest(app.subgraph.url, query, variables, { headers: await gateway.headersFor(viewer) }),
    count: async (query, params = []) => Number((await sql.query<{ n: string }>(query, params))[0]?.n),
    async close() {
      await sql.close();
      await app.stop();
      await database.drop();
    },
  };
}
