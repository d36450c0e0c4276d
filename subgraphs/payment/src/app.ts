import { readFileSync } from "node:fs";
import path from "node:path";
import { importVerifyingKey } from "@urr/auth-tokens";
import { openSubgraphDatabase } from "@urr/db";
import { EventHandlers, RESERVATION_TOPIC, startEventBackbone, TRANSFER_TOPIC } from "@urr/events";
import type { Logger } from "@urr/logger";
import { operationLimitsFromConfig } from "@urr/operation-limits";
import { CircuitBreaker, type RunningSubgraph, startSubgraph } from "@urr/subgraph-kit";
import { parse } from "graphql";
import type { PaymentConfig } from "./config.ts";
import { createLoaders, type PaymentContext } from "./context.ts";
import { ConfirmationService } from "./domain/confirmation.service.ts";
import { PaymentService } from "./domain/payment.service.ts";
import { Reconciler } from "./domain/reconciler.ts";
import { RefundService } from "./domain/refund.service.ts";
import { reservationOutcomes } from "./domain/reservation-outcomes.ts";
import { transferOutcomes } from "./domain/transfer-outcomes.ts";
import type { PaymentProvider } from "./providers/payment-provider.ts";
import { SimulatedPaymentProvider } from "./providers/simulated-provider.ts";
import { TossPaymentProvider } from "./providers/toss-provider.ts";
import {
  MembershipChecker,
  ReservationChecker,
  TransferChecker,
  UnavailableKind,
} from "./references/reference-checker.ts";
import { RefundPolicy } from "./references/refund-policy.ts";
import { TicketClient } from "./references/ticket-client.ts";
import { PaymentStore } from "./repositories/payment-store.ts";
import { createPrismaClient } from "./repositories/prisma.ts";
import { resolvers } from "./resolvers/index.ts";

const ROOT = path.resolve(__dirname, "../../..");
export const PAYMENT_SCHEMA_PATH = path.resolve(__dirname, "../schema.graphql");
export const PAYMENT_PRISMA_DIR = path.join(ROOT, "prisma/payment");

export interface PaymentApp {
  subgraph: RunningSubgraph;
  store: PaymentStore;
  payments: PaymentService;
  confirmation: ConfirmationService;
  refunds: RefundService;
  reconciler: Reconciler;
  stop(): Promise<void>;
}

export interface PaymentAppOptions {
  /** Tests bring their own provider (a counting one, for example). */
  provider?: PaymentProvider;
}

export function createProvider(
  config: Pick<
    PaymentConfig,
    | "PAYMENT_PROVIDER"
    | "PAYMENT_PROVIDER_URL"
    | "PAYMENT_PROVIDER_SECRET_KEY"
    | "PAYMENT_PROVIDER_TIMEOUT_MS"
  >,
  logger: Logger,
): PaymentProvider {
  if (config.PAYMENT_PROVIDER === "toss") {
    return new TossPaymentProvider({
      baseUrl: config.PAYMENT_PROVIDER_URL,
      secretKey: config.PAYMENT_PROVIDER_SECRET_KEY ?? "",
      timeoutMs: config.PAYMENT_PROVIDER_TIMEOUT_MS,
    });
  }
  logger.warn("PAYMENT_PROVIDER=simulated: payments are approved in-process and no money moves (demo mode)");
  return new SimulatedPaymentProvider();
}

export async function startPaymentApp(
  config: PaymentConfig,
  logger: Logger,
  options: PaymentAppOptions = {},
): Promise<PaymentApp> {
  const database = await openSubgraphDatabase(config, { root: ROOT, prismaDir: PAYMENT_PRISMA_DIR }, logger);
  const prisma = createPrismaClient(database.adapter);
  const store = new PaymentStore(prisma);
  const provider = options.provider ?? createProvider(config, logger);
  const ticket = new TicketClient({
    baseUrl: config.TICKET_INTERNAL_URL,
    secret: config.INTERNAL_API_SECRET ?? "",
    timeoutMs: config.TICKET_CALL_TIMEOUT_MS,
    breaker: new CircuitBreaker({
      service: "ticket",
      failureThreshold: 5,
      resetAfterMs: config.TICKET_CIRCUIT_RESET_MS,
    }),
  });
  const confirmation = new ConfirmationService({
    store,
    provider,
    logger,
    providerTimeoutMs: config.PAYMENT_PROVIDER_TIMEOUT_MS,
  });
  const refunds = new RefundService({ store, provider, logger });
  // Without the service secret ticket cannot be asked, so nothing ticket owns can be paid for.
  const reservationChecker = config.INTERNAL_API_SECRET
    ? new ReservationChecker(ticket, logger)
    : new UnavailableKind("RESERVATION");
  const membershipChecker = config.INTERNAL_API_SECRET
    ? new MembershipChecker(ticket, logger)
    : new UnavailableKind("MEMBERSHIP");
  const payments = new PaymentService({
    store,
    provider,
    confirmation,
    refunds,
    ...(config.INTERNAL_API_SECRET ? { refundPolicy: new RefundPolicy(ticket, logger) } : {}),
    references: {
      RESERVATION: reservationChecker,
      TRANSFER: config.INTERNAL_API_SECRET
        ? new TransferChecker(ticket, logger)
        : new UnavailableKind("TRANSFER"),
      MEMBERSHIP: membershipChecker,
    },
  });
  const reconciler = new Reconciler({
    store,
    provider,
    confirmation,
    refunds,
    reservation: (id) => ticket.reservation(id),
    logger,
    staleClaimMs: config.PAYMENT_PROVIDER_TIMEOUT_MS + 5_000,
    fulfilmentGraceMs: config.FULFILMENT_GRACE_MS,
  });
  reconciler.start(config.RECONCILE_INTERVAL_MS);

  const backbone = await startEventBackbone({
    service: "payment",
    config,
    logger,
    outbox: prisma,
    consume: {
      topics: [RESERVATION_TOPIC, TRANSFER_TOPIC],
      handle: new EventHandlers()
        .include(reservationOutcomes({ store, refunds, logger }))
        .include(transferOutcomes({ store, refunds, logger })).handle,
    },
  });

  const subgraph = await startSubgraph<PaymentContext>({
    name: "payment",
    typeDefs: parse(readFileSync(PAYMENT_SCHEMA_PATH, "utf8")),
    resolvers,
    port: config.PORT,
    host: config.HOST,
    logger,
    contextVerifyingKey: await importVerifyingKey(config.CONTEXT_TOKEN_PUBLIC_KEY),
    operationLimits: operationLimitsFromConfig(config),
    buildContext: (base) => ({ ...base, payments, reconciler, loaders: createLoaders(store) }),
    readiness: () => database.ping(),
    routes: (app) => backbone.mount(app),
  });

  return {
    subgraph,
    store,
    payments,
    confirmation,
    refunds,
    reconciler,
    async stop() {
      await subgraph.stop();
      await reconciler.stop();
      await backbone.stop();
      await prisma.$disconnect();
      await database.close();
    },
  };
}
