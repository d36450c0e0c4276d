import { counter, gauge, histogram, LATENCY_BUCKETS } from "./metrics.ts";

/**
 * The request metrics every GraphQL server here exposes — the gateway (operation = the client's
 * registered operation name) and each subgraph (operation = the root fields the gateway asked
 * for) — under the same names, told apart by the `service` label.
 */
export const graphqlMetrics = {
  requests: counter({
    name: "urr_graphql_requests_total",
    help: "GraphQL operations answered, by operation and outcome code (OK when there was no error)",
    labelNames: ["operation", "code"] as const,
  }),
  duration: histogram({
    name: "urr_graphql_request_duration_seconds",
    help: "Time to answer a GraphQL operation, by operation",
    labelNames: ["operation"] as const,
    buckets: LATENCY_BUCKETS,
  }),
  errors: counter({
    name: "urr_graphql_errors_total",
    help: "Errors in GraphQL answers, by operation and error code",
    labelNames: ["operation", "code"] as const,
  }),
  openSubscriptions: gauge({
    name: "urr_graphql_open_subscriptions",
    help: "Subscriptions open now",
  }),
};

/** One answered operation: its count under its first code, its latency, and each error code. */
export function recordOperation(operation: string, seconds: number, codes: readonly string[]): void {
  graphqlMetrics.requests.inc({ operation, code: codes[0] ?? "OK" });
  graphqlMetrics.duration.observe({ operation }, seconds);
  for (const code of codes) graphqlMetrics.errors.inc({ operation, code });
}
