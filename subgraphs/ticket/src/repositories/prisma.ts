import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { type Prisma, PrismaClient } from "../generated/prisma/client.ts";

export type Db = PrismaClient | Prisma.TransactionClient;

/** `onQuery` lets tests count the SQL statements a request causes (the N+1 guard). */
export function createPrismaClient(
  adapter: SqlDriverAdapterFactory,
  onQuery?: (sql: string) => void,
): PrismaClient {
  if (!onQuery) return new PrismaClient({ adapter });
  const client = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  client.$on("query", (event) => onQuery(event.query));
  return client;
}

export type { Prisma, PrismaClient };
