import { availableParallelism } from "node:os";
import { env, loadConfig } from "@urr/config";
import { backboneConfigFields, subscribersNeedSecret } from "@urr/events";
import { operationLimitsConfigFields, SUBGRAPH_OPERATION_LIMITS } from "@urr/operation-limits";
import { telemetryConfigFields } from "@urr/telemetry";
import { z } from "zod";

/**
 * Every environment variable the auth subgraph reads. Documented in ../README.md; validated once at
 * start-up.
 */
export const authConfigSchema = z
  .object({
    NODE_ENV: env.nodeEnv(),
    PORT: env.port(4001),
    HOST: z.string().default("127.0.0.1"),
    LOG_LEVEL: env.logLevel(),
    /** Services mode: a PostgreSQL database of this subgraph's own. */
    DATABASE_URL: env.postgresUrl().optional(),
    /** Embedded mode (no DATABASE_URL): a PGlite data directory. */
    PGLITE_DATA_DIR: z.string().default(".urr/data/auth"),
    DATABASE_POOL_SIZE: env.int(10, 1),
    /** The gateway's public key; every request must carry a context token it signed. */
    CONTEXT_TOKEN_PUBLIC_KEY: env.pem("PUBLIC KEY"),
    /** Signs user access tokens; the gateway holds the matching public key. */
    ACCESS_TOKEN_PRIVATE_KEY: env.pem("PRIVATE KEY"),
    ACCESS_TOKEN_TTL_SECONDS: env.seconds(15 * 60),
    REFRESH_TOKEN_TTL_SECONDS: env.seconds(14 * 24 * 60 * 60),
    /** log2 of scrypt's N; 15 is ~100 ms and 32 MiB per hash. Never below 14 in production. */
    PASSWORD_HASH_LOG2N: z.coerce.number().int().min(10).max(20).default(15),
    /** scrypt runs at once: CPU-bound, so one per core; more only adds latency to each. */
    PASSWORD_HASH_CONCURRENCY: env.int(availableParallelism(), 1),
    /**
     * Sign-ins that may wait for a hashing slot; the next one is refused (SERVICE_UNAVAILABLE). Keep
     * it below the gateway's SUBGRAPH_MAX_SOCKETS (64): a waiter holds one of the gateway's sockets,
     * and requests queued behind all of them at the gateway would run into its timeout unrefused.
     */
    PASSWORD_HASH_QUEUE_LIMIT: env.int(32, 0),
    /**
     * Longest wait for a hashing slot before SERVICE_UNAVAILABLE; with the hash itself and the
     * database write it must stay well below the gateway's SUBGRAPH_TIMEOUT_MS (10 s).
     */
    PASSWORD_HASH_QUEUE_TIMEOUT_MS: env.int(4_000, 1),
    COOKIE_SECURE: env.boolean(false),
    COOKIE_SAME_SITE: z.enum(["strict", "lax", "none"]).default("lax"),
    COOKIE_DOMAIN: z.string().optional(),
    GOOGLE_CLIENT_IDS: env.list(),
    GOOGLE_JWKS_URL: env.url().default("https://www.googleapis.com/oauth2/v3/certs"),
    GOOGLE_ISSUERS: env.list(["https://accounts.google.com", "accounts.google.com"]),
    /** Seeded on start-up when both are set. */
    ADMIN_EMAIL: z.string().optional(),
    ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
    /** Demo fans for the embedded `npm start`. */
    SEED_DEMO_USERS: env.boolean(false),
    /**
     * Verifies service tokens on /internal/api-keys (the gateway resolving partner keys and reporting
     * their usage); unset = no internal API, so no partner key works.
     */
    INTERNAL_API_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /**
     * How long an applied usage batch's id is remembered. The gateway re-sends a batch until it is
     * acknowledged; a re-send older than this would count twice, so keep it far above its retry span.
     */
    USAGE_BATCH_RETENTION_DAYS: env.int(7, 1),
    /** Publishes audit-events (admins' API key changes) from the outbox (see packages/events). */
    ...backboneConfigFields("auth"),
    /** Defence in depth behind the gateway's (see packages/operation-limits). */
    ...operationLimitsConfigFields(SUBGRAPH_OPERATION_LIMITS),
    /** Traces to an OTLP collector when set (see packages/telemetry). */
    ...telemetryConfigFields(),
  })
  .refine((c) => c.NODE_ENV !== "production" || c.PASSWORD_HASH_LOG2N >= 14, {
    message: "must be at least 14 in production",
    path: ["PASSWORD_HASH_LOG2N"],
  })
  .refine((c) => c.COOKIE_SAME_SITE !== "none" || c.COOKIE_SECURE, {
    message: "SameSite=None cookies require COOKIE_SECURE=true",
    path: ["COOKIE_SAME_SITE"],
  })
  .refine(...subscribersNeedSecret);

export type AuthConfig = z.infer<typeof authConfigSchema>;

export function loadAuthConfig(environment: NodeJS.ProcessEnv = process.env): AuthConfig {
  return loadConfig("auth subgraph", authConfigSchema, environment);
}
