/**
 * Runs one reconciliation pass and prints what it repaired (an operator's tool; the subgraph also
 * reconciles on a timer). Reads the subgraph's provider and ticket settings.
 *
 *   DATABASE_URL=… PAYMENT_PROVIDER=toss PAYMENT_PROVIDER_SECRET_KEY=… INTERNAL_API_SECRET=… \
 *     node --import tsx subgraphs/payment/src/jobs/reconcile-once.ts
 */
import { env, loadConfig } from "@urr/config";
import { openDatabase } from "@urr/db";
import { createLogger } from "@urr/logger";
import { z } from "zod";
import { createProvider } from "../app.ts";
import { paymentConfigSchema } from "../config.ts";
import { ConfirmationService } from "../domain/confirmation.service.ts";
import { Reconciler } from "../domain/reconciler.ts";
import { RefundService } from "../domain/refund.service.ts";
import { TicketClient } from "../references/ticket-client.ts";
import { PaymentStore } from "../repositories/payment-store.ts";
import { createPrismaClient } from "../repositories/prisma.ts";

const shape = paymentConfigSchema.shape;
const config = loadConfig(
  "payment reconciliation",
  z.object({
    DATABASE_URL: env.postgresUrl(),
    LOG_LEVEL: env.logLevel(),
    PAYMENT_PROVIDER: shape.PAYMENT_PROVIDER,
    PAYMENT_PROVIDER_URL: shape.PAYMENT_PROVIDER_URL,
    PAYMENT_PROVIDER_SECRET_KEY: shape.PAYMENT_PROVIDER_SECRET_KEY,
    PAYMENT_PROVIDER_TIMEOUT_MS: shape.PAYMENT_PROVIDER_TIMEOUT_MS,
    TICKET_INTERNAL_URL: shape.TICKET_INTERNAL_URL,
    INTERNAL_API_SECRET: z.string().min(32),
    FULFILMENT_GRACE_MS: shape.FULFILMENT_GRACE_MS,
  }),
);

async function main(): Promise<void> {
  const logger = createLogger("payment-reconcile", { level: config.LOG_LEVEL });
  const database = await openDatabase({ kind: "postgres", url: config.DATABASE_URL, poolSize: 2 });
  const prisma = createPrismaClient(database.adapter);
  const store = new PaymentStore(prisma);
  const provider = createProvider(config, logger);
  const ticket = new TicketClient({
    baseUrl: config.TICKET_INTERNAL_URL,
    secret: config.INTERNAL_API_SECRET,
  });
  const confirmation = new ConfirmationService({
    store,
    provider,
    logger,
    providerTimeoutMs: config.PAYMENT_PROVIDER_TIMEOUT_MS,
  });
  const reconciler = new Reconciler({
    store,
    provider,
    confirmation,
    refunds: new RefundService({ store, provider, logger }),
    reservation: (id) => ticket.reservation(id),
    logger,
    staleClaimMs: config.PAYMENT_PROVIDER_TIMEOUT_MS + 5_000,
    fulfilmentGraceMs: config.FULFILMENT_GRACE_MS,
  });
  for (const action of await reconciler.runOnce()) process.stdout.write(`${JSON.stringify(action)}\n`);
  await prisma.$disconnect();
  await database.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
