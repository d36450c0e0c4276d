/**
 * The PostgreSQL error under a Prisma raw-query failure: its SQLSTATE and DETAIL, as the driver
 * adapters report them (`@prisma/adapter-pg` and the PGlite adapter alike put the server's error in
 * `meta.driverAdapterError.cause`; Prisma's own `code` is only P2010, "raw query failed").
 * Null for anything else. Lets a repository map a function's own SQLSTATEs by code, never by text.
 */
export function sqlErrorOf(error: unknown): { sqlState: string; detail: string | undefined } | null {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: unknown } } } | null)?.meta
    ?.driverAdapterError?.cause as { originalCode?: unknown; code?: unknown; detail?: unknown } | undefined;
  const sqlState = cause?.originalCode ?? cause?.code;
  if (typeof sqlState !== "string") return null;
  return { sqlState, detail: typeof cause?.detail === "string" ? cause.detail : undefined };
}
