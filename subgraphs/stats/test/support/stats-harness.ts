import { CONTEXT_HEADER, type Viewer } from "@urr/auth-tokens";
import { connectPgRunner, type SqlRunner } from "@urr/db";
import { type EventEnvelope, HttpEventTransport, SIGNATURE_HEADER, sign } from "@urr/events";
import { createLogger } from "@urr/logger";
import {
  createTestDatabase,
  type GraphQLResponse,
  graphqlRequest,
  type TestDatabase,
  TestGatewayIdentity,
} from "@urr/testkit";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { STATS_CONSUMES, type StatsApp, startStatsApp } from "../../src/app.ts";
import { loadStatsConfig } from "../../src/config.ts";

export const DELIVERY_SECRET = "stats-test-event-delivery-secret-0123456789";
/** The calendar the harness's views count days in (STATS_TIME_ZONE). */
export const TIME_ZONE = "Asia/Seoul";

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

/** The topic an event type travels on (its contract's), from the type's first word. */
export function topicOf(event: { type: string }): string {
  return `${event.type.split(".")[0]}-events`;
}

export interface StatsHarness {
  app: StatsApp;
  sql: SqlRunner;
  call<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    viewer?: Viewer,
  ): Promise<GraphQLResponse<T>>;
  /** Delivers events as a producer's relay does: signed HTTP to /internal/events, in batches. */
  deliver(events: EventEnvelope[], batchSize?: number): Promise<void>;
  /** POSTs one signed batch and returns the receiver's outcome per event. */
  post(events: unknown[]): Promise<{ status: number; outcomes?: string[] }>;
  /** A graphql-ws subscription straight to the subgraph, signed as the gateway signs it. */
  subscribe<T>(query: string, viewer: Viewer, onNext: (result: T) => void): Promise<() => Promise<void>>;
  count(query: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** The stats subgraph on a fresh PostgreSQL database, its clock pinned to `now`. */
export async function startStatsHarness(
  options: { now?: () => Date; env?: Record<string, string> } = {},
): Promise<StatsHarness> {
  const db: TestDatabase = await createTestDatabase("stats");
  const gateway = await TestGatewayIdentity.create();
  const config = loadStatsConfig({
    DATABASE_URL: db.url,
    PORT: "0",
    LOG_LEVEL: "silent",
    CONTEXT_TOKEN_PUBLIC_KEY: gateway.keys.publicKeyPem,
    EVENT_DELIVERY_SECRET: DELIVERY_SECRET,
    STATS_TIME_ZONE: TIME_ZONE,
    STATS_UPDATE_INTERVAL_MS: "50",
    ...options.env,
  });
  const app = await startStatsApp(config, createLogger("stats", { level: "silent" }), {
    ...(options.now ? { clock: options.now } : {}),
  });
  const receiver = app.subgraph.url.replace(/\/graphql$/, "/internal/events");
  const transport = new HttpEventTransport([{ url: receiver, topics: STATS_CONSUMES }], DELIVERY_SECRET);
  const sql = await connectPgRunner(db.url);
  return {
    app,
    sql,
    call: async (query, variables = {}, viewer) =>
      graphqlRequest(app.subgraph.url, query, variables, { headers: await gateway.headersFor(viewer) }),
    async deliver(events, batchSize = 25) {
      for (let i = 0; i < events.length; i += batchSize) {
        const rows = events.slice(i, i + batchSize).map((envelope) => ({
          id: envelope.id,
          topic: topicOf(envelope),
          messageKey: envelope.aggregateId,
          envelope,
          attempts: 0,
        }));
        await transport.deliver(rows);
      }
    },
    async post(events) {
      const body = JSON.stringify({
        events,
        deliveries: events.map(() => ({ topic: "test", traceparent: null })),
      });
      const response = await fetch(receiver, {
        method: "POST",
        headers: { "content-type": "application/json", [SIGNATURE_HEADER]: sign(body, DELIVERY_SECRET) },
        body,
      });
      const json = (await response.json()) as { outcomes?: string[] };
      return { status: response.status, ...(json.outcomes ? { outcomes: json.outcomes } : {}) };
    },
    async subscribe(query, viewer, onNext) {
      const token = (await gateway.headersFor(viewer))[CONTEXT_HEADER];
      const client = createClient({
        url: app.subgraph.url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { [CONTEXT_HEADER]: token },
      });
      client.subscribe(
        { query, extensions: { [CONTEXT_HEADER]: token } },
        { next: (result) => onNext(result as never), error: () => {}, complete: () => {} },
      );
      return async () => {
        await client.dispose();
      };
    },
    count: async (query, params = []) => Number((await sql.query<{ n: string }>(query, params))[0]?.n),
    async close() {
      await sql.close();
      await app.stop();
      await db.drop();
    },
  };
}
