/**
 * Rebuilds the stats projection from its journal and prints what it replayed (an operator's tool;
 * admins can also call `rebuildStats`). Runs against PostgreSQL while stats serves: the rebuild is
 * one transaction, so readers keep the old figures until it commits.
 *
 *   DATABASE_URL=… node --import tsx subgraphs/stats/src/jobs/rebuild.ts
 */
import { env, loadConfig } from "@urr/config";
import { openDatabase } from "@urr/db";
import { z } from "zod";
import { statsConfigSchema } from "../config.ts";
import { StatsProjection } from "../projection/stats-projection.ts";
import { createPrismaClient } from "../repositories/prisma.ts";
import { StatsStore } from "../repositories/stats-store.ts";

const config = loadConfig(
  "stats rebuild",
  z.object({
    DATABASE_URL: env.postgresUrl(),
    STATS_REBUILD_TIMEOUT_MS: statsConfigSchema.shape.STATS_REBUILD_TIMEOUT_MS,
  }),
);

async function main(): Promise<void> {
  const database = await openDatabase({ kind: "postgres", url: config.DATABASE_URL, poolSize: 2 });
  const prisma = createPrismaClient(database.adapter);
  const projection = new StatsProjection({
    store: new StatsStore(prisma),
    rebuildTimeoutMs: config.STATS_REBUILD_TIMEOUT_MS,
  });
  process.stdout.write(`${JSON.stringify(await projection.rebuild())}\n`);
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
