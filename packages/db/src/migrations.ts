import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SqlRunner } from "./sql-runner.ts";

/**
 * A subgraph's schema: Prisma's migrations, then the constraint scripts (CHECKs and the like) that
 * Prisma does not model, each with its own history table.
 */
export async function applySchema(runner: SqlRunner, prismaDir: string): Promise<ApplyResult> {
  const prisma = await applyMigrations(runner, `${prismaDir}/migrations`, PRISMA_HISTORY);
  const constraints = await applyMigrations(runner, `${prismaDir}/constraints`, CONSTRAINTS_HISTORY);
  return {
    applied: [...prisma.applied, ...constraints.applied],
    alreadyApplied: [...prisma.alreadyApplied, ...constraints.alreadyApplied],
  };
}

/**
 * Applies Prisma-layout migrations (`<dir>/<timestamp>_<name>/migration.sql`) and records them in
 * Prisma's own `_prisma_migrations` table with Prisma's checksum (SHA-256 of the file), so the stock
 * `prisma migrate` CLI sees the same history wherever it can run. Works offline, on PostgreSQL and
 * on PGlite, and is safe when several instances start at once (advisory lock).
 */

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface ApplyResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Prisma's history table, and ours for the constraint scripts Prisma does not model. */
export const PRISMA_HISTORY = "_prisma_migrations";
export const CONSTRAINTS_HISTORY = "_urr_constraint_migrations";

const historyTable = (table: string) => `
CREATE TABLE IF NOT EXISTS "${table}" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** An arbitrary constant: every URR migrator takes the same lock key within its own database. */
const MIGRATION_LOCK_KEY = 72_707_001;

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export async function readMigrations(migrationsDir: string): Promise<Migration[]> {
  if (!existsSync(migrationsDir)) return [];
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

export async function applyMigrations(
  runner: SqlRunner,
  migrationsDir: string,
  table: string = PRISMA_HISTORY,
): Promise<ApplyResult> {
  const migrations = await readMigrations(migrationsDir);
  await runner.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  try {
    await runner.exec(historyTable(table));
    const rows = await runner.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "${table}" WHERE rolled_back_at IS NULL`,
    );
    const history = new Map(rows.map((r) => [r.migration_name, r]));
    const result: ApplyResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const previous = history.get(migration.name);
      if (previous) {
        if (!previous.finished_at) {
          throw new MigrationError(`migration ${migration.name} started earlier but never finished`);
        }
        if (previous.checksum !== migration.checksum) {
          throw new MigrationError(
            `migration ${migration.name} was edited after it was applied (checksum mismatch); add a new migration instead`,
          );
        }
        result.alreadyApplied.push(migration.name);
        continue;
      }
      await applyOne(runner, migration, table);
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    await runner.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
  }
}

async function applyOne(runner: SqlRunner, migration: Migration, table: string): Promise<void> {
  // PostgreSQL DDL is transactional: a failing migration leaves neither schema changes nor history.
  await runner.exec("BEGIN");
  try {
    await runner.exec(migration.sql);
    await runner.query(
      `INSERT INTO "${table}" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await runner.exec("COMMIT");
  } catch (error) {
    await runner.exec("ROLLBACK");
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${migration.name} failed: ${reason}`);
  }
}
