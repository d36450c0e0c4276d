import { randomBytes } from "node:crypto";
import path from "node:path";
import { applySchema, connectPgRunner } from "@urr/db";

/** The server tests create their databases on; `TEST_DATABASE_ADMIN_URL` overrides it. */
export const TEST_ADMIN_URL =
  process.env.TEST_DATABASE_ADMIN_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

const REPO_ROOT = path.resolve(__dirname, "../../..");

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function asAdmin(sql: string): Promise<void> {
  const admin = await connectPgRunner(TEST_ADMIN_URL);
  try {
    await admin.exec(sql);
  } finally {
    await admin.close();
  }
}

/** An empty database with a unique name (the migration runner's own tests start here). */
export async function createEmptyDatabase(label: string): Promise<TestDatabase> {
  const name = `urr_test_${label}_${randomBytes(5).toString("hex")}`;
  await asAdmin(`CREATE DATABASE "${name}"`);
  const url = new URL(TEST_ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => asAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/**
 * A fresh PostgreSQL database with a subgraph's schema applied: each test file gets its own, so
 * files run in parallel without seeing each other's rows.
 */
export async function createTestDatabase(subgraph: string): Promise<TestDatabase> {
  const database = await createEmptyDatabase(subgraph);
  const runner = await connectPgRunner(database.url);
  try {
    await applySchema(runner, path.join(REPO_ROOT, "prisma", subgraph));
  } finally {
    await runner.close();
  }
  return database;
}
