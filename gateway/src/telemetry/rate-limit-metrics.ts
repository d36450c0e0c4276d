import { ErrorCode } from "@urr/errors";
import { counter } from "@urr/telemetry";
import type { GraphQLError } from "graphql";

const refusals = counter({
  name: "urr_gateway_rate_limit_refusals_total",
  help: "Operations the edge refused for rate limits, by category (AUTH, QUEUE, BOOKING, GENERAL, API_KEY) and reason (limit, quota, store_unavailable)",
  labelNames: ["category", "reason"] as const,
});

/** Counts one refusal from the rate limiter's coded error (RATE_LIMITED or its store's outage). */
export function countRateLimitRefusal(error: GraphQLError): void {
  const { category, quota, code } = error.extensions as {
    category?: unknown;
    quota?: unknown;
    code?: unknown;
  };
  refusals.inc({
    category: typeof category === "string" ? category : quota ? "API_KEY" : "UNKNOWN",
    reason: code !== ErrorCode.RateLimited ? "store_unavailable" : quota ? "quota" : "limit",
  });
}
