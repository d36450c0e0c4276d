/**
 * Stable error codes carried in `extensions.code`. Clients branch on these, so they are part of the
 * public API: add new ones, never rename.
 */
export const ErrorCode = {
  BadUserInput: "BAD_USER_INPUT",
  /** A request that is not a GraphQL request (malformed body, wrong method, bad parameters). */
  BadRequest: "BAD_REQUEST",
  Unauthenticated: "UNAUTHENTICATED",
  Forbidden: "FORBIDDEN",
  NotFound: "NOT_FOUND",
  Conflict: "CONFLICT",
  RateLimited: "RATE_LIMITED",
  /** An operation over a depth, size or cost limit (@urr/operation-limits), refused before it runs. */
  OperationTooComplex: "OPERATION_TOO_COMPLEX",
  ServiceUnavailable: "SERVICE_UNAVAILABLE",
  /** A partner API key the gateway does not know (malformed, never issued). HTTP 401. */
  ApiKeyInvalid: "API_KEY_INVALID",
  /** A partner API key an admin revoked. HTTP 401. */
  ApiKeyRevoked: "API_KEY_REVOKED",
  /** A registered-document id the gateway has no document for (trusted documents, APQ). */
  PersistedQueryNotFound: "PERSISTED_QUERY_NOT_FOUND",
  /** An operation this client may not run: not registered, or another partner's document. HTTP 403. */
  OperationNotAllowed: "OPERATION_NOT_ALLOWED",
  Internal: "INTERNAL_SERVER_ERROR",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes that describe the caller's mistake or situation; everything else is masked. */
export const PUBLIC_ERROR_CODES: ReadonlySet<string> = new Set<string>([
  ErrorCode.BadUserInput,
  ErrorCode.BadRequest,
  ErrorCode.Unauthenticated,
  ErrorCode.Forbidden,
  ErrorCode.NotFound,
  ErrorCode.Conflict,
  ErrorCode.RateLimited,
  ErrorCode.OperationTooComplex,
  ErrorCode.ServiceUnavailable,
  ErrorCode.ApiKeyInvalid,
  ErrorCode.ApiKeyRevoked,
  ErrorCode.OperationNotAllowed,
  // Produced by graphql-js / Apollo Server for malformed operations: safe and useful to show.
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  ErrorCode.PersistedQueryNotFound,
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);
