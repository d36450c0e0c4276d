import type { Database } from "@urr/db";
import { type Prisma, PrismaClient } from "../generated/prisma/client.ts";

/** Either the root client or the client of an open transaction: repositories work with both. */
export type Db = PrismaClient | Prisma.TransactionClient;

export function createPrismaClient(database: Pick<Database, "adapter" | "transactionOptions">): PrismaClient {
  return new PrismaClient({ adapter: database.adapter, transactionOptions: database.transactionOptions });
}

export type { Prisma, PrismaClient };
