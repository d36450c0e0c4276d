import { env } from "@urr/config";
import { z } from "zod";

/** The backbone's environment variables, shared by every stateful subgraph's config schema. */
export function backboneConfigFields(service: string) {
  return {
    /** Kafka brokers (comma-separated); unset = signed HTTP between the processes. */
    KAFKA_BROKERS: env.list(),
    KAFKA_GROUP_ID: z.string().default(service),
    /** HTTP mode: `topic=url` entries, where the relay delivers each topic. */
    EVENT_SUBSCRIBERS: env.list(),
    /** HTTP mode: signs deliveries; senders and receivers share it. */
    EVENT_DELIVERY_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    OUTBOX_RELAY_INTERVAL_MS: env.int(200, 20),
  };
}

/** EVENT_SUBSCRIBERS without a secret would silently deliver nothing. */
export const subscribersNeedSecret: [
  (c: { EVENT_SUBSCRIBERS: string[]; EVENT_DELIVERY_SECRET?: string | undefined }) => boolean,
  { message: string; path: string[] },
] = [
  (c) => c.EVENT_SUBSCRIBERS.length === 0 || Boolean(c.EVENT_DELIVERY_SECRET),
  { message: "EVENT_SUBSCRIBERS needs EVENT_DELIVERY_SECRET", path: ["EVENT_DELIVERY_SECRET"] },
];
