import { readFileSync } from "node:fs";
import path from "node:path";
import { importVerifyingKey } from "@urr/auth-tokens";
import { openSubgraphDatabase } from "@urr/db";
import {
  MEMBERSHIP_TOPIC,
  PAYMENT_TOPIC,
  QUEUE_TOPIC,
  RESERVATION_TOPIC,
  startEventBackbone,
  TRANSFER_TOPIC,
} from "@urr/events";
import type { Logger } from "@urr/logger";
import { operationLimitsFromConfig } from "@urr/operation-limits";
import { openLiveChannel, type RunningSubgraph, startSubgraph } from "@urr/subgraph-kit";
import { parse } from "graphql";
import type { StatsConfig } from "./config.ts";
import { createLoaders, type StatsContext } from "./context.ts";
import { StatsService } from "./domain/stats.service.ts";
import { StatsUpdates } from "./live/stats-updates.ts";
import { StatsProjection } from "./projection/stats-projection.ts";
import { createPrismaClient } from "./repositories/prisma.ts";
import { StatsStore } from "./repositories/stats-store.ts";
import { resolvers } from "./resolvers/index.ts";

const ROOT = path.resolve(__dirname, "../../..");
export const STATS_SCHEMA_PATH = path.resolve(__dirname, "../schema.graphql");
export const STATS_PRISMA_DIR = path.join(ROOT, "prisma/stats");

/** Every topic stats folds into its projection. */
export const STATS_CONSUMES = [
  PAYMENT_TOPIC,
  RESERVATION_TOPIC,
  TRANSFER_TOPIC,
  MEMBERSHIP_TOPIC,
  QUEUE_TOPIC,
];

export interface StatsApp {
  subgraph: RunningSubgraph;
  store: StatsStore;
  projection: StatsProjection;
  stats: StatsService;
  updates: StatsUpdates;
  stop(): Promise<void>;
}

export interface StatsAppOptions {
  /** Tests pin the clock the dashboards are computed against (and the journal's applied-at). */
  clock?: () => Date;
}

export async function startStatsApp(
  config: StatsConfig,
  logger: Logger,
  options: StatsAppOptions = {},
): Promise<StatsApp> {
  const database = await openSubgraphDatabase(config, { root: ROOT, prismaDir: STATS_PRISMA_DIR }, logger);
  const prisma = createPrismaClient(database.adapter);
  const store = new StatsStore(prisma);
  const live = openLiveChannel(config.REDIS_URL, logger);
  const updates = new StatsUpdates({
    pubsub: live.pubsub,
    logger,
    intervalMs: config.STATS_UPDATE_INTERVAL_MS,
  });
  const projection = new StatsProjection({
    store,
    onApplied: updates.applied,
    rebuildTimeoutMs: config.STATS_REBUILD_TIMEOUT_MS,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const stats = new StatsService({
    store,
    projection,
    timeZone: config.STATS_TIME_ZONE,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  updates.start();

  const backbone = await startEventBackbone({
    service: "stats",
    config,
    logger,
    consume: { topics: STATS_CONSUMES, handle: projection.handle },
  });

  const subgraph = await startSubgraph<StatsContext>({
    name: "stats",
    typeDefs: parse(readFileSync(STATS_SCHEMA_PATH, "utf8")),
    resolvers,
    port: config.PORT,
    host: config.HOST,
    logger,
    contextVerifyingKey: await importVerifyingKey(config.CONTEXT_TOKEN_PUBLIC_KEY),
    operationLimits: operationLimitsFromConfig(config),
    buildContext: (base) => ({ ...base, stats, pubsub: live.pubsub, loaders: createLoaders(stats, base) }),
    readiness: () => database.ping(),
    routes: (app) => backbone.mount(app),
  });

  return {
    subgraph,
    store,
    projection,
    stats,
    updates,
    async stop() {
      await subgraph.stop();
      await backbone.stop();
      await updates.stop();
      await live.close();
      await prisma.$disconnect();
      await database.close();
    },
  };
}
