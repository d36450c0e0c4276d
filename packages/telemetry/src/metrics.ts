import { timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import client, {
  type Counter,
  type CounterConfiguration,
  type Gauge,
  type GaugeConfiguration,
  type Histogram,
  type HistogramConfiguration,
} from "prom-client";

export type { Counter, Gauge, Histogram } from "prom-client";

/**
 * One registry per process (prom-client's default), scraped at `/metrics`. Every metric is
 * created through the helpers below, once per name: a module loaded twice (tests) gets the same
 * metric back instead of a duplicate-registration error.
 *
 * Labels stay low-cardinality: operation names are bounded (operation-names.ts), codes are ours,
 * never a user, seat or reservation id.
 */
export const metricsRegistry = client.register;

let started = false;

/** The service label on every series, and Node's runtime metrics (heap, event loop lag, GC, …). */
export function startMetrics(service: string): void {
  if (started) return;
  started = true;
  metricsRegistry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: metricsRegistry });
}

export function counter<L extends string>(config: CounterConfiguration<L>): Counter<L> {
  return (
    (metricsRegistry.getSingleMetric(config.name) as Counter<L> | undefined) ?? new client.Counter(config)
  );
}

export function gauge<L extends string>(config: GaugeConfiguration<L>): Gauge<L> {
  return (metricsRegistry.getSingleMetric(config.name) as Gauge<L> | undefined) ?? new client.Gauge(config);
}

export function histogram<L extends string>(config: HistogramConfiguration<L>): Histogram<L> {
  return (
    (metricsRegistry.getSingleMetric(config.name) as Histogram<L> | undefined) ?? new client.Histogram(config)
  );
}

/** Seconds, for request and call latencies: 2.5 ms to 10 s. */
export const LATENCY_BUCKETS = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Seconds since `startedAt` (a `performance.now()` reading). */
export const secondsSince = (startedAt: number) => (performance.now() - startedAt) / 1000;

/**
 * `GET /metrics` in Prometheus' text format. With a token, only `Authorization: Bearer <token>`
 * is answered (401 otherwise, compared in constant time).
 */
export function metricsHandler(options: { token?: string | undefined } = {}): RequestHandler {
  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : undefined;
  return async (req, res, next) => {
    if (expected) {
      const given = Buffer.from(req.header("authorization") ?? "");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.status(401).setHeader("www-authenticate", "Bearer").json({ error: "metrics token required" });
        return;
      }
    }
    try {
      res.setHeader("content-type", metricsRegistry.contentType);
      res.send(await metricsRegistry.metrics());
    } catch (error) {
      next(error);
    }
  };
}
