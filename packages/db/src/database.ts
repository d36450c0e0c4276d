import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { tracingEnabled } from "@urr/telemetry";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { type ApplyResult, applySchema } from "./migrations.ts";
import { connectPgRunner, pgliteRunner } from "./sql-runner.ts";
import { tracedAdapterFactory } from "./traced-adapter.ts";

/**
 * Where a subgraph keeps its state: a real PostgreSQL database (services mode, tests) or an
 * embedded PGlite directory (the default `npm start` on a machine with only Node).
 */
export type DatabaseTarget =
  | { kind: "postgres"; url: string; poolSize?: number }
  | { kind: "pglite"; dataDir: string };

/** Prisma's interactive-transaction limits (`new PrismaClient({ adapter, transactionOptions })`). */
export interface TransactionOptions {
  /** How long a transaction may wait to start (for a pooled connection, or PGlite's one). */
  maxWait: number;
  /** How long it may run before Prisma rolls it back. */
  timeout: number;
}

/**
 * PostgreSQL: Prisma's defaults; a pool hands out connections to whoever asks.
 * PGlite: one connection, taken in arrival order (PGlite's own mutex) by every query and
 * transaction, so waiting for it is queueing, not a fault. Prisma's 2 s default turned a short queue
 * of requests into P2028 refusals; 5 s lets it drain, and stays inside the gateway's 10 s.
 */
export const TRANSACTION_OPTIONS: Record<DatabaseTarget["kind"], TransactionOptions> = {
  postgres: { maxWait: 2_000, timeout: 5_000 },
  pglite: { maxWait: 5_000, timeout: 5_000 },
};

export interface Database {
  /** Give this to the subgraph's generated PrismaClient. */
  adapter: SqlDriverAdapterFactory;
  /** Give these to the PrismaClient too (`transactionOptions`): they suit this kind of database. */
  transactionOptions: TransactionOptions;
  /** Applies `<prismaDir>/migrations` then `<prismaDir>/constraints`. */
  migrate(prismaDir: string): Promise<ApplyResult>;
  /** Cheap liveness probe for readiness endpoints. */
  ping(): Promise<void>;
  close(): Promise<void>;
  describe(): string;
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const database =
    target.kind === "postgres" ? openPostgres(target.url, target.poolSize) : await openPglite(target.dataDir);
  // Statement and transaction spans only when spans are recorded (tracing is started first).
  return tracingEnabled() ? { ...database, adapter: tracedAdapterFactory(database.adapter) } : database;
}

function openPostgres(url: string, poolSize = 10): Database {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize });
  return {
    adapter,
    transactionOptions: TRANSACTION_OPTIONS.postgres,
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

/**
 * PostgreSQL's 128 MB of shared buffers are set up on every PGlite open, in WebAssembly: measured
 * here at 1.0 s and 1.3 s of CPU per open, against 0.55 s and 0.8 s with 16 MB. An embedded
 * database holds demo data of a few megabytes, so 16 MB caches all of it; services mode sizes its
 * real PostgreSQL as its operators see fit.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"];

async function openPglite(dataDir: string): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { startParams: PGLITE_START_PARAMS });
  return {
    adapter: new PrismaPGlite(db),
    transactionOptions: TRANSACTION_OPTIONS.pglite,
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

/** The database settings every stateful subgraph reads from its environment. */
export interface SubgraphDatabaseConfig {
  DATABASE_URL?: string | undefined;
  PGLITE_DATA_DIR: string;
  DATABASE_POOL_SIZE: number;
}

/**
 * Opens a subgraph's database (PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise) and
 * brings its schema up to date from `prisma/<subgraph>`.
 */
export async function openSubgraphDatabase(
  config: SubgraphDatabaseConfig,
  paths: { root: string; prismaDir: string },
  logger: { info(details: object, message: string): void },
): Promise<Database> {
  const database = await openDatabase(
    config.DATABASE_URL
      ? { kind: "postgres", url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }
      : { kind: "pglite", dataDir: path.resolve(paths.root, config.PGLITE_DATA_DIR) },
  );
  const migrated = await database.migrate(paths.prismaDir);
  logger.info({ database: database.describe(), applied: migrated.applied }, "database ready");
  return database;
}
