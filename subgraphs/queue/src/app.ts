import { readFileSync } from "node:fs";
import path from "node:path";
import { importSigningKey, importVerifyingKey } from "@urr/auth-tokens";
import { CATALOG_TOPIC, MEMBERSHIP_TOPIC, RESERVATION_TOPIC, startEventBackbone } from "@urr/events";
import type { Logger } from "@urr/logger";
import { operationLimitsFromConfig } from "@urr/operation-limits";
import { openLiveChannel, type RunningSubgraph, startSubgraph } from "@urr/subgraph-kit";
import { parse } from "graphql";
import Redis from "ioredis";
import type { QueueConfig } from "./config.ts";
import type { QueueContext } from "./context.ts";
import { AdmissionRelay } from "./domain/admission-relay.ts";
import { AdmissionWorker } from "./domain/admission-worker.ts";
import { EntryPasses } from "./domain/entry-passes.ts";
import { TieredPresale, tiersFrom } from "./domain/presale.ts";
import { Presence } from "./domain/presence.ts";
import { queueProjections } from "./domain/projections.ts";
import { QueueService } from "./domain/queue.service.ts";
import { type QueueTick, tickChannel, tickOf } from "./domain/queue-tick.ts";
import { CatalogClient } from "./references/catalog-client.ts";
import { TicketClient } from "./references/ticket-client.ts";
import { resolvers } from "./resolvers/index.ts";
import { type EventDirectory, MemoryEventDirectory, RedisEventDirectory } from "./store/event-directory.ts";
import { failClosed } from "./store/fail-closed.ts";
import { MemoryQueueStore } from "./store/memory-queue-store.ts";
import type { QueueStore } from "./store/queue-store.ts";
import { RecoveringEventDirectory } from "./store/recovering-event-directory.ts";
import { RecoveringTierDirectory } from "./store/recovering-tier-directory.ts";
import { RedisQueueStore } from "./store/redis-queue-store.ts";

export const QUEUE_SCHEMA_PATH = path.resolve(__dirname, "../schema.graphql");

export interface QueueApp {
  subgraph: RunningSubgraph;
  store: QueueStore;
  directory: EventDirectory;
  queue: QueueService;
  worker: AdmissionWorker;
  relay: AdmissionRelay;
  presence: Presence;
  handle(message: unknown): Promise<string>;
  stop(): Promise<void>;
}

export interface QueueAppOptions {
  /** Tests drive admission rounds themselves. */
  runWorker?: boolean;
}

function createStores(config: QueueConfig, logger: Logger): { store: QueueStore; directory: EventDirectory } {
  if (!config.REDIS_URL) {
    logger.warn(
      "REDIS_URL is not set: the waiting room lives in this process (embedded mode, one queue instance)",
    );
    return { store: new MemoryQueueStore(config.QUEUE_THRESHOLD), directory: new MemoryEventDirectory() };
  }
  // Fail fast rather than queue commands while Redis is away: joins answer SERVICE_UNAVAILABLE.
  const redis = new Redis(config.REDIS_URL, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    keyPrefix: config.REDIS_KEY_PREFIX,
  });
  redis.on("error", (err) => logger.warn({ err }, "queue: Redis connection error"));
  return {
    store: failClosed(new RedisQueueStore(redis, config.QUEUE_THRESHOLD), "The waiting room", logger),
    directory: failClosed(new RedisEventDirectory(redis), "The waiting room", logger),
  };
}

/**
 * The sale windows (a projection of catalog) and the pre-sale tiers (of ticket's memberships) are
 * kept where they can be lost (memory, Redis): with the internal API secret the windows are rebuilt
 * from catalog on a miss and read in bulk at start-up, and a missing tier is read from ticket.
 */
