import { ErrorCode, maskError } from "@urr/errors";
import type { RateLimitDecision } from "../src/index.ts";
import { RateLimitedError, RateLimiterUnavailableError, rateLimitHeaders } from "../src/index.ts";

const refused: RateLimitDecision = {
  allowed: false,
  category: "BOOKING",
  limit: 30,
  remaining: 0,
  resetSeconds: 42,
  retryAfterSeconds: 42,
  windowSeconds: 60,
  source: "redis",
};

it("sends the IETF RateLimit fields, and Retry-After only on a refusal", () => {
  expect(rateLimitHeaders({ ...refused, allowed: true, remaining: 7, retryAfterSeconds: 0 })).toEqual({
    "RateLimit-Limit": "30",
    "RateLimit-Remaining": "7",
    "RateLimit-Reset": "42",
    "RateLimit-Policy": "30;w=60",
  });
  expect(rateLimitHeaders(refused)).toMatchObject({ "RateLimit-Remaining": "0", "Retry-After": "42" });
});

it("RATE_LIMITED: 429 with the headers for Apollo Server, public through the error mask", () => {
  const error = new RateLimitedError(refused);
  expect(error.message).toBe("Too many requests: at most 30 BOOKING calls a minute. Retry in 42 s.");
  expect(error.extensions).toMatchObject({
    code: ErrorCode.RateLimited,
    category: "BOOKING",
    limit: 30,
    retryAfterSeconds: 42,
    http: { status: 429 },
  });
  const http = error.extensions.http as { headers: Map<string, string> };
  expect(http.headers).toBeInstanceOf(Map);
  expect(Object.fromEntries(http.headers)).toMatchObject({
    "retry-after": "42",
    "ratelimit-policy": "30;w=60",
  });
  const masked = maskError({ message: error.message, extensions: error.extensions }, error);
  expect(masked.extensions).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 42 });
});

it("RATE_LIMITER_UNAVAILABLE is a retryable SERVICE_UNAVAILABLE with a 503", () => {
  const error = new RateLimiterUnavailableError("QUEUE");
  expect(error.extensions).toMatchObject({
    code: ErrorCode.ServiceUnavailable,
    reason: "RATE_LIMITER_UNAVAILABLE",
    retryAfterSeconds: 5,
    category: "QUEUE",
    http: { status: 503 },
  });
});
