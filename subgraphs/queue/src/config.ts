import { env, loadConfig } from "@urr/config";
import { backboneConfigFields, subscribersNeedSecret } from "@urr/events";
import { operationLimitsConfigFields, SUBGRAPH_OPERATION_LIMITS } from "@urr/operation-limits";
import { telemetryConfigFields } from "@urr/telemetry";
import { z } from "zod";

/** Every environment variable the queue subgraph reads; documented in ../README.md. */
export const queueConfigSchema = z
  .object({
    NODE_ENV: env.nodeEnv(),
    PORT: env.port(4005),
    HOST: z.string().default("127.0.0.1"),
    LOG_LEVEL: env.logLevel(),
    CONTEXT_TOKEN_PUBLIC_KEY: env.pem("PUBLIC KEY"),
    /** The waiting room and live updates. Unset: in this process (embedded mode, one queue instance). */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
      .optional(),
    /**
     * Prefix of every key the queue writes: deployments (or test stacks) sharing one Redis keep
     * their waiting rooms and outboxes apart. Every queue instance of a deployment uses the same.
     */
    REDIS_KEY_PREFIX: z.string().max(100).default(""),
    /** Signs entry tokens (Ed25519 PKCS#8 PEM); ticket verifies them with the public key. */
    ENTRY_TOKEN_PRIVATE_KEY: env.pem("PRIVATE KEY"),
    ENTRY_TOKEN_TTL_SECONDS: env.seconds(10 * 60),
    /** Users admitted at once per event, unless an admin sets the event's own threshold. */
    QUEUE_THRESHOLD: env.int(500, 1),
    ADMISSION_INTERVAL_MS: env.int(1_000, 50),
    ADMISSION_MAX_BATCH: env.int(1_000, 1),
    /** A waiter not seen (heartbeat or open subscription) for this long leaves the queue. */
    QUEUE_IDLE_SECONDS: env.seconds(60),
    /** An admitted user not seen for this long frees their slot. */
    ACTIVE_IDLE_SECONDS: env.seconds(5 * 60),
    /** How often open subscriptions count as heartbeats; well under QUEUE_IDLE_SECONDS. */
    PRESENCE_INTERVAL_MS: env.int(10_000, 100),
    /** Length of each fan-club pre-sale stage before the general sale. */
    PRESALE_STAGE_MINUTES: env.int(60, 0),
    ADMISSION_RELAY_INTERVAL_MS: env.int(500, 20),
    /**
     * Catalog's internal event-state API and the secret its service tokens use: the sale windows
     * are rebuilt from it on a miss and at start-up, since the store holding them can lose them.
     * Without the secret the queue knows only what catalog-events delivered since it started.
     */
    CATALOG_INTERNAL_URL: env.url().default("http://127.0.0.1:4002"),
    INTERNAL_API_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    CATALOG_CALL_TIMEOUT_MS: env.int(2_000, 50),
    /** How long an event catalog does not know stays unknown before catalog is asked again. */
    UNKNOWN_EVENT_TTL_MS: env.int(5_000, 0),
    /**
     * Ticket's internal membership API (same secret): a pre-sale tier the store lost is read back
     * from it on a miss. Unreachable: the fan joins as BRONZE (ticket re-checks tiers at hold time).
     */
    TICKET_INTERNAL_URL: env.url().default("http://127.0.0.1:4003"),
    TICKET_CALL_TIMEOUT_MS: env.int(1_000, 50),
    /** How long a fan ticket says has no membership of an artist stays a non-member here. */
    NON_MEMBER_TTL_MS: env.int(5_000, 0),
    /** Consumes catalog-, membership- and reservation-events; publishes queue-events. */
    ...backboneConfigFields("queue"),
    /** Defence in depth behind the gateway's (see packages/operation-limits). */
    ...operationLimitsConfigFields(SUBGRAPH_OPERATION_LIMITS),
    /** Traces to an OTLP collector when set (see packages/telemetry). */
    ...telemetryConfigFields(),
  })
  .refine(...subscribersNeedSecret)
  .refine((c) => c.PRESENCE_INTERVAL_MS < c.QUEUE_IDLE_SECONDS * 1000, {
    message: "must be shorter than QUEUE_IDLE_SECONDS, or open subscriptions would time out",
    path: ["PRESENCE_INTERVAL_MS"],
  });

export type QueueConfig = z.infer<typeof queueConfigSchema>;

export function loadQueueConfig(environment: NodeJS.ProcessEnv = process.env): QueueConfig {
  return loadConfig("queue subgraph", queueConfigSchema, environment);
}
