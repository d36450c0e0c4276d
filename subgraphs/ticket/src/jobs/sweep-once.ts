/**
 * Releases expired holds once and prints what it did (an operator's tool; the subgraph also sweeps
 * on a timer). Uses the subgraph's own configuration.
 *
 *   DATABASE_URL=… REDIS_URL=… node --import tsx subgraphs/ticket/src/jobs/sweep-once.ts
 */

import { env, loadConfig } from "@urr/config";
import { openDatabase } from "@urr/db";
import { createLogger } from "@urr/logger";
import Redis from "ioredis";
import { z } from "zod";
import { ExpirySweeper } from "../domain/expiry-sweeper.ts";
import { MemorySeatLockStore } from "../locks/memory-seat-lock-store.ts";
import { RedisSeatLockStore } from "../locks/redis-seat-lock-store.ts";
import { createPrismaClient } from "../repositories/prisma.ts";
import { TicketStore } from "../repositories/ticket-store.ts";

const config = loadConfig(
  "ticket sweep",
  z.object({ DATABASE_URL: env.postgresUrl(), REDIS_URL: z.string().optional(), LOG_LEVEL: env.logLevel() }),
);

async function main(): Promise<void> {
  const logger = createLogger("ticket-sweep", { level: config.LOG_LEVEL });
  const database = await openDatabase({ kind: "postgres", url: config.DATABASE_URL, poolSize: 2 });
  const prisma = createPrismaClient(database.adapter);
  const locks = config.REDIS_URL
    ? new RedisSeatLockStore(new Redis(config.REDIS_URL))
    : new MemorySeatLockStore();
  const result = await new ExpirySweeper({ store: new TicketStore(prisma), locks, logger }).sweepOnce();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await locks.close();
  await prisma.$disconnect();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
