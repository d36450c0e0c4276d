import { env, loadConfig } from "@urr/config";
import { backboneConfigFields, subscribersNeedSecret } from "@urr/events";
import { operationLimitsConfigFields, SUBGRAPH_OPERATION_LIMITS } from "@urr/operation-limits";
import { telemetryConfigFields } from "@urr/telemetry";
import { z } from "zod";

/** A time zone PostgreSQL and Intl both know (the dashboards' calendar days are in it). */
const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "must be an IANA time zone such as Asia/Seoul or UTC");

/** Every environment variable the stats subgraph reads; documented in ../README.md. */
export const statsConfigSchema = z
  .object({
    NODE_ENV: env.nodeEnv(),
    PORT: env.port(4006),
    HOST: z.string().default("127.0.0.1"),
    LOG_LEVEL: env.logLevel(),
    DATABASE_URL: env.postgresUrl().optional(),
    PGLITE_DATA_DIR: z.string().default(".urr/data/stats"),
    DATABASE_POOL_SIZE: env.int(10, 1),
    CONTEXT_TOKEN_PUBLIC_KEY: env.pem("PUBLIC KEY"),
    /** Live updates across replicas (statsUpdates). Unset: in this process (embedded mode). */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
      .optional(),
    /** The calendar of the dashboards: which day an instant belongs to. */
    STATS_TIME_ZONE: timeZone.default("Asia/Seoul"),
    /** statsUpdates: at most one update per this many ms while events arrive. */
    STATS_UPDATE_INTERVAL_MS: env.int(1_000, 50),
    /** How long a rebuild's one transaction may run. */
    STATS_REBUILD_TIMEOUT_MS: env.int(600_000, 1_000),
    /** Consumes payment-, reservation-, transfer-, membership- and queue-events; produces nothing. */
    ...backboneConfigFields("stats"),
    /** Defence in depth behind the gateway's (see packages/operation-limits). */
    ...operationLimitsConfigFields(SUBGRAPH_OPERATION_LIMITS),
    /** Traces to an OTLP collector when set (see packages/telemetry). */
    ...telemetryConfigFields(),
  })
  .refine(...subscribersNeedSecret);

export type StatsConfig = z.infer<typeof statsConfigSchema>;

export function loadStatsConfig(environment: NodeJS.ProcessEnv = process.env): StatsConfig {
  return loadConfig("stats subgraph", statsConfigSchema, environment);
}
