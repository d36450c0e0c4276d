import http from "node:http";
import type { Logger } from "@urr/logger";
import { type MetricsExposureConfig, metricsHandler } from "@urr/telemetry";
import express from "express";

export interface MetricsEndpoint {
  /** Where `/metrics` is served, for the start-up log; undefined when it is not. */
  url: string | undefined;
  stop(): Promise<void>;
}

/**
 * Where the gateway serves `/metrics`. The gateway's port is the public one, and metrics tell
 * operation names, error rates and the on-sale's pace, so:
 *  - `METRICS_PORT`: on that port only (same HOST), which a deployment does not publish (compose);
 *  - else `METRICS_TOKEN`: on the public port, for `Authorization: Bearer <token>` only;
 *  - else open on the public port in development and test (it listens on 127.0.0.1 by default),
 *    and not at all in production, with a warning saying how to turn it on.
 */
export async function exposeMetrics(
  app: express.Express,
  config: MetricsExposureConfig & { NODE_ENV: string; HOST: string },
  logger: Logger,
): Promise<MetricsEndpoint> {
  const handler = metricsHandler({ token: config.METRICS_TOKEN });
  if (config.METRICS_PORT !== undefined) {
    const metricsApp = express();
    metricsApp.disable("x-powered-by");
    metricsApp.get("/metrics", handler);
    const server = http.createServer(metricsApp);
    await new Promise<void>((resolve) => server.listen(config.METRICS_PORT, config.HOST, resolve));
    const { port } = server.address() as { port: number };
    return {
      url: `http://${config.HOST}:${port}/metrics`,
      stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
  if (config.METRICS_TOKEN || config.NODE_ENV !== "production") {
    app.get("/metrics", handler);
    return { url: "/metrics (public port)", stop: async () => {} };
  }
  logger.warn(
    "/metrics is not served: in production set METRICS_PORT (a port not published) or METRICS_TOKEN",
  );
  return { url: undefined, stop: async () => {} };
}
