import { env, loadConfig } from "@urr/config";
import { backboneConfigFields, subscribersNeedSecret } from "@urr/events";
import { operationLimitsConfigFields, SUBGRAPH_OPERATION_LIMITS } from "@urr/operation-limits";
import { telemetryConfigFields } from "@urr/telemetry";
import { z } from "zod";

/** Every environment variable the payment subgraph reads; documented in ../README.md. */
export const paymentConfigSchema = z
  .object({
    NODE_ENV: env.nodeEnv(),
    PORT: env.port(4004),
    HOST: z.string().default("127.0.0.1"),
    LOG_LEVEL: env.logLevel(),
    DATABASE_URL: env.postgresUrl().optional(),
    PGLITE_DATA_DIR: z.string().default(".urr/data/payment"),
    DATABASE_POOL_SIZE: env.int(20, 1),
    CONTEXT_TOKEN_PUBLIC_KEY: env.pem("PUBLIC KEY"),
    /** Publishes payment-events; consumes reservation-events (confirmations and rejections). */
    ...backboneConfigFields("payment"),
    /** `toss` speaks Toss Payments' HTTP API at PAYMENT_PROVIDER_URL; `simulated` approves in-process (demos). */
    PAYMENT_PROVIDER: z.enum(["toss", "simulated"]).default("simulated"),
    PAYMENT_PROVIDER_URL: env.url().default("https://api.tosspayments.com"),
    PAYMENT_PROVIDER_SECRET_KEY: z.string().optional(),
    /**
     * Lets the simulated provider run with NODE_ENV=production, for a demo deployment that must not
     * take money (docker-compose's default). Off by default so a real deployment cannot end up on it.
     */
    PAYMENT_SIMULATED_IN_PRODUCTION: env.boolean(false),
    /** How long one provider call may take before its outcome counts as unknown (then reconciled). */
    PAYMENT_PROVIDER_TIMEOUT_MS: env.int(10_000, 100),
    /** The ticket subgraph's internal API (reservation checks) and the secret its service tokens use. */
    TICKET_INTERNAL_URL: env.url().default("http://127.0.0.1:4003"),
    INTERNAL_API_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** Per-attempt timeout of a ticket call, and how long the circuit stays open after 5 failures. */
    TICKET_CALL_TIMEOUT_MS: env.int(2_000, 50),
    TICKET_CIRCUIT_RESET_MS: env.int(10_000, 100),
    /** How often the reconciler looks for payments and reservations that disagree; 0 = never. */
    RECONCILE_INTERVAL_MS: env.int(60_000, 0),
    /** A confirmed payment whose reservation has not confirmed after this long is reconciled. */
    FULFILMENT_GRACE_MS: env.int(120_000, 0),
    /** Defence in depth behind the gateway's (see packages/operation-limits). */
    ...operationLimitsConfigFields(SUBGRAPH_OPERATION_LIMITS),
    /** Traces to an OTLP collector when set (see packages/telemetry). */
    ...telemetryConfigFields(),
  })
  .refine(...subscribersNeedSecret)
  .refine((c) => c.PAYMENT_PROVIDER !== "toss" || Boolean(c.PAYMENT_PROVIDER_SECRET_KEY), {
    message: "the toss provider needs PAYMENT_PROVIDER_SECRET_KEY",
    path: ["PAYMENT_PROVIDER_SECRET_KEY"],
  })
  .refine(
    (c) =>
      c.NODE_ENV !== "production" || c.PAYMENT_PROVIDER !== "simulated" || c.PAYMENT_SIMULATED_IN_PRODUCTION,
    {
      message:
        "the simulated provider takes no money: not allowed in production (unless PAYMENT_SIMULATED_IN_PRODUCTION=true)",
      path: ["PAYMENT_PROVIDER"],
    },
  );

export type PaymentConfig = z.infer<typeof paymentConfigSchema>;

export function loadPaymentConfig(environment: NodeJS.ProcessEnv = process.env): PaymentConfig {
  return loadConfig("payment subgraph", paymentConfigSchema, environment);
}
