import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { readMigrations } from "./migrations.ts";

/**
 * Prisma's schema engine, compiled to WebAssembly, driven through a pg driver adapter. This is how
 * migrations are created and drift is detected offline: the stock `prisma migrate` CLI downloads a
 * native engine, which these machines cannot do. Development tooling only; never loaded by services.
 */

interface DiffResult {
  exitCode: number;
  stdout: string | null;
}
interface SchemaEngine {
  diff(params: unknown): Promise<DiffResult>;
  free(): void;
}
interface SchemaEngineModule {
  __wbg_set_wasm(exports: unknown): void;
  SchemaEngine: {
    new: (options: unknown, log: (line: string) => void, adapter: object) => Promise<SchemaEngine>;
  };
}

/** Node has WebAssembly at runtime; its lib typings live in the DOM lib this project does not load. */
interface WasmRuntime {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: unknown } }>;
}
const wasmRuntime = () => (globalThis as unknown as { WebAssembly: WasmRuntime }).WebAssembly;

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** The engine reports Rust panics through this global; keep the message to throw it in JS. */
let lastPanic = "";
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
  set_message: (message: string) => {
    lastPanic = message;
  },
};

let engineModule: Promise<SchemaEngineModule> | undefined;

/** The package is ESM with a `.wasm` import Node cannot load; instantiate the module by hand, once. */
function loadEngineModule(): Promise<SchemaEngineModule> {
  engineModule ??= instantiateEngineModule();
  return engineModule;
}

async function instantiateEngineModule(): Promise<SchemaEngineModule> {
  const require = createRequire(__filename);
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
  const bindings = (await import(
    pathToFileURL(path.join(dir, "schema_engine_bg.js")).href
  )) as SchemaEngineModule;
  const bytes = await readFile(path.join(dir, "schema_engine_bg.wasm"));
  const { instance } = await wasmRuntime().instantiate(bytes, { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  return bindings;
}

/**
 * pg reports catalog columns of type `"char"` (oid 18), which adapter-pg cannot map; the engine
 * only reads them as text, so present them as text. Scoped to this tool, never to services.
 */
class CharAsTextPool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
  override async query(...args: any[]): Promise<any> {
    // biome-ignore lint/suspicious/noExplicitAny: forwarding the same overload
    const result = await (super.query as any)(...args);
    for (const field of result?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
    return result;
  }
}

class MigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "urr-schema-engine";
  constructor(private readonly adminUrl: string) {}

  connect(): Promise<SqlDriverAdapter> {
    return new PrismaPg(new CharAsTextPool({ connectionString: this.adminUrl }), {
      disposeExternalPool: true,
    }).connect();
  }

  /** A throwaway database to replay the migrations into, dropped when the engine disposes it. */
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    // The pid in the name lets a later run drop what a crashed run left behind.
    const name = `urr_shadow_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: this.adminUrl });
    await admin.connect();
    await dropOrphanedShadows(admin);
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(this.adminUrl);
    url.pathname = `/${name}`;
    const adapter = await new PrismaPg(new CharAsTextPool({ connectionString: url.toString() }), {
      disposeExternalPool: true,
    }).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    };
    return adapter;
  }
}

async function dropOrphanedShadows(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'urr_shadow_%'",
  );
  for (const { datname } of rows) {
    const pid = Number(datname.split("_")[2]);
    if (pid !== process.pid && !isAlive(pid))
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid > 4_194_304) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface SchemaSource {
  schemaPath: string;
  migrationsDir: string;
}

/**
 * The SQL that takes a database from the committed migrations to the Prisma schema; empty when
 * they agree. Needs a PostgreSQL server for the shadow database.
 */
export async function diffMigrationsToSchema(source: SchemaSource, adminUrl: string): Promise<string> {
  const bindings = await loadEngineModule();
  const schema = await readFile(source.schemaPath, "utf8");
  const migrations = await readMigrations(source.migrationsDir);
  const adapter = bindMigrationAwareSqlAdapterFactory(new MigrationAdapterFactory(adminUrl));
  const files = [{ path: path.basename(source.schemaPath), content: schema }];
  const engine = await bindings.SchemaEngine.new(
    { datamodels: [[files[0]?.path, schema]] },
    () => {},
    adapter,
  );
  try {
    return await runDiff(engine, source, migrations, files);
  } catch (error) {
    throw new Error(lastPanic ? `schema engine panicked: ${lastPanic}` : String(error));
  } finally {
    engine.free();
  }
}

async function runDiff(
  engine: SchemaEngine,
  source: SchemaSource,
  migrations: Awaited<ReturnType<typeof readMigrations>>,
  files: { path: string; content: string }[],
): Promise<string> {
  {
    const from =
      migrations.length === 0
        ? { tag: "empty" }
        : {
            tag: "migrations",
            baseDir: source.migrationsDir,
            lockfile: { path: "migration_lock.toml", content: 'provider = "postgresql"\n' },
            shadowDbInitScript: "",
            migrationDirectories: migrations.map((m) => ({
              path: m.name,
              migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } },
            })),
          };
    const result = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    const sql = (result.stdout ?? "").trim();
    if (lastPanic) throw new Error(`schema engine panicked: ${lastPanic}`);
    return sql === "-- This is an empty migration." ? "" : sql;
  }
}
