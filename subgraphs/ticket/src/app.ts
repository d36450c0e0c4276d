import { readFileSync } from "node:fs";
import path from "node:path";
import { importVerifyingKey } from "@urr/auth-tokens";
import { openSubgraphDatabase } from "@urr/db";
import { CATALOG_TOPIC, EventHandlers, PAYMENT_TOPIC, startEventBackbone } from "@urr/events";
import type { Logger } from "@urr/logger";
import { operationLimitsFromConfig } from "@urr/operation-limits";
import { openLiveChannel, type RunningSubgraph, startSubgraph } from "@urr/subgraph-kit";
import { parse } from "graphql";
import type { PubSubEngine } from "graphql-subscriptions";
import Redis from "ioredis";
import type { TicketConfig } from "./config.ts";
import { createLoaders, type TicketContext } from "./context.ts";
import { seatDemoEvent } from "./demo-seating.ts";
import { BuyerTermsPolicy } from "./domain/buyer-terms.ts";
import { CatalogProjection } from "./domain/catalog-projection.ts";
import { EntryGate } from "./domain/entry-gate.ts";
import { ExpirySweeper } from "./domain/expiry-sweeper.ts";
import { GeneralAdmissionService } from "./domain/general-admission.service.ts";
import { paymentEventHandlers } from "./domain/payment-events.ts";
import { PaymentSaga } from "./domain/payment-saga.ts";
import { ReservationService } from "./domain/reservation.service.ts";
import { SeatHoldService } from "./domain/seat-hold.service.ts";
import { SeatingAdminService } from "./domain/seating-admin.service.ts";
import { TicketCodes } from "./domain/ticket-codes.ts";
import { crashOnceAfterPaymentConfirmed } from "./faults/crash-after-payment-confirmed.ts";
import { mountInternalApi } from "./http/internal-api.ts";
import { SeatFeed } from "./live/seat-feed.ts";
import { MemorySeatLockStore } from "./locks/memory-seat-lock-store.ts";
import { RedisSeatLockStore } from "./locks/redis-seat-lock-store.ts";
import type { SeatLockStore } from "./locks/seat-lock-store.ts";
import { MembershipService } from "./memberships/membership.service.ts";
import { MembershipExpirySweeper } from "./memberships/membership-expiry.ts";
import { createMembershipLoaders } from "./memberships/membership-loaders.ts";
import { MembershipPayments } from "./memberships/membership-payments.ts";
import { createPrismaClient } from "./repositories/prisma.ts";
import { TicketStore } from "./repositories/ticket-store.ts";
import { resolvers } from "./resolvers/index.ts";
import { TicketVerificationService } from "./transfers/ticket-verification.ts";
import { TransferService } from "./transfers/transfer.service.ts";
import { createTransferLoaders } from "./transfers/transfer-loaders.ts";
import { TransferPayments } from "./transfers/transfer-payments.ts";
import { TransferWindowSweeper } from "./transfers/transfer-window-sweeper.ts";

const ROOT = path.resolve(__dirname, "../../..");
export const TICKET_SCHEMA_PATH = path.resolve(__dirname, "../schema.graphql");
export const TICKET_PRISMA_DIR = path.join(ROOT, "prisma/ticket");

export interface TicketApp {
  subgraph: RunningSubgraph;
  store: TicketStore;
  locks: SeatLockStore;
  holds: SeatHoldService;
  generalAdmission: GeneralAdmissionService;
  reservations: ReservationService;
  seating: SeatingAdminService;
  projection: CatalogProjection;
  saga: PaymentSaga;
  /** payment-events as the consumer applies them (routed by kind: reservations, memberships). */
  paymentEvents: EventHandlers;
  memberships: MembershipService;
  membershipPayments: MembershipPayments;
  membershipSweeper: MembershipExpirySweeper;
  transfers: TransferService;
  transferPayments: TransferPayments;
  transferSweeper: TransferWindowSweeper;
  ticketVerification: TicketVerificationService;
  codes: TicketCodes;
  sweeper: ExpirySweeper;
  /** Where live seat and reservation changes are published (Redis pub/sub, or in-process). */
  pubsub: PubSubEngine;
  stop(): Promise<void>;
}

export interface TicketAppOptions {
  /** Tests count SQL statements per request through this. */
  onQuery?: (sql: string) => void;
  /** Tests drive the sweepers (holds, memberships) themselves. */
  runSweeper?: boolean;
}

function createLockStore(config: TicketConfig, logger: Logger): SeatLockStore {
  if (!config.REDIS_URL) {
    logger.warn(
      "REDIS_URL is not set: seat locks live in this process (embedded mode, a single ticket instance only)",
    );
    return new MemorySeatLockStore();
  }
  // Fail fast instead of queueing commands while Redis is away: a hold answers SERVICE_UNAVAILABLE.
  return new RedisSeatLockStore(
    new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
  );
}

/** The consumer's handler, with the fault a test asked for (config refuses these in production). */
function withTestFaults(config: TicketConfig, handle: (message: unknown) => Promise<string>, logger: Logger) {
  const marker = config.TEST_CRASH_AFTER_PAYMENT_CONFIRMED;
  return marker ? crashOnceAfterPaymentConfirmed(handle, marker, logger) : handle;
}

