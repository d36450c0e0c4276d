import { env, loadConfig } from "@urr/config";
import { operationLimitsConfigFields } from "@urr/operation-limits";
import { rateLimitsConfigFields } from "@urr/rate-limits";
import { metricsExposureConfigFields, telemetryConfigFields } from "@urr/telemetry";
import { z } from "zod";

const documentsMode = (fallback: "off" | "audit" | "enforce") =>
  z.enum(["off", "audit", "enforce"]).default(fallback);

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
  /**
   * Introspection and "Did you mean" suggestions for everyone. Unset: on in development and test,
   * off in production (where admins and keys with the schema:read scope still have them).
   */
  INTROSPECTION: z
    .enum(["true", "false", "1", "0", "yes", "no"])
    .transform((v) => v === "true" || v === "1" || v === "yes")
    .optional(),
  /** The trusted documents (registered operations), compiled by `npm run documents`. */
  DOCUMENTS_MANIFEST_PATH: z.string().default("documents/manifest.json"),
  /** How strictly first-party clients (no API key) are held to the registered documents. */
  DOCUMENTS_MODE_FIRST_PARTY: documentsMode("audit"),
  /** How strictly partners (an API key) are held to the registered documents. */
  DOCUMENTS_MODE_PARTNER: documentsMode("enforce"),
  /** Automatic persisted queries (never for clients in `enforce` mode). */
  APQ_ENABLED: env.boolean(true),
  /** How long a learnt APQ text is kept. */
  APQ_TTL_SECONDS: env.seconds(86_400),
  /** At most this many APQ texts are kept (least recently used go first). */
  APQ_MAX_ENTRIES: env.int(10_000, 1),
  /** The largest query text APQ learns (a bigger one still runs, it is just not stored). */
  APQ_MAX_QUERY_BYTES: env.int(32_768, 1),
  /** Seconds a GET answer holding nobody's data may be cached publicly (0: never). */
  GET_PUBLIC_MAX_AGE_SECONDS: env.int(5),
  /** The APQ cache, rate limits and quotas shared by replicas. Unset: in this process (embedded). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  /**
   * Auth's internal API, where partner API keys are verified and their usage reported, and the
   * secret of the service tokens it accepts. Without the secret no API key is accepted.
   */
  AUTH_INTERNAL_URL: env.url().default("http://127.0.0.1:4001"),
  INTERNAL_API_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** How long a verified key (or an unknown one) is reused: a revocation takes effect within it. */
  API_KEY_CACHE_SECONDS: env.int(5),
  /** How often the operations partner keys ran are reported to auth (the usage admins read). */
  USAGE_FLUSH_MS: env.int(10_000, 100),
  /** Prefix of every key the gateway writes (deployments or test stacks sharing one Redis). */
  REDIS_KEY_PREFIX: z.string().max(100).default(""),
  ...operationLimitsConfigFields(),
  ...rateLimitsConfigFields(),
  /** Traces to an OTLP collector when set; where `/metrics` is served (telemetry/metrics-endpoint.ts). */
  ...telemetryConfigFields(),
  ...metricsExposureConfigFields(),
  /**
   * `filter`: fields the caller may not see are removed, the rest runs, each removed field answers
   * null with an UNAUTHENTICATED/FORBIDDEN error (HTTP 200). `reject`: the whole operation is
   * refused with 401/403.
   */
  AUTHORIZATION_MODE: z.enum(["filter", "reject"]).default("filter"),
  /** Operations (mostly subscriptions) one graphql-ws connection may run at once. */
  MAX_SUBSCRIPTIONS_PER_CONNECTION: env.int(20, 1),
  /**
   * The built schema explorer (`npm run web:build -- explorer`; `npm start` builds it and sets
   * this), served to a browser's GET /graphql. Unset: browsers are told there is none.
   */
  EXPLORER_DIR: z.string().min(1).optional(),
  /**
   * The built live on-sale demo (`npm run web:build -- demo`; `npm start` builds it and sets this),
   * served at /demo. Unset: /demo says there is none.
   */
  DEMO_DIR: z.string().min(1).optional(),
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
