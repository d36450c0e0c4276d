import { DomainError, ErrorCode, ServiceUnavailableError } from "@urr/errors";
import type { RateLimitCategory } from "./categories.ts";
import type { RateLimitDecision } from "./decision.ts";
import { headerMap, quotaHeaders, rateLimitHeaders } from "./headers.ts";
import type { QuotaDecision } from "./quotas.ts";

/**
 * RATE_LIMITED, HTTP 429, with `retryAfterSeconds` and what refused: a category's per-minute limit
 * (`category`, `limit`) or an API key's quota (`quota: minute | day`, `limit`). `extensions.http`
 * carries the status and the RateLimit-* / Retry-After headers; Apollo Server applies and strips
 * it, other transports (graphql-ws) should drop it before sending.
 */
export class RateLimitedError extends DomainError {
  readonly code = ErrorCode.RateLimited;
  readonly retryAfterSeconds: number;

  constructor(refused: RateLimitDecision | QuotaDecision) {
    const { message, extensions } = describe(refused);
    super(message, ErrorCode.RateLimited, extensions);
    this.retryAfterSeconds = refused.retryAfterSeconds;
  }
}

function describe(refused: RateLimitDecision | QuotaDecision) {
  const retryAfterSeconds = refused.retryAfterSeconds;
  if ("category" in refused) {
    const { category, limit } = refused;
    return {
      message: `Too many requests: at most ${limit} ${category} calls a minute. Retry in ${retryAfterSeconds} s.`,
      extensions: {
        retryAfterSeconds,
        category,
        limit,
        http: { status: 429, headers: headerMap(rateLimitHeaders(refused)) },
      },
    };
  }
  const quota = refused.refusedBy ?? "minute";
  const { limit } = refused[quota];
  return {
    message: `API key quota reached: at most ${limit} calls per ${quota}. Retry in ${retryAfterSeconds} s.`,
    extensions: {
      retryAfterSeconds,
      quota,
      limit,
      http: { status: 429, headers: headerMap(quotaHeaders(refused)) },
    },
  };
}

/** Seconds a client is told to wait when the limiter's store is down and the policy is `closed`. */
export const STORE_DOWN_RETRY_AFTER_SECONDS = 5;

/**
 * SERVICE_UNAVAILABLE (`reason: RATE_LIMITER_UNAVAILABLE`, HTTP 503, `Retry-After`): the category
 * fails closed while the shared counts cannot be read. Retryable; nothing was run.
 */
export class RateLimiterUnavailableError extends ServiceUnavailableError {
  constructor(category?: RateLimitCategory) {
    super("Rate limiting is briefly unavailable, retry shortly", {
      reason: "RATE_LIMITER_UNAVAILABLE",
      retryAfterSeconds: STORE_DOWN_RETRY_AFTER_SECONDS,
      ...(category ? { category } : {}),
      http: {
        status: 503,
        headers: headerMap({ "Retry-After": String(STORE_DOWN_RETRY_AFTER_SECONDS) }),
      },
    });
  }
}
