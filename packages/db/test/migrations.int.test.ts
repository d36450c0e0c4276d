import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createEmptyDatabase, type TestDatabase } from "@urr/testkit";
import { applyMigrations, applySchema, connectPgRunner, MigrationError } from "../src/index.ts";

let db: TestDatabase;
let dir: string;

async function migration(name: string, sql: string) {
  await mkdir(path.join(dir, name), { recursive: true });
  await writeFile(path.join(dir, name, "migration.sql"), sql);
}

beforeEach(async () => {
  db = await createEmptyDatabase("migrations");
  dir = await mkdtemp(path.join(tmpdir(), "urr-migrations-"));
});
afterEach(() => db.drop());

describe("migration runner", () => {
  it("applies pending migrations once, in order, into Prisma's history table", async () => {
    await migration("20260101000000_a", "CREATE TABLE a (id int primary key);");
    await migration("20260102000000_b", "ALTER TABLE a ADD COLUMN b text;");
    const runner = await connectPgRunner(db.url);
    try {
      expect(await applyMigrations(runner, dir)).toEqual({
        applied: ["20260101000000_a", "20260102000000_b"],
        alreadyApplied: [],
      });
      expect(await applyMigrations(runner, dir)).toEqual({
        applied: [],
        alreadyApplied: ["20260101000000_a", "20260102000000_b"],
      });
      const history = await runner.query<{ migration_name: string; checksum: string }>(
        'SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(history.map((h) => h.migration_name)).toEqual(["20260101000000_a", "20260102000000_b"]);
      expect(history[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await runner.close();
    }
  });

  it("is safe when several instances start at once", async () => {
    await migration("20260101000000_a", "CREATE TABLE a (id int primary key); INSERT INTO a VALUES (1);");
    const runners = await Promise.all(Array.from({ length: 4 }, () => connectPgRunner(db.url)));
    try {
      const results = await Promise.all(runners.map((r) => applyMigrations(r, dir)));
      expect(results.flatMap((r) => r.applied)).toEqual(["20260101000000_a"]);
      expect(await runners[0]!.query("SELECT * FROM a")).toHaveLength(1);
    } finally {
      await Promise.all(runners.map((r) => r.close()));
    }
  });

  it("rolls back a failing migration completely and reports which one", async () => {
    await migration("20260101000000_ok", "CREATE TABLE ok (id int);");
    await migration("20260102000000_bad", "CREATE TABLE half (id int); SELECT * FROM missing_table;");
    const runner = await connectPgRunner(db.url);
    try {
      await expect(applyMigrations(runner, dir)).rejects.toThrow(/20260102000000_bad failed/);
      const tables = await runner.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      );
      expect(tables.map((t) => t.table_name)).toEqual(["_prisma_migrations", "ok"]);
    } finally {
      await runner.close();
    }
  });

  it("refuses to run when an applied migration was edited", async () => {
    await migration("20260101000000_a", "CREATE TABLE a (id int);");
    const runner = await connectPgRunner(db.url);
    try {
      await applyMigrations(runner, dir);
      await migration("20260101000000_a", "CREATE TABLE a (id int, sneaky text);");
      const error = await applyMigrations(runner, dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toMatch(/edited after it was applied/);
    } finally {
      await runner.close();
    }
  });

  it("applies a subgraph's Prisma migrations, then its constraint scripts, each with its own history", async () => {
    await migration("migrations/20260101000000_init", "CREATE TABLE stock (qty int NOT NULL);");
    await migration(
      "constraints/20260101000001_bounds",
      "ALTER TABLE stock ADD CONSTRAINT qty_positive CHECK (qty >= 0);",
    );
    const runner = await connectPgRunner(db.url);
    try {
      expect((await applySchema(runner, dir)).applied).toEqual([
        "20260101000000_init",
        "20260101000001_bounds",
      ]);
      expect(await runner.query('SELECT migration_name FROM "_prisma_migrations"')).toEqual([
        { migration_name: "20260101000000_init" },
      ]);
      await expect(runner.query("INSERT INTO stock VALUES (-1)")).rejects.toThrow(/qty_positive/);
    } finally {
      await runner.close();
    }
  });
});