function recoverable(config: QueueConfig, directory: EventDirectory, logger: Logger) {
  if (!config.INTERNAL_API_SECRET) {
    logger.warn(
      "INTERNAL_API_SECRET is not set: sale windows and tiers come only from catalog- and membership-events since start-up",
    );
    return { directory, stop: async () => {} };
  }
  const client = () =>
    new CatalogClient({
      baseUrl: config.CATALOG_INTERNAL_URL,
      secret: config.INTERNAL_API_SECRET ?? "",
      timeoutMs: config.CATALOG_CALL_TIMEOUT_MS,
    });
  const recovering = new RecoveringEventDirectory({
    directory,
    catalog: client(),
    bulk: client(),
    logger,
    unknownTtlMs: config.UNKNOWN_EVENT_TTL_MS,
  });
  const tiers = new RecoveringTierDirectory({
    directory: recovering,
    ticket: new TicketClient({
      baseUrl: config.TICKET_INTERNAL_URL,
      secret: config.INTERNAL_API_SECRET,
      timeoutMs: config.TICKET_CALL_TIMEOUT_MS,
    }),
    logger,
    nonMemberTtlMs: config.NON_MEMBER_TTL_MS,
  });
  const warmUp = recovering.warmUp({ attempts: 8, baseDelayMs: 500 });
  return { directory: tiers, stop: () => warmUp.stop() };
}

export async function startQueueApp(
  config: QueueConfig,
  logger: Logger,
  options: QueueAppOptions = {},
): Promise<QueueApp> {
  const stores = createStores(config, logger);
  const { store } = stores;
  const windows = recoverable(config, stores.directory, logger);
  const { directory } = windows;
  const live = openLiveChannel(config.REDIS_URL, logger);
  const passes = new EntryPasses(
    await importSigningKey(config.ENTRY_TOKEN_PRIVATE_KEY),
    config.ENTRY_TOKEN_TTL_SECONDS,
  );
  const presale = new TieredPresale({
    tierOf: tiersFrom(directory),
    stageMinutes: config.PRESALE_STAGE_MINUTES,
  });
  const queue = new QueueService({ store, directory, presale, passes });
  const presence = new Presence(store, logger);
  presence.start(config.PRESENCE_INTERVAL_MS);
  const worker = new AdmissionWorker({
    store,
    pubsub: live.pubsub,
    logger,
    settings: {
      intervalMs: config.ADMISSION_INTERVAL_MS,
      maxBatch: config.ADMISSION_MAX_BATCH,
      waitingIdleMs: config.QUEUE_IDLE_SECONDS * 1000,
      activeIdleMs: config.ACTIVE_IDLE_SECONDS * 1000,
    },
  });
  if (options.runWorker ?? true) worker.start();

  const handlers = queueProjections({ directory, store, logger });
  const backbone = await startEventBackbone({
    service: "queue",
    config,
    logger,
    produces: true,
    consume: { topics: [CATALOG_TOPIC, MEMBERSHIP_TOPIC, RESERVATION_TOPIC], handle: handlers.handle },
  });
  const relay = new AdmissionRelay({ store, transport: backbone.transport, logger });
  relay.start(config.ADMISSION_RELAY_INTERVAL_MS);

  const announceClear = async (eventId: string) => {
    const c = await store.counters(eventId);
    const tick: QueueTick = { ...tickOf(eventId, c, 0, Date.now()), reset: true };
    await live.pubsub.publish(tickChannel(eventId), tick);
  };

  const subgraph = await startSubgraph<QueueContext>({
    name: "queue",
    typeDefs: parse(readFileSync(QUEUE_SCHEMA_PATH, "utf8")),
    resolvers,
    port: config.PORT,
    host: config.HOST,
    logger,
    contextVerifyingKey: await importVerifyingKey(config.CONTEXT_TOKEN_PUBLIC_KEY),
    operationLimits: operationLimitsFromConfig(config),
    buildContext: (base) => ({ ...base, queue, pubsub: live.pubsub, presence, announceClear }),
    readiness: () => store.ping(),
    routes: (app) => backbone.mount(app),
  });

  return {
    subgraph,
    store,
    directory,
    queue,
    worker,
    relay,
    presence,
    handle: handlers.handle,
    async stop() {
      await subgraph.stop();
      await windows.stop();
      await worker.stop();
      await relay.stop();
      await presence.stop();
      await backbone.stop();
      await live.close();
      await store.close();
    },
  };
}
