import type { AddressInfo } from "node:net";
import { createLogger } from "@urr/logger";
import { RateLimitedError, RateLimiterUnavailableError } from "@urr/rate-limits";
import { metricsRegistry, OperationNames } from "@urr/telemetry";
import express from "express";
import { exposeMetrics } from "../src/telemetry/metrics-endpoint.ts";
import { httpOperationTelemetry } from "../src/telemetry/operation-telemetry.ts";
import { countRateLimitRefusal } from "../src/telemetry/rate-limit-metrics.ts";

const logger = createLogger("gateway-telemetry-test", { level: "silent" });

/** Servers and endpoints a test opened, closed after it even when it fails. */
const opened: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0)) await close();
});

async function serve(app: express.Express) {
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  opened.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("where the gateway serves /metrics", () => {
  const base = { NODE_ENV: "production", HOST: "127.0.0.1" };

  it("production without METRICS_PORT or METRICS_TOKEN: not on the public port at all", async () => {
    const app = express();
    const endpoint = await exposeMetrics(app, base, logger);
    const server = await serve(app);
    expect((await fetch(`${server.base}/metrics`)).status).toBe(404);
    expect(endpoint.url).toBeUndefined();
  });

  it("METRICS_TOKEN: on the public port for the bearer of the token only", async () => {
    const app = express();
    await exposeMetrics(app, { ...base, METRICS_TOKEN: "metrics-token-0123456789" }, logger);
    const server = await serve(app);
    expect((await fetch(`${server.base}/metrics`)).status).toBe(401);
    const allowed = await fetch(`${server.base}/metrics`, {
      headers: { authorization: "Bearer metrics-token-0123456789" },
    });
    expect(allowed.status).toBe(200);
  });

  it("METRICS_PORT: on that port, and not on the public one", async () => {
    const app = express();
    const endpoint = await exposeMetrics(app, { ...base, METRICS_PORT: 0 }, logger);
    opened.push(() => endpoint.stop());
    const server = await serve(app);
    expect((await fetch(`${server.base}/metrics`)).status).toBe(404);
    expect((await fetch(endpoint.url ?? "")).status).toBe(200);
  });

  it("development: on the public port (which listens on 127.0.0.1 by default)", async () => {
    const app = express();
    await exposeMetrics(app, { ...base, NODE_ENV: "development" }, logger);
    const server = await serve(app);
    expect((await fetch(`${server.base}/metrics`)).status).toBe(200);
  });
});

describe("operation metrics over HTTP", () => {
  beforeEach(() => metricsRegistry.resetMetrics());

  it("counts a refusal the edge answers itself under its code, and names only registered operations", async () => {
    const app = express();
    app.use(
      "/graphql",
      httpOperationTelemetry(new OperationNames(["HoldSeats"])),
      express.json(),
      (req, res) => {
        const refused = (req.body as { operationName?: string }).operationName === "HoldSeats";
        if (refused)
          res.status(429).json({ errors: [{ message: "slow down", extensions: { code: "RATE_LIMITED" } }] });
        else res.json({ data: {} });
      },
    );
    const server = await serve(app);
    const post = (operationName: string) =>
      fetch(`${server.base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ a }", operationName }),
      });
    await post("HoldSeats");
    await post("MyOwnName-7f3a");
    const text = await metricsRegistry.metrics();
    expect(text).toContain('urr_graphql_requests_total{operation="HoldSeats",code="RATE_LIMITED"} 1');
    expect(text).toContain('urr_graphql_requests_total{operation="other",code="OK"} 1');
    expect(text).not.toContain("MyOwnName");
  });

  it("counts rate-limit refusals by category and reason", async () => {
    const refusal = { allowed: false, limit: 30, remaining: 0, resetSeconds: 10, retryAfterSeconds: 10 };
    countRateLimitRefusal(new RateLimitedError({ ...refusal, category: "BOOKING" } as never));
    countRateLimitRefusal(new RateLimiterUnavailableError("QUEUE"));
    const text = await metricsRegistry.metrics();
    expect(text).toContain('urr_gateway_rate_limit_refusals_total{category="BOOKING",reason="limit"} 1');
    expect(text).toContain(
      'urr_gateway_rate_limit_refusals_total{category="QUEUE",reason="store_unavailable"} 1',
    );
  });
});
