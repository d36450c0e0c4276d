import { randomUUID } from "node:crypto";
import { generateSigningKeyPair, importSigningKey, signEntryToken, type Viewer } from "@urr/auth-tokens";
import { connectPgRunner, type SqlRunner } from "@urr/db";
import { ArtistUpserted, createEvent, EventUpserted } from "@urr/events";
import { createLogger } from "@urr/logger";
import {
  createTestDatabase,
  type GraphQLResponse,
  graphqlRequest,
  type TestDatabase,
  TestGatewayIdentity,
} from "@urr/testkit";
import { startTicketApp, type TicketApp } from "../../src/app.ts";
import { loadTicketConfig } from "../../src/config.ts";
import type { LayoutDefinition } from "../../src/domain/records.ts";

export const ADMIN: Viewer = {
  authenticated: true,
  userId: "00000000-0000-4000-8000-00000000a001",
  email: "admin@urr.test",
  role: "ADMIN",
};

export function fan(n: number): Viewer {
  return {
    authenticated: true,
    userId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    email: `fan${n}@urr.test`,
    role: "USER",
  };
}

export interface TicketHarness {
  app: TicketApp;
  db: TestDatabase;
  sql: SqlRunner;
  queries: string[];
  /**
   * What the subgraph logged at error level (masked failures among them), newest last: a test
   * that meets an INTERNAL_SERVER_ERROR names its cause with it.
   */
  errorLog: string[];
  call<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    viewer?: Viewer,
  ): Promise<GraphQLResponse<T>>;
  count(query: string, params?: unknown[]): Promise<number>;
  /**
   * The waiting room's pass for a viewer and event, signed with the key ticket trusts (as queue
   * would on admission). `call` fills a `$t` variable with one when a test does not pass its own.
   */
  pass(viewer: Viewer, eventId: string, ttlSeconds?: number): Promise<string>;
  /** Makes ticket aware of an event, as catalog-events would (of a random artist unless given). */
  publishEvent(options?: {
    saleOpensInDays?: number;
    saleStartsAt?: Date;
    cancelled?: boolean;
    artistId?: string;
  }): Promise<string>;
  /** Makes ticket aware of an artist and its fan-club price, as catalog-events would. */
  publishArtist(options?: {
    artistId?: string;
    membershipPrice?: number;
    revision?: number;
  }): Promise<string>;
  /** A layout with `rows` rows of `seatsPerRow` seats in section A, generated for the event. */
  seatEvent(eventId: string, rows?: number, seatsPerRow?: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function startTicketHarness(env: Record<string, string> = {}): Promise<TicketHarness> {
  const db = await createTestDatabase("ticket");
  const gateway = await TestGatewayIdentity.create();
  const entryKeys = await generateSigningKeyPair();
  const entryKey = await importSigningKey(entryKeys.privateKeyPem);
  const queries: string[] = [];
  const errorLog: string[] = [];
  const config = loadTicketConfig({
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: "20",
    PORT: "0",
    LOG_LEVEL: "silent",
    CONTEXT_TOKEN_PUBLIC_KEY: gateway.keys.publicKeyPem,
    ENTRY_TOKEN_PUBLIC_KEY: entryKeys.publicKeyPem,
    REDIS_URL: process.env.REDIS_URL || "redis://127.0.0.1:6379",
    ...env,
  });
  const logger = createLogger("ticket", {
    level: "error",
    destination: { write: (line: string) => void errorLog.push(line.trim()) },
  });
  const app = await startTicketApp(config, logger, {
    onQuery: (sql) => queries.push(sql),
    runSweeper: false,
  });
  const sql = await connectPgRunner(db.url);
  const h: TicketHarness = {
    app,
    db,
    sql,
    queries,
    errorLog,
    call: async (query, variables = {}, viewer) => {
      const vars: Record<string, unknown> = { ...variables };
      if (
        query.includes("$t: String") &&
        !("t" in vars) &&
        viewer?.authenticated &&
        typeof vars.e === "string"
      ) {
        vars.t = await h.pass(viewer, vars.e);
      }
      return graphqlRequest(app.subgraph.url, query, vars, { headers: await gateway.headersFor(viewer) });
    },
    pass: async (viewer, eventId, ttlSeconds = 600) => {
      if (!viewer.authenticated) throw new Error("only signed-in users are admitted");
      return (await signEntryToken({ userId: viewer.userId, eventId, admission: 1 }, entryKey, ttlSeconds))
        .token;
    },
    count: async (query, params = []) => Number((await sql.query<{ n: string }>(query, params))[0]?.n),
    async publishEvent(options = {}) {
      const eventId = randomUUID();
      const day = 86_400_000;
      const opens = options.saleStartsAt?.getTime() ?? Date.now() + (options.saleOpensInDays ?? -1) * day;
      await app.projection.apply(
        createEvent(EventUpserted, eventId, {
          eventId,
          artistId: options.artistId ?? randomUUID(),
          title: "Test Show",
          startsAt: new Date(Date.now() + 30 * day).toISOString(),
          saleStartsAt: new Date(opens).toISOString(),
          saleEndsAt: new Date(Date.now() + 29 * day).toISOString(),
          cancelledAt: options.cancelled ? new Date().toISOString() : null,
          revision: 1,
        }),
      );
      return eventId;
    },
    async publishArtist(options = {}) {
      const artistId = options.artistId ?? randomUUID();
      await app.projection.apply(
        createEvent(ArtistUpserted, artistId, {
          artistId,
          name: `Artist ${artistId.slice(0, 8)}`,
          membershipPrice: options.membershipPrice ?? 30_000,
          revision: options.revision ?? 1,
        }),
      );
      return artistId;
    },
    async seatEvent(eventId, rows = 1, seatsPerRow = 10) {
      const definition: LayoutDefinition = {
        priceTiers: [{ name: "R", price: 100_000 }],
        sections: [
          {
            name: "A",
            priceTier: "R",
            x: 0,
            y: 0,
            rows: Array.from({ length: rows }, (_, i) => ({ label: String(i + 1), seats: seatsPerRow })),
          },
        ],
      };
      const layout = await app.seating.createLayout(ADMIN, { name: `Layout ${randomUUID()}`, definition });
      await app.seating.generateSeats(ADMIN, eventId, layout.id);
      const seats = await sql.query<{ id: string }>(
        "SELECT id FROM seats WHERE event_id = $1 ORDER BY row_index, number",
        [eventId],
      );
      return seats.map((s) => s.id);
    },
    async close() {
      await sql.close();
      await app.stop();
      await db.drop();
    },
  };
  return h;
}

export const HOLD = `mutation($e: ID!, $s: [ID!]!, $k: String!, $t: String) {
  holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: $t) { id status totalAmount items { seat { id label status } } }
}`;

export type HoldData = { holdSeats: { id: string; status: string; items: { seat: { id: string } }[] } };
