export { type Database, type DatabaseTarget, openDatabase, redactPassword } from "./database.ts";
export {
  type ApplyResult,
  applyMigrations,
  type Migration,
  MigrationError,
  readMigrations,
} from "./migrations.ts";
export { connectPgRunner, pgliteRunner, type SqlRunner } from "./sql-runner.ts";
