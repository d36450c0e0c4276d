import { readFileSync } from "node:fs";
import path from "node:path";
import { importVerifyingKey } from "@urr/auth-tokens";
import { openSubgraphDatabase } from "@urr/db";
import { type EventHandlers, MEMBERSHIP_TOPIC, type OutboxRelay, startEventBackbone } from "@urr/events";
import type { Logger } from "@urr/logger";
import { operationLimitsFromConfig } from "@urr/operation-limits";
import { type RunningSubgraph, startSubgraph } from "@urr/subgraph-kit";
import { parse } from "graphql";
import type { CommunityConfig } from "./config.ts";
import { type CommunityContext, createLoaders } from "./context.ts";
import { BoardService } from "./domain/board.service.ts";
import { CommentService } from "./domain/comment.service.ts";
import { membershipProjection } from "./domain/membership-projection.ts";
import { ModerationService } from "./domain/moderation.service.ts";
import { NewsService } from "./domain/news.service.ts";
import { CommunityStore } from "./repositories/community-store.ts";
import { createPrismaClient } from "./repositories/prisma.ts";
import { resolvers } from "./resolvers/index.ts";

const ROOT = path.resolve(__dirname, "../../..");
export const COMMUNITY_SCHEMA_PATH = path.resolve(__dirname, "../schema.graphql");
export const COMMUNITY_PRISMA_DIR = path.join(ROOT, "prisma/community");

export interface CommunityApp {
  subgraph: RunningSubgraph;
  store: CommunityStore;
  news: NewsService;
  board: BoardService;
  comments: CommentService;
  moderation: ModerationService;
  /** The membership-events handlers (tests apply events through them directly). */
  memberships: EventHandlers;
  relay: OutboxRelay | undefined;
  stop(): Promise<void>;
}

export interface CommunityAppOptions {
  /** Tests move time (a membership's term ending). */
  clock?: () => Date;
}

export async function startCommunityApp(
  config: CommunityConfig,
  logger: Logger,
  options: CommunityAppOptions = {},
): Promise<CommunityApp> {
  const database = await openSubgraphDatabase(
    config,
    { root: ROOT, prismaDir: COMMUNITY_PRISMA_DIR },
    logger,
  );
  const prisma = createPrismaClient(database);
  const store = new CommunityStore(prisma);
  const clock = options.clock ?? (() => new Date());
  const news = new NewsService({ store, clock });
  const board = new BoardService({ store, clock });
  const comments = new CommentService({ store, clock });
  const moderation = new ModerationService({ store, clock });
  const memberships = membershipProjection(store);

  const backbone = await startEventBackbone({
    service: "community",
    config,
    logger,
    outbox: prisma,
    consume: { topics: [MEMBERSHIP_TOPIC], handle: memberships.handle },
  });

  const subgraph = await startSubgraph<CommunityContext>({
    name: "community",
    typeDefs: parse(readFileSync(COMMUNITY_SCHEMA_PATH, "utf8")),
    resolvers,
    port: config.PORT,
    host: config.HOST,
    logger,
    contextVerifyingKey: await importVerifyingKey(config.CONTEXT_TOKEN_PUBLIC_KEY),
    operationLimits: operationLimitsFromConfig(config),
    buildContext: (base) => ({
      ...base,
      news,
      board,
      comments,
      moderation,
      loaders: createLoaders(store, base.viewer, clock),
    }),
    readiness: () => database.ping(),
    routes: (app) => backbone.mount(app),
  });

  return {
    subgraph,
    store,
    news,
    board,
    comments,
    moderation,
    memberships,
    relay: backbone.relay,
    async stop() {
      await subgraph.stop();
      await backbone.stop();
      await prisma.$disconnect();
      await database.close();
    },
  };
}
