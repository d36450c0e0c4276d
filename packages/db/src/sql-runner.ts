import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/**
 * The few SQL operations the migration runner and test helpers need, over either a real PostgreSQL
 * connection or an embedded PGlite instance.
 */
export interface SqlRunner {
  /** Runs a script that may hold several statements. */
  exec(sql: string): Promise<void>;
  query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export async function connectPgRunner(url: string): Promise<SqlRunner> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      (await client.query<Row>(sql, params)).rows,
    close: () => client.end(),
  };
}

export function pgliteRunner(db: PGlite): SqlRunner {
  return {
    exec: async (sql) => {
      await db.exec(sql);
    },
    query: async <Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      (await db.query<Row>(sql, params)).rows,
    // The PGlite instance is owned by whoever opened it (it also serves Prisma).
    close: async () => {},
  };
}
