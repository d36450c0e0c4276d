import type { Fetcher } from "@apollo/utils.fetcher";
import {
  histogram,
  injectTraceHeaders,
  LATENCY_BUCKETS,
  SpanKind,
  secondsSince,
  tracingEnabled,
  withSpan,
} from "@urr/telemetry";
import { SubgraphTimeoutError } from "../http-fetcher.ts";

const fetchDuration = histogram({
  name: "urr_gateway_subgraph_fetch_duration_seconds",
  help: "Time of one query-plan fetch from a subgraph, by subgraph and outcome (ok, http_4xx, http_5xx, timeout, unreachable)",
  labelNames: ["subgraph", "outcome"] as const,
  buckets: LATENCY_BUCKETS,
});

function outcomeOf(error: unknown): string {
  return error instanceof SubgraphTimeoutError ? "timeout" : "unreachable";
}

/**
 * One subgraph's fetcher, measured: each query-plan fetch's latency by subgraph and outcome, and
 * (tracing on) a CLIENT span under Apollo's `gateway.fetch` whose `traceparent` the subgraph
 * continues.
 */
export function instrumentedFetcher(fetcher: Fetcher, subgraph: string): Fetcher {
  const send: Fetcher = tracingEnabled()
    ? (url, init = {}) =>
        withSpan(
          `POST ${subgraph}`,
          { kind: SpanKind.CLIENT, attributes: { "urr.subgraph": subgraph, "http.request.method": "POST" } },
          async (span) => {
            const headers = { ...init.headers };
            injectTraceHeaders(headers);
            const response = await fetcher(url, { ...init, headers });
            span.setAttribute("http.response.status_code", response.status);
            return response;
          },
        )
    : fetcher;
  return async (url, init) => {
    const startedAt = performance.now();
    try {
      const response = await send(url, init);
      const outcome = response.ok ? "ok" : `http_${Math.floor(response.status / 100)}xx`;
      fetchDuration.observe({ subgraph, outcome }, secondsSince(startedAt));
      return response;
    } catch (error) {
      fetchDuration.observe({ subgraph, outcome: outcomeOf(error) }, secondsSince(startedAt));
      throw error;
    }
  };
}
