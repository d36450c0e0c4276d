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

function urlFor(database: string): string {
  const url = new URL(TEST_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A fresh PostgreSQL database with a subgraph's migrations applied: each test file gets its own, so
 * files run in parallel without seeing each other's rows.
 */
export async function createTestDatabase(subgraph: string): Promise<TestDatabase> {
  const name = `urr_test_${subgraph}_${randomBytes(5).toString("hex")}`;
  const admin = await connectPgRunner(TEST_ADMIN_URL);
  try {
    await admin.exec(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.close();
  }
  const url = urlFor(name);
  const runner = await connectPgRunner(url);
  try {
    await applySchema(runner, path.join(REPO_ROOT, "prisma", subgraph));
  } finally {
    await runner.close();
  }
  return {
    name,
    url,
    async drop() {
      const admin = await connectPgRunner(TEST_ADMIN_URL);
      try {
        await admin.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.close();
      }
    },
  };
}

/** An empty database (no migrations), for testing the migration runner itself. */
export async function createEmptyDatabase(label: string): Promise<TestDatabase> {
  const name = `urr_test_${label}_${randomBytes(5).toString("hex")}`;
  const admin = await connectPgRunner(TEST_ADMIN_URL);
  try {
    await admin.exec(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.close();
  }
  return {
    name,
    url: urlFor(name),
    async drop() {
      const admin = await connectPgRunner(TEST_ADMIN_URL);
      try {
        await admin.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.close();
      }
    },
  };
}
