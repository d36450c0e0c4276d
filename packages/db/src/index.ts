export {
  type Database,
  type DatabaseTarget,
  openDatabase,
  openSubgraphDatabase,
  redactPassword,
  type SubgraphDatabaseConfig,
  TRANSACTION_OPTIONS,
  type TransactionOptions,
} from "./database.ts";
export {
  type ApplyResult,
  applyMigrations,
  applySchema,
  CONSTRAINTS_HISTORY,
  type Migration,
  MigrationError,
  PRISMA_HISTORY,
  readMigrations,
} from "./migrations.ts";
export { connectPgRunner, pgliteRunner, type SqlRunner } from "./sql-runner.ts";
