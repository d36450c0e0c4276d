import type { RateLimitDecision } from "./decision.ts";
import type { QuotaDecision } from "./quotas.ts";

export type Headers = Record<string, string>;

/**
 * The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-07: `RateLimit-Limit`,
 * `RateLimit-Remaining`, `RateLimit-Reset` in seconds, `RateLimit-Policy` as `limit;w=window`)
 * and `Retry-After` on a refusal. An unchecked decision (store down, policy `open`) sends none: the
 * gateway would be claiming counts it does not have.
 */
export function rateLimitHeaders(decision: RateLimitDecision): Headers {
  if (decision.source === "unchecked") return {};
  const headers: Headers = {
    "RateLimit-Limit": String(decision.limit),
    "RateLimit-Remaining": String(decision.remaining),
    "RateLimit-Reset": String(decision.resetSeconds),
    "RateLimit-Policy": `${decision.limit};w=${decision.windowSeconds}`,
  };
  if (!decision.allowed) headers["Retry-After"] = String(decision.retryAfterSeconds);
  return headers;
}

/**
 * An API key's quotas in the same fields: the policy lists both windows, and Limit/Remaining/Reset
 * describe the one closest to running out (the draft's rule when several policies apply).
 */
export function quotaHeaders(decision: QuotaDecision): Headers {
  if (decision.source === "unchecked") return {};
  const { minute, day } = decision;
  const closest = decision.refusedBy
    ? decision[decision.refusedBy]
    : day.remaining < minute.remaining
      ? day
      : minute;
  const headers: Headers = {
    "RateLimit-Limit": String(closest.limit),
    "RateLimit-Remaining": String(closest.remaining),
    "RateLimit-Reset": String(closest.resetSeconds),
    "RateLimit-Policy": `${minute.limit};w=60, ${day.limit};w=86400`,
  };
  if (!decision.allowed) headers["Retry-After"] = String(decision.retryAfterSeconds);
  return headers;
}

/** Apollo Server applies `extensions.http.headers` of a thrown error when it is a Map. */
export function headerMap(headers: Headers): Map<string, string> {
  return new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
