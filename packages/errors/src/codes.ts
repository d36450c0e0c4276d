/**
 * Stable error codes carried in `extensions.code`. Clients branch on these, so they are part of the
 * public API: add new ones, never rename.
 */
export const ErrorCode = {
  BadUserInput: "BAD_USER_INPUT",
  Unauthenticated: "UNAUTHENTICATED",
  Forbidden: "FORBIDDEN",
  NotFound: "NOT_FOUND",
  Conflict: "CONFLICT",
  RateLimited: "RATE_LIMITED",
  /** An operation over a depth, size or cost limit (@urr/operation-limits), refused before it runs. */
  OperationTooComplex: "OPERATION_TOO_COMPLEX",
  ServiceUnavailable: "SERVICE_UNAVAILABLE",
  Internal: "INTERNAL_SERVER_ERROR",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes that describe the caller's mistake or situation; everything else is masked. */
export const PUBLIC_ERROR_CODES: ReadonlySet<string> = new Set<string>([
  ErrorCode.BadUserInput,
  ErrorCode.Unauthenticated,
  ErrorCode.Forbidden,
  ErrorCode.NotFound,
  ErrorCode.Conflict,
  ErrorCode.RateLimited,
  ErrorCode.OperationTooComplex,
  ErrorCode.ServiceUnavailable,
  // Produced by graphql-js / Apollo Server for malformed operations: safe and useful to show.
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);
