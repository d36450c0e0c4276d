import { env, loadConfig } from "@urr/config";
import { z } from "zod";

/** Every environment variable the gateway reads; documented in ../README.md. */
export const gatewayConfigSchema = z.object({
  NODE_ENV: env.nodeEnv(),
  PORT: env.port(4000),
  HOST: z.string().default("127.0.0.1"),
  LOG_LEVEL: env.logLevel(),
  /** The composed supergraph (`npm run compose` writes it). */
  SUPERGRAPH_PATH: z.string().default("supergraph.graphql"),
  /** Verifies user access tokens issued by the auth subgraph. */
  ACCESS_TOKEN_PUBLIC_KEY: env.pem("PUBLIC KEY"),
  /** Signs the context token subgraphs trust. */
  CONTEXT_TOKEN_PRIVATE_KEY: env.pem("PRIVATE KEY"),
  /** Browser origins allowed to call with credentials. */
  CORS_ORIGINS: env.list(["http://localhost:3000", "http://localhost:5173"]),
  /** Subgraphs that receive the client's `urr_*` cookies (auth reads the refresh cookie). */
  COOKIE_SUBGRAPHS: env.list(["auth"]),
  /** Upstream subgraph timeout. */
  SUBGRAPH_TIMEOUT_MS: env.int(10_000, 100),
  /** Keep-alive connections per subgraph. */
  SUBGRAPH_MAX_SOCKETS: env.int(64, 1),
  INTROSPECTION: env.boolean(true),
  /**
   * `filter`: fields the caller may not see are removed, the rest runs, each removed field answers
   * null with an UNAUTHENTICATED/FORBIDDEN error (HTTP 200). `reject`: the whole operation is
   * refused with 401/403.
   */
  AUTHORIZATION_MODE: z.enum(["filter", "reject"]).default("filter"),
  /** Operations (mostly subscriptions) one graphql-ws connection may run at once. */
  MAX_SUBSCRIPTIONS_PER_CONNECTION: env.int(20, 1),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema> & {
  /** `SUBGRAPH_<NAME>_URL` overrides of the routing URLs in the supergraph. */
  subgraphUrls: Record<string, string>;
};

export function loadGatewayConfig(environment: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const config = loadConfig("gateway", gatewayConfigSchema, environment);
  const subgraphUrls: Record<string, string> = {};
  for (const [key, value] of Object.entries(environment)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (match?.[1] && value) subgraphUrls[match[1].toLowerCase()] = value;
  }
  return { ...config, subgraphUrls };
}
