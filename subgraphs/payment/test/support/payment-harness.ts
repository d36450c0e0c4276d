import type { AuthenticatedViewer, Viewer } from "@urr/auth-tokens";
import { connectPgRunner, type SqlRunner } from "@urr/db";
import { createLogger } from "@urr/logger";
import {
  createTestDatabase,
  type GraphQLResponse,
  graphqlRequest,
  type TestDatabase,
  TestGatewayIdentity,
} from "@urr/testkit";
import { type PaymentApp, startPaymentApp } from "../../src/app.ts";
import { loadPaymentConfig } from "../../src/config.ts";
import { FakeTicketApi } from "./fake-ticket-api.ts";
import { FakeToss } from "./fake-toss.ts";

export const SERVICE_SECRET = "payment-test-internal-service-secret-0123456789";

export function fan(n: number): AuthenticatedViewer {
  return {
    authenticated: true,
    userId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    email: `fan${n}@urr.test`,
    role: "USER",
  };
}

export const ADMIN: Viewer = { ...fan(999), role: "ADMIN", email: "admin@urr.test" };

export interface PaymentHarness {
  app: PaymentApp;
  /** A second payment process on the same database and provider (another replica). */
  startReplica(): Promise<PaymentApp>;
  toss: FakeToss;
  ticket: FakeTicketApi;
  db: TestDatabase;
  sql: SqlRunner;
  call<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    viewer?: Viewer,
  ): Promise<GraphQLResponse<T>>;
  count(query: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** The payment subgraph on a fresh PostgreSQL database, Toss played by a local server. */
export async function startPaymentHarness(env: Record<string, string> = {}): Promise<PaymentHarness> {
  const db = await createTestDatabase("payment");
  const gateway = await TestGatewayIdentity.create();
  const toss = new FakeToss();
  const ticket = new FakeTicketApi(SERVICE_SECRET);
  const config = loadPaymentConfig({
    DATABASE_URL: db.url,
    PORT: "0",
    LOG_LEVEL: "silent",
    CONTEXT_TOKEN_PUBLIC_KEY: gateway.keys.publicKeyPem,
    PAYMENT_PROVIDER: "toss",
    PAYMENT_PROVIDER_URL: await toss.start(),
    PAYMENT_PROVIDER_SECRET_KEY: toss.secretKey,
    PAYMENT_PROVIDER_TIMEOUT_MS: "400",
    TICKET_INTERNAL_URL: await ticket.start(),
    INTERNAL_API_SECRET: SERVICE_SECRET,
    RECONCILE_INTERVAL_MS: "0",
    TICKET_CIRCUIT_RESET_MS: "300",
    ...env,
  });
  const logger = createLogger("payment", { level: "silent" });
  const app = await startPaymentApp(config, logger);
  const replicas: PaymentApp[] = [];
  const sql = await connectPgRunner(db.url);
  return {
    app,
    async startReplica() {
      const replica = await startPaymentApp(config, logger);
      replicas.push(replica);
      return replica;
    },
    toss,
    ticket,
    db,
    sql,
    call: async (query, variables = {}, viewer) =>
      graphqlRequest(app.subgraph.url, query, variables, { headers: await gateway.headersFor(viewer) }),
    count: async (query, params = []) => Number((await sql.query<{ n: string }>(query, params))[0]?.n),
    async close() {
      await sql.close();
      for (const replica of replicas) await replica.stop();
      await app.stop();
      await toss.stop();
      await ticket.stop();
      await db.drop();
    },
  };
}
