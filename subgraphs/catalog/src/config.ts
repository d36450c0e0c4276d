import { env, loadConfig } from "@urr/config";
import { backboneConfigFields, subscribersNeedSecret } from "@urr/events";
import { operationLimitsConfigFields, SUBGRAPH_OPERATION_LIMITS } from "@urr/operation-limits";
import { telemetryConfigFields } from "@urr/telemetry";
import { z } from "zod";

/** Every environment variable the catalog subgraph reads; documented in ../README.md. */
export const catalogConfigSchema = z
  .object({
    NODE_ENV: env.nodeEnv(),
    PORT: env.port(4002),
    HOST: z.string().default("127.0.0.1"),
    LOG_LEVEL: env.logLevel(),
    DATABASE_URL: env.postgresUrl().optional(),
    PGLITE_DATA_DIR: z.string().default(".urr/data/catalog"),
    DATABASE_POOL_SIZE: env.int(10, 1),
    CONTEXT_TOKEN_PUBLIC_KEY: env.pem("PUBLIC KEY"),
    /** `local` keeps posters in POSTER_DIR and serves them itself; `s3` uses an S3-compatible bucket. */
    POSTER_STORAGE: z.enum(["local", "s3"]).default("local"),
    POSTER_DIR: z.string().default(".urr/media"),
    /** Base URL under which this subgraph's /uploads and /media are reachable by clients. */
    POSTER_PUBLIC_URL: env.url().optional(),
    /** Signs local upload URLs; generated per process when unset (URLs then die with the process). */
    POSTER_SIGNING_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    S3_ENDPOINT: env.url().optional(),
    S3_REGION: z.string().default("us-east-1"),
    S3_BUCKET: z.string().optional(),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    S3_VIRTUAL_HOSTED: env.boolean(false),
    S3_PUBLIC_URL: env.url().optional(),
    SEED_DEMO_CATALOG: env.boolean(false),
    /** Verifies service tokens on /internal/event-states (the queue's recovery); unset = no internal API. */
    INTERNAL_API_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /**
     * Artist import from a music catalog speaking Spotify's Web API: on when the client id and secret
     * are set, off otherwise (importArtist and searchExternalArtists refuse with
     * MUSIC_CATALOG_NOT_CONFIGURED). See src/music-catalog.
     */
    MUSIC_CATALOG_BASE_URL: env.url().default("https://api.spotify.com"),
    MUSIC_CATALOG_TOKEN_URL: env.url().default("https://accounts.spotify.com/api/token"),
    MUSIC_CATALOG_CLIENT_ID: z.string().optional(),
    MUSIC_CATALOG_CLIENT_SECRET: z.string().optional(),
    /** Per HTTP exchange; retries after failures that may pass; the wait before the first retry. */
    MUSIC_CATALOG_TIMEOUT_MS: env.int(2_000, 50),
    MUSIC_CATALOG_RETRIES: env.int(2, 0),
    MUSIC_CATALOG_RETRY_DELAY_MS: env.int(200, 1),
    /** A Retry-After up to this long is waited out inside the request; longer ones go to the admin. */
    MUSIC_CATALOG_MAX_RETRY_AFTER_WAIT_MS: env.int(2_000, 0),
    /** Failed requests in a row that pause calls to the catalog, and for how long. */
    MUSIC_CATALOG_CIRCUIT_FAILURES: env.int(5, 1),
    MUSIC_CATALOG_CIRCUIT_RESET_MS: env.int(30_000, 100),
    /** Publishes catalog-events, consumes reservation-events (tickets sold). */
    ...backboneConfigFields("catalog"),
    /** Defence in depth behind the gateway's (see packages/operation-limits). */
    ...operationLimitsConfigFields(SUBGRAPH_OPERATION_LIMITS),
    /** Traces to an OTLP collector when set (see packages/telemetry). */
    ...telemetryConfigFields(),
  })
  .refine(...subscribersNeedSecret)
  .refine((c) => Boolean(c.MUSIC_CATALOG_CLIENT_ID) === Boolean(c.MUSIC_CATALOG_CLIENT_SECRET), {
    message:
      "artist import needs both MUSIC_CATALOG_CLIENT_ID and MUSIC_CATALOG_CLIENT_SECRET (or neither: off)",
    path: ["MUSIC_CATALOG_CLIENT_SECRET"],
  })
  .refine(
    (c) =>
      c.POSTER_STORAGE !== "s3" ||
      (c.S3_ENDPOINT && c.S3_BUCKET && c.S3_ACCESS_KEY_ID && c.S3_SECRET_ACCESS_KEY && c.S3_PUBLIC_URL),
    {
      message:
        "s3 storage needs S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY and S3_PUBLIC_URL",
      path: ["POSTER_STORAGE"],
    },
  );

export type CatalogConfig = z.infer<typeof catalogConfigSchema>;

export function loadCatalogConfig(environment: NodeJS.ProcessEnv = process.env): CatalogConfig {
  return loadConfig("catalog subgraph", catalogConfigSchema, environment);
}
