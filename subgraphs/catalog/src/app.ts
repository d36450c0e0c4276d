import { readFileSync } from "node:fs";
import path from "node:path";
import { importVerifyingKey } from "@urr/auth-tokens";
import { openSubgraphDatabase } from "@urr/db";
import { AUDIT_TOPIC, type OutboxRelay, RESERVATION_TOPIC, startEventBackbone } from "@urr/events";
import type { Logger } from "@urr/logger";
import { operationLimitsFromConfig } from "@urr/operation-limits";
import { type RunningSubgraph, startSubgraph } from "@urr/subgraph-kit";
import { parse } from "graphql";
import type { CatalogConfig } from "./config.ts";
import { type CatalogContext, createLoaders } from "./context.ts";
import { seedDemoCatalog } from "./demo-seed.ts";
import { ArtistAliasService } from "./domain/artist-alias.service.ts";
import { ArtistImportService } from "./domain/artist-import.service.ts";
import { AuditLogService } from "./domain/audit-log.service.ts";
import { auditProjection } from "./domain/audit-projection.ts";
import { CatalogService } from "./domain/catalog.service.ts";
import { CatalogAdminService } from "./domain/catalog-admin.service.ts";
import { salesProjection } from "./domain/sales-projection.ts";
import { mountInternalEventState } from "./http/internal-event-state.ts";
import { createMusicCatalog } from "./music-catalog/create-music-catalog.ts";
import { CatalogStore } from "./repositories/catalog-store.ts";
import { createPrismaClient } from "./repositories/prisma.ts";
import { resolvers } from "./resolvers/index.ts";
import { createPosterStorage } from "./storage/create-storage.ts";
import { LocalPosterStorage } from "./storage/local-poster-storage.ts";

const ROOT = path.resolve(__dirname, "../../..");
export const CATALOG_SCHEMA_PATH = path.resolve(__dirname, "../schema.graphql");
export const CATALOG_PRISMA_DIR = path.join(ROOT, "prisma/catalog");

export interface CatalogApp {
  subgraph: RunningSubgraph;
  admin: CatalogAdminService;
  imports: ArtistImportService;
  aliases: ArtistAliasService;
  catalog: CatalogService;
  /** The repositories on the subgraph's database (tests build services on it with faults injected). */
  store: CatalogStore;
  relay: OutboxRelay | undefined;
  stop(): Promise<void>;
}

export async function startCatalogApp(config: CatalogConfig, logger: Logger): Promise<CatalogApp> {
  const database = await openSubgraphDatabase(config, { root: ROOT, prismaDir: CATALOG_PRISMA_DIR }, logger);

  const prisma = createPrismaClient(database.adapter);
  const store = new CatalogStore(prisma);
  let selfUrl = `http://${config.HOST}:${config.PORT}`;
  const storage = createPosterStorage(config, ROOT, () => selfUrl);
  const catalog = new CatalogService(store);
  const admin = new CatalogAdminService({ store, storage, logger });
  const imports = new ArtistImportService({
    store,
    catalogs: { SPOTIFY: createMusicCatalog(config, logger) },
    logger,
  });
  const aliases = new ArtistAliasService({ store, logger });
  const auditLog = new AuditLogService(store);
  if (config.SEED_DEMO_CATALOG) await seedDemoCatalog(store, logger);
  const backbone = await startEventBackbone({
    service: "catalog",
    config,
    logger,
    outbox: prisma,
    consume: {
      topics: [RESERVATION_TOPIC, AUDIT_TOPIC],
      handle: salesProjection(store).include(auditProjection(store)).handle,
    },
  });

  const subgraph = await startSubgraph<CatalogContext>({
    name: "catalog",
    typeDefs: parse(readFileSync(CATALOG_SCHEMA_PATH, "utf8")),
    resolvers,
    port: config.PORT,
    host: config.HOST,
    logger,
    contextVerifyingKey: await importVerifyingKey(config.CONTEXT_TOKEN_PUBLIC_KEY),
    operationLimits: operationLimitsFromConfig(config),
    buildContext: (base) => ({
      ...base,
      catalog,
      admin,
      imports,
      aliases,
      auditLog,
      storage,
      now: new Date(),
      loaders: createLoaders(store),
    }),
    readiness: () => database.ping(),
    routes: (app) => {
      if (storage instanceof LocalPosterStorage) storage.mount(app);
      backbone.mount(app);
      if (config.INTERNAL_API_SECRET)
        mountInternalEventState(app, { secret: config.INTERNAL_API_SECRET, store, logger });
    },
  });

  selfUrl = subgraph.url.replace(/\/graphql$/, "");

  return {
    subgraph,
    admin,
    imports,
    aliases,
    catalog,
    store,
    relay: backbone.relay,
    async stop() {
      await subgraph.stop();
      await backbone.stop();
      await prisma.$disconnect();
      await database.close();
    },
  };
}