export async function startTicketApp(
  config: TicketConfig,
  logger: Logger,
  options: TicketAppOptions = {},
): Promise<TicketApp> {
  const database = await openSubgraphDatabase(config, { root: ROOT, prismaDir: TICKET_PRISMA_DIR }, logger);

  const prisma = createPrismaClient(database.adapter, options.onQuery);
  const store = new TicketStore(prisma);
  const locks = createLockStore(config, logger);
  const policy = {
    holdTtlMs: config.HOLD_TTL_SECONDS * 1000,
    maxTicketsPerUser: config.MAX_TICKETS_PER_USER,
  };
  const terms = new BuyerTermsPolicy({ store, presaleStageMinutes: config.PRESALE_STAGE_MINUTES });
  const holds = new SeatHoldService({ store, locks, policy, terms, logger });
  const generalAdmission = new GeneralAdmissionService({ store, policy, terms });
  const memberships = new MembershipService({ store });
  const membershipPayments = new MembershipPayments({ store, logger });
  const membershipSweeper = new MembershipExpirySweeper({ store, logger });
  const reservations = new ReservationService({ store, locks, logger });
  const seating = new SeatingAdminService({ store });
  const projection = new CatalogProjection({
    store,
    locks,
    logger,
    ...(config.SEED_DEMO_SEATING
      ? { onEventApplied: (eventId: string) => seatDemoEvent(store, eventId, logger) }
      : {}),
  });
  const sweeper = new ExpirySweeper({ store, locks, logger });
  const transfers = new TransferService({
    store,
    paymentWindowMs: config.TRANSFER_PAYMENT_WINDOW_SECONDS * 1000,
  });
  const transferSweeper = new TransferWindowSweeper({ store, logger });
  if (options.runSweeper ?? true) {
    sweeper.start(config.SWEEP_INTERVAL_MS);
    membershipSweeper.start(config.MEMBERSHIP_SWEEP_INTERVAL_MS);
    transferSweeper.start(config.TRANSFER_SWEEP_INTERVAL_MS);
  }
  const codes = await TicketCodes.create(config.TICKET_CODE_PRIVATE_KEY, logger);
  const transferPayments = new TransferPayments({ store, codes, logger });
  const ticketVerification = new TicketVerificationService({ store, codes });
  const saga = new PaymentSaga({ store, locks, codes, logger });
  const paymentEvents = paymentEventHandlers({
    RESERVATION: saga,
    MEMBERSHIP: { confirmed: (event) => membershipPayments.confirmed(event) },
    TRANSFER: transferPayments,
  });
  const live = openLiveChannel(config.REDIS_URL, logger);
  const seatFeed = new SeatFeed({ pubsub: live.pubsub, store, logger, windowMs: config.SEAT_FEED_WINDOW_MS });
  store.publishChangesTo(seatFeed);
  const entry = new EntryGate(await importVerifyingKey(config.ENTRY_TOKEN_PUBLIC_KEY));
  const backbone = await startEventBackbone({
    service: "ticket",
    config,
    logger,
    outbox: prisma,
    consume: {
      topics: [CATALOG_TOPIC, PAYMENT_TOPIC],
      handle: withTestFaults(
        config,
        new EventHandlers().include(projection.handlers).include(paymentEvents).handle,
        logger,
      ),
    },
  });

  const subgraph = await startSubgraph<TicketContext>({
    name: "ticket",
    typeDefs: parse(readFileSync(TICKET_SCHEMA_PATH, "utf8")),
    resolvers,
    port: config.PORT,
    host: config.HOST,
    logger,
    contextVerifyingKey: await importVerifyingKey(config.CONTEXT_TOKEN_PUBLIC_KEY),
    operationLimits: operationLimitsFromConfig(config),
    buildContext: (base) => ({
      ...base,
      entry,
      seatFeed,
      pubsub: live.pubsub,
      holds,
      generalAdmission,
      reservations,
      seating,
      codes,
      memberships,
      loaders: createLoaders(store, { cache: !base.live }),
      membershipLoaders: createMembershipLoaders(store, base.viewer, { cache: !base.live }),
      transfers,
      ticketVerification,
      transferLoaders: createTransferLoaders(store, { cache: !base.live }),
    }),
    readiness: async () => {
      await database.ping();
      await locks.ping();
    },
    routes: (app) => {
      backbone.mount(app);
      if (config.INTERNAL_API_SECRET) {
        mountInternalApi(app, {
          secret: config.INTERNAL_API_SECRET,
          store,
          reservations,
          memberships,
          transfers,
          logger,
        });
      }
    },
  });

  return {
    subgraph,
    store,
    locks,
    holds,
    generalAdmission,
    reservations,
    seating,
    projection,
    saga,
    paymentEvents,
    memberships,
    membershipPayments,
    membershipSweeper,
    transfers,
    transferPayments,
    transferSweeper,
    ticketVerification,
    codes,
    sweeper,
    pubsub: live.pubsub,
    async stop() {
      await subgraph.stop();
      await backbone.stop();
      await sweeper.stop();
      await membershipSweeper.stop();
      await transferSweeper.stop();
      await seatFeed.stop();
      await live.close();
      await locks.close();
      await prisma.$disconnect();
      await database.close();
    },
  };
}
