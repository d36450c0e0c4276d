import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";

/**
 * The repository carries source, not state: a benchmark once committed a whole PGlite data
 * directory (1,002 files, 30 MB). Every tracked file is checked for the marks of a database and for
 * size; generated code (Prisma clients, resolver types) is the only large text allowed.
 */
const ROOT = path.resolve(__dirname, "../..");
const MAX_BYTES = 1024 * 1024;
const GENERATED = /^subgraphs\/[^/]+\/src\/generated\//;
/** Names PostgreSQL, PGlite, SQLite and similar stores leave in a data directory. */
const DATABASE_FILE =
  /(^|\/)(PG_VERSION|postmaster\.(pid|opts)|pg_control|pg_filenode\.map|pg_hba\.conf)$|(^|\/)(pg_wal|pg_xact|global|base)\/\d|\.(sqlite3?|db|mdb|ldb|rdb|aof)$|(^|\/)dump\.rdb$/;

const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" })
  .split("\0")
  .filter(Boolean);

describe("tracked files", () => {
  it("finds the repository's files (the checks below would pass vacuously otherwise)", () => {
    expect(tracked).toContain("package.json");
  });

  it("include no database files", () => {
    expect(tracked.filter((file) => DATABASE_FILE.test(file))).toEqual([]);
  });

  it("are at most 1 MiB each, generated clients aside", () => {
    const large = tracked
      .filter((file) => !GENERATED.test(file))
      .map((file) => ({ file, bytes: statSync(path.join(ROOT, file), { throwIfNoEntry: false })?.size ?? 0 }))
      .filter(({ bytes }) => bytes > MAX_BYTES);
    expect(large).toEqual([]);
  });

  it("recognises what a data directory holds", () => {
    for (const file of [
      "unused/payment/PG_VERSION",
      "x/base/1/1259",
      "x/pg_wal/000000010000",
      "a/postmaster.pid",
      "s.sqlite",
    ])
      expect({ file, database: DATABASE_FILE.test(file) }).toEqual({ file, database: true });
    for (const file of ["prisma/ticket/schema.prisma", "packages/db/src/database.ts", "docs/ARCHITECTURE.md"])
      expect({ file, database: DATABASE_FILE.test(file) }).toEqual({ file, database: false });
  });
});
