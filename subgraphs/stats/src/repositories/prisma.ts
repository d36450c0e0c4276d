import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { Prisma, PrismaClient } from "../generated/prisma/client.ts";

/** Either the root client or the client of an open transaction: repositories work with both. */
export type Db = PrismaClient | Prisma.TransactionClient;

export function createPrismaClient(adapter: SqlDriverAdapterFactory): PrismaClient {
  return new PrismaClient({ adapter });
}

export type { PrismaClient };
export { Prisma };
