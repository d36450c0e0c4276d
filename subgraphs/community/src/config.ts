import { env, loadConfig } from "@urr/config";
import { backboneConfigFields, subscribersNeedSecret } from "@urr/events";
import { operationLimitsConfigFields, SUBGRAPH_OPERATION_LIMITS } from "@urr/operation-limits";
import { telemetryConfigFields } from "@urr/telemetry";
import { z } from "zod";

/** Every environment variable the community subgraph reads; documented in ../README.md. */
export const communityConfigSchema = z
  .object({
    NODE_ENV: env.nodeEnv(),
    PORT: env.port(4007),
    HOST: z.string().default("127.0.0.1"),
    LOG_LEVEL: env.logLevel(),
    DATABASE_URL: env.postgresUrl().optional(),
    PGLITE_DATA_DIR: z.string().default(".urr/data/community"),
    DATABASE_POOL_SIZE: env.int(10, 1),
    CONTEXT_TOKEN_PUBLIC_KEY: env.pem("PUBLIC KEY"),
    /** Consumes membership-events (who may write where); publishes audit-events (moderation, news). */
    ...backboneConfigFields("community"),
    /** Defence in depth behind the gateway's (see packages/operation-limits). */
    ...operationLimitsConfigFields(SUBGRAPH_OPERATION_LIMITS),
    /** Traces to an OTLP collector when set (see packages/telemetry). */
    ...telemetryConfigFields(),
  })
  .refine(...subscribersNeedSecret);

export type CommunityConfig = z.infer<typeof communityConfigSchema>;

export function loadCommunityConfig(environment: NodeJS.ProcessEnv = process.env): CommunityConfig {
  return loadConfig("community subgraph", communityConfigSchema, environment);
}
