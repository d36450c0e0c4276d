/**
 * Offline Prisma migrations for every subgraph that keeps state.
 *
 *   npm run migrate:create -- <subgraph> <name>   write prisma/<subgraph>/migrations/<ts>_<name>/
 *   npm run migrate:check  [-- <subgraph>]        exit 1 when schema.prisma and migrations disagree
 *   npm run migrate:apply  -- <subgraph>           apply to DATABASE_URL
 *
 * create and check need a PostgreSQL server for Prisma's shadow database
 * (MIGRATE_ADMIN_URL, default postgresql://postgres@127.0.0.1:5432/postgres).
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { openDatabase } from "@urr/db";
import { diffMigrationsToSchema, type SchemaSource } from "@urr/db/src/schema-engine.ts";

const root = path.resolve(__dirname, "..");
const adminUrl = process.env.MIGRATE_ADMIN_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

function sourceOf(subgraph: string): SchemaSource {
  const dir = path.join(root, "prisma", subgraph);
  const schemaPath = path.join(dir, "schema.prisma");
  if (!existsSync(schemaPath)) throw new Error(`no Prisma schema at prisma/${subgraph}/schema.prisma`);
  return { schemaPath, migrationsDir: path.join(dir, "migrations") };
}

async function statefulSubgraphs(): Promise<string[]> {
  const entries = await readdir(path.join(root, "prisma"), { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(path.join(root, "prisma", e.name, "schema.prisma")))
    .map((e) => e.name);
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

async function create(subgraph: string, name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("migration name must be snake_case: [a-z0-9_]+");
  const source = sourceOf(subgraph);
  const sql = await diffMigrationsToSchema(source, adminUrl);
  if (!sql) {
    console.log(`${subgraph}: schema and migrations already agree, nothing to create`);
    return;
  }
  const dir = path.join(source.migrationsDir, `${timestamp()}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), `${sql}\n`);
  await writeFile(path.join(source.migrationsDir, "migration_lock.toml"), 'provider = "postgresql"\n');
  console.log(`${subgraph}: wrote ${path.relative(root, dir)}/migration.sql`);
}

async function check(subgraphs: string[]): Promise<boolean> {
  let clean = true;
  for (const subgraph of subgraphs) {
    const sql = await diffMigrationsToSchema(sourceOf(subgraph), adminUrl);
    if (sql) {
      clean = false;
      console.log(`${subgraph}: DRIFT — schema.prisma differs from its migrations. Missing SQL:\n${sql}\n`);
      console.log(`Run: npm run migrate:create -- ${subgraph} <name>`);
    } else {
      console.log(`${subgraph}: schema and migrations agree`);
    }
  }
  return clean;
}

async function apply(subgraph: string): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL must name the database to migrate");
  const db = await openDatabase({ kind: "postgres", url });
  const result = await db.migrate(path.dirname(sourceOf(subgraph).migrationsDir));
  console.log(
    `${subgraph}: applied ${result.applied.length}, already applied ${result.alreadyApplied.length}`,
  );
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case "create": {
      const [subgraph, name] = args;
      if (!subgraph || !name) throw new Error("usage: migrate create <subgraph> <name>");
      await create(subgraph, name);
      return 0;
    }
    case "check":
      return (await check(args.length ? args : await statefulSubgraphs())) ? 0 : 1;
    case "apply": {
      const [subgraph] = args;
      if (!subgraph) throw new Error("usage: migrate apply <subgraph>");
      await apply(subgraph);
      return 0;
    }
    default:
      throw new Error("usage: migrate <create|check|apply> ...");
  }
}

main().then(
  // The pg pools behind the engine idle for seconds; exit explicitly.
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
