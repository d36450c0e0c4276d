import { env, loadConfig } from "@urr/config";
import { backboneConfigFields, subscribersNeedSecret } from "@urr/events";
import { operationLimitsConfigFields, SUBGRAPH_OPERATION_LIMITS } from "@urr/operation-limits";
import { telemetryConfigFields } from "@urr/telemetry";
import { z } from "zod";

/** Every environment variable the ticket subgraph reads; documented in ../README.md. */
export const ticketConfigSchema = z
  .object({
    NODE_ENV: env.nodeEnv(),
    PORT: env.port(4003),
    HOST: z.string().default("127.0.0.1"),
    LOG_LEVEL: env.logLevel(),
    DATABASE_URL: env.postgresUrl().optional(),
    PGLITE_DATA_DIR: z.string().default(".urr/data/ticket"),
    DATABASE_POOL_SIZE: env.int(20, 1),
    CONTEXT_TOKEN_PUBLIC_KEY: env.pem("PUBLIC KEY"),
    /** Verifies the waiting room's entry tokens (queue's Ed25519 public key, PEM). */
    ENTRY_TOKEN_PUBLIC_KEY: env.pem("PUBLIC KEY"),
    /** Live seat changes are batched per event over this window before they are published. */
    SEAT_FEED_WINDOW_MS: env.int(50, 0),
    /** Seat locks and live updates. Unset: in this process (embedded mode, a single ticket instance only). */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
      .optional(),
    /**
     * How long a hold lasts. Longer than the payment provider's checkout window (about 10 minutes),
     * so a payment started in time never finds its seat released.
     */
    HOLD_TTL_SECONDS: env.seconds(15 * 60),
    /** Seats plus general-admission tickets one user may hold or own per event. */
    MAX_TICKETS_PER_USER: env.int(4, 1),
    /** How often expired holds are released. */
    SWEEP_INTERVAL_MS: env.int(5_000, 100),
    /**
     * Length of each fan-club pre-sale stage (DIAMOND, GOLD, SILVER before the general sale). Must
     * equal the queue's PRESALE_STAGE_MINUTES, or a member admitted by the queue is refused here.
     */
    PRESALE_STAGE_MINUTES: env.int(60, 0),
    /** How often memberships whose term ended are marked EXPIRED (their benefits end on time anyway). */
    MEMBERSHIP_SWEEP_INTERVAL_MS: env.int(60_000, 100),
    /**
     * How long a buyer of a listed ticket has to pay (`preparePayment(kind: TRANSFER)` reserves it
     * for them); then it is listed again. About a provider checkout.
     */
    TRANSFER_PAYMENT_WINDOW_SECONDS: env.seconds(10 * 60),
    /** How often listings whose payment window lapsed are put back on the marketplace. */
    TRANSFER_SWEEP_INTERVAL_MS: env.int(5_000, 100),
    /** Embedded demo: seats and a standing area for every event learnt from the catalog. */
    SEED_DEMO_SEATING: env.boolean(false),
    /** Consumes catalog-events and payment-events; publishes reservation-events and membership-events. */
    ...backboneConfigFields("ticket"),
    /** Signs ticket codes (Ed25519 PKCS#8 PEM). Unset: a key for this process only. */
    TICKET_CODE_PRIVATE_KEY: env.pem("PRIVATE KEY").optional(),
    /** Verifies service tokens on /internal routes (payment's reservation checks); unset = no internal API. */
    INTERNAL_API_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /**
     * Test only: a marker file's path. The first payment.confirmed this process applies kills it
     * before the message is acknowledged (see src/faults/). Refused in production.
     */
    TEST_CRASH_AFTER_PAYMENT_CONFIRMED: z.string().min(1).optional(),
    /** Defence in depth behind the gateway's (see packages/operation-limits). */
    ...operationLimitsConfigFields(SUBGRAPH_OPERATION_LIMITS),
    /** Traces to an OTLP collector when set (see packages/telemetry). */
    ...telemetryConfigFields(),
  })
  .refine(...subscribersNeedSecret)
  .refine((c) => c.NODE_ENV !== "production" || !c.TEST_CRASH_AFTER_PAYMENT_CONFIRMED, {
    message: "is a test-only fault injection: not allowed in production",
    path: ["TEST_CRASH_AFTER_PAYMENT_CONFIRMED"],
  });

export type TicketConfig = z.infer<typeof ticketConfigSchema>;

export function loadTicketConfig(environment: NodeJS.ProcessEnv = process.env): TicketConfig {
  return loadConfig("ticket subgraph", ticketConfigSchema, environment);
}
