import { randomUUID } from "node:crypto";
import type { AuthenticatedViewer, Viewer } from "@urr/auth-tokens";
import { connectPgRunner, type SqlRunner } from "@urr/db";
import { createEvent, MembershipActivated, MembershipExpired, MembershipRenewed } from "@urr/events";
import { createLogger } from "@urr/logger";
import { createTestDatabase, type GraphQLResponse, graphqlRequest, TestGatewayIdentity } from "@urr/testkit";
import { type CommunityApp, type CommunityAppOptions, startCommunityApp } from "../../src/app.ts";
import { loadCommunityConfig } from "../../src/config.ts";

export function fan(n: number): AuthenticatedViewer {
  return {
    authenticated: true,
    userId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    email: `fan${n}@urr.test`,
    role: "USER",
  };
}

export const ADMIN: AuthenticatedViewer = { ...fan(999_999), role: "ADMIN", email: "admin@urr.test" };
export const ANONYMOUS: Viewer = { authenticated: false };

const YEAR_MS = 365 * 86_400_000;

/** What ticket would announce about one membership, revision by revision. */
export interface MembershipAnnouncer {
  membershipId: string;
  /** The membership began (ACTIVE) with a term ending at `expiresAt` (a year from now by default). */
  activate(expiresAt?: Date): Promise<string>;
  renew(expiresAt?: Date): Promise<string>;
  expire(): Promise<string>;
}

export interface CommunityHarness {
  app: CommunityApp;
  dbUrl: string;
  sql: SqlRunner;
  call<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    viewer?: Viewer,
  ): Promise<GraphQLResponse<T>>;
  count(query: string, params?: unknown[]): Promise<number>;
  /** Plays ticket's membership-events for `user`'s membership of `artistId`, through the consumer. */
  membership(user: AuthenticatedViewer, artistId: string): MembershipAnnouncer;
  /** A member of `artistId` (ACTIVE for a year), for tests that only need someone who may write. */
  member(n: number, artistId: string): Promise<AuthenticatedViewer>;
  close(): Promise<void>;
}

/** The community subgraph on a fresh PostgreSQL database, called as the gateway calls it. */
export async function startCommunityHarness(
  env: Record<string, string> = {},
  options: CommunityAppOptions = {},
): Promise<CommunityHarness> {
  const database = await createTestDatabase("community");
  const gateway = await TestGatewayIdentity.create();
  const config = loadCommunityConfig({
    DATABASE_URL: database.url,
    PORT: "0",
    LOG_LEVEL: "silent",
    CONTEXT_TOKEN_PUBLIC_KEY: gateway.keys.publicKeyPem,
    DATABASE_POOL_SIZE: "20",
    ...env,
  });
  const app = await startCommunityApp(config, createLogger("community", { level: "silent" }), options);
  const sql = await connectPgRunner(database.url);

  const membership = (user: AuthenticatedViewer, artistId: string): MembershipAnnouncer => {
    const membershipId = randomUUID();
    let revision = 0;
    let expiresAt = new Date(Date.now() + YEAR_MS);
    const state = () => ({
      membershipId,
      userId: user.userId,
      artistId,
      tier: "SILVER" as const,
      points: 200,
      expiresAt: expiresAt.toISOString(),
      revision,
    });
    return {
      membershipId,
      async activate(until = new Date(Date.now() + YEAR_MS)) {
        revision += 1;
        expiresAt = until;
        return app.memberships.handle(
          createEvent(MembershipActivated, membershipId, { ...state(), paymentId: randomUUID() }),
        );
      },
      async renew(until = new Date(Date.now() + YEAR_MS)) {
        revision += 1;
        expiresAt = until;
        return app.memberships.handle(
          createEvent(MembershipRenewed, membershipId, { ...state(), paymentId: randomUUID() }),
        );
      },
      async expire() {
        revision += 1;
        return app.memberships.handle(createEvent(MembershipExpired, membershipId, state()));
      },
    };
  };

  return {
    app,
    dbUrl: database.url,
    sql,
    call: async (query, variables = {}, viewer) =>
      graphqlRequest(app.subgraph.url, query, variables, { headers: await gateway.headersFor(viewer) }),
    count: async (query, params = []) => Number((await sql.query<{ n: string }>(query, params))[0]?.n),
    membership,
    async member(n, artistId) {
      const user = fan(n);
      await membership(user, artistId).activate();
      return user;
    },
    async close() {
      await sql.close();
      await app.stop();
      await database.drop();
    },
  };
}

/** The first error's code and extensions, for asserting refusals. */
export function refusal(response: GraphQLResponse<unknown>): Record<string, unknown> | undefined {
  return response.errors?.[0]?.extensions;
}
