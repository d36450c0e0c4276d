import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { type ApplyResult, applySchema } from "./migrations.ts";
import { connectPgRunner, pgliteRunner } from "./sql-runner.ts";

/**
 * Where a subgraph keeps its state: a real PostgreSQL database (services mode, tests) or an
 * embedded PGlite directory (the default `npm start` on a machine with only Node).
 */
export type DatabaseTarget =
  | { kind: "postgres"; url: string; poolSize?: number }
  | { kind: "pglite"; dataDir: string };

export interface Database {
  /** Give this to the subgraph's generated PrismaClient. */
  adapter: SqlDriverAdapterFactory;
  /** Applies `<prismaDir>/migrations` then `<prismaDir>/constraints`. */
  migrate(prismaDir: string): Promise<ApplyResult>;
  /** Cheap liveness probe for readiness endpoints. */
  ping(): Promise<void>;
  close(): Promise<void>;
  describe(): string;
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === "postgres" ? openPostgres(target.url, target.poolSize) : openPglite(target.dataDir);
}

function openPostgres(url: string, poolSize = 10): Database {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize });
  return {
    adapter,
    async migrate(dir) {
      const runner = await connectPgRunner(url);
      try {
        return await applySchema(runner, dir);
      } finally {
        await runner.close();
      }
    },
    async ping() {
      const runner = await connectPgRunner(url);
      try {
        await runner.query("SELECT 1");
      } finally {
        await runner.close();
      }
    },
    async close() {},
    describe: () => `postgres ${redactPassword(url)}`,
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  return {
    adapter: new PrismaPGlite(db),
    migrate: (dir) => applySchema(pgliteRunner(db), dir),
    async ping() {
      await db.query("SELECT 1");
    },
    close: () => db.close(),
    describe: () => `embedded PGlite at ${dataDir}`,
  };
}

export function redactPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
