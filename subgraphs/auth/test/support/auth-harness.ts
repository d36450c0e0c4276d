import { generateSigningKeyPair, importVerifyingKey, type Viewer, verifyAccessToken } from "@urr/auth-tokens";
import { connectPgRunner, type SqlRunner } from "@urr/db";
import { createLogger } from "@urr/logger";
import { createTestDatabase, type GraphQLResponse, graphqlRequest, TestGatewayIdentity } from "@urr/testkit";
import { type AuthApp, startAuthApp } from "../../src/app.ts";
import { loadAuthConfig } from "../../src/config.ts";

/**
 * The auth subgraph on a fresh PostgreSQL database, called over HTTP exactly as the gateway calls
 * it (with a signed context), plus direct SQL access for asserting what was written.
 */
export interface AuthHarness {
  app: AuthApp;
  url: string;
  sql: SqlRunner;
  gateway: TestGatewayIdentity;
  call<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { viewer?: Viewer; cookie?: string },
  ): Promise<GraphQLResponse<T>>;
  /** The viewer an access token stands for, as the gateway would establish it. */
  viewerOf(accessToken: string): Promise<Viewer>;
  close(): Promise<void>;
}

export async function startAuthHarness(env: Record<string, string> = {}): Promise<AuthHarness> {
  const database = await createTestDatabase("auth");
  const gateway = await TestGatewayIdentity.create();
  const access = await generateSigningKeyPair();
  const config = loadAuthConfig({
    DATABASE_URL: database.url,
    PORT: "0",
    LOG_LEVEL: "silent",
    CONTEXT_TOKEN_PUBLIC_KEY: gateway.keys.publicKeyPem,
    ACCESS_TOKEN_PRIVATE_KEY: access.privateKeyPem,
    PASSWORD_HASH_LOG2N: "10",
    ...env,
  });
  const app = await startAuthApp(config, createLogger("auth", { level: "silent" }));
  const sql = await connectPgRunner(database.url);
  const accessKey = await importVerifyingKey(access.publicKeyPem);
  return {
    app,
    url: app.subgraph.url,
    sql,
    gateway,
    async call(query, variables = {}, options = {}) {
      const headers = await gateway.headersFor(options.viewer);
      if (options.cookie) headers.cookie = options.cookie;
      return graphqlRequest(app.subgraph.url, query, variables, { headers });
    },
    viewerOf: (token) => verifyAccessToken(token, accessKey),
    async close() {
      await sql.close();
      await app.stop();
      await database.drop();
    },
  };
}

export const SESSION_FIELDS =
  "user { id email name role } accessToken refreshToken accessTokenExpiresAt refreshTokenExpiresAt";

export const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { ${SESSION_FIELDS} } }`;
export const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { ${SESSION_FIELDS} } }`;
export const REFRESH = `mutation($token: String) { refreshSession(refreshToken: $token) { ${SESSION_FIELDS} } }`;

export interface SessionData {
  user: { id: string; email: string | null; name: string; role: string };
  accessToken: string;
  refreshToken: string;
}
