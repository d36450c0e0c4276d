import { ConflictError, type DomainError, NotFoundError, ServiceUnavailableError } from "./domain-errors.ts";

/** What a client is told to wait when the database is saturated: pools drain within a second or two. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

/**
 * Maps the Prisma errors a user can cause to domain errors; returns undefined for everything else
 * (which is then masked). Duck-typed on `code` so this package does not depend on any one generated
 * Prisma client: each subgraph has its own.
 */
export function mapPrismaError(error: unknown, entity = "Record"): DomainError | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const code = (error as { code: unknown }).code;
  const meta = (error as { meta?: { target?: unknown; modelName?: unknown } }).meta;
  switch (code) {
    case "P2002": {
      const target = meta?.target;
      const fields = Array.isArray(target) ? target.map(String) : typeof target === "string" ? [target] : [];
      return new ConflictError(`${entity} already exists`, fields.length ? { fields } : {});
    }
    case "P2025":
      return new NotFoundError(entity);
    case "P2034": // write conflict or deadlock: the caller may simply retry
      return concurrentUpdate();
    case "P2010": // a raw query failed: the same, when the database reported a conflict or deadlock
      return rawQueryConflict(error) ? concurrentUpdate() : undefined;
    // The database is out of reach or out of capacity (no pooled connection in time, no transaction
    // started in time or one outlived its timeout and was rolled back): load, not a fault, and
    // nothing was written, so the caller may retry.
    case "P1001": // database unreachable
    case "P1002": // database timed out
    case "P2024": // connection pool timeout
    case "P2028": // transaction API error: could not start in `maxWait`, or expired (rolled back)
      return new ServiceUnavailableError(undefined, { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
    default:
      return undefined;
  }
}

const concurrentUpdate = () => new ConflictError("Concurrent update, please retry", { retryable: true });

/**
 * Prisma reports `$queryRaw` failures as P2010 with the driver adapter's classification in
 * `meta.driverAdapterError.cause.kind`: `TransactionWriteConflict` for SQLSTATE 40001
 * (serialization failure) and 40P01 (deadlock), which the client table maps to P2034.
 */
function rawQueryConflict(error: object): boolean {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } }).meta;
  return meta?.driverAdapterError?.cause?.kind === "TransactionWriteConflict";
}

/** A unique constraint rejected the write (Prisma P2002): usually a race another request won. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
