import express from "express";
import {
  codeLabel,
  errorCodes,
  graphqlMetrics,
  metricsHandler,
  metricsRegistry,
  OperationNames,
  recordOperation,
  SubscriptionCounter,
} from "../src/index.ts";

describe("labels stay few", () => {
  it("keeps registered operation names, folds the rest", () => {
    const names = new OperationNames(["HoldSeats", "ConfirmPayment"]);
    expect(names.label("HoldSeats")).toBe("HoldSeats");
    expect(names.label("whatever-a-client-sends-8f3a")).toBe("other");
    expect(names.label(undefined)).toBe("anonymous");
    expect(names.label("")).toBe("anonymous");
  });

  it("takes our error codes and nothing that looks like data", () => {
    expect(codeLabel("RATE_LIMITED")).toBe("RATE_LIMITED");
    expect(codeLabel("user 42 said hi")).toBe("OTHER");
    expect(codeLabel(7)).toBe("OTHER");
    expect(
      errorCodes([
        { extensions: { code: "CONFLICT" } },
        { extensions: { code: "CONFLICT" } },
        { extensions: {} },
      ]),
    ).toEqual(["CONFLICT", "INTERNAL_SERVER_ERROR"]);
    expect(errorCodes(undefined)).toEqual([]);
  });
});

async function scrape(app: express.Express, headers: Record<string, string> = {}) {
  const server = app.listen(0);
  try {
    const port = (server.address() as { port: number }).port;
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers });
    return { status: response.status, text: await response.text() };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe("GET /metrics", () => {
  beforeEach(() => metricsRegistry.resetMetrics());

  it("shows an answered operation's count, latency and error codes", async () => {
    recordOperation("HoldSeats", 0.012, ["CONFLICT"]);
    recordOperation("HoldSeats", 0.004, []);
    const app = express().get("/metrics", metricsHandler());
    const { status, text } = await scrape(app);
    expect(status).toBe(200);
    expect(text).toContain('urr_graphql_requests_total{operation="HoldSeats",code="CONFLICT"} 1');
    expect(text).toContain('urr_graphql_requests_total{operation="HoldSeats",code="OK"} 1');
    expect(text).toContain('urr_graphql_errors_total{operation="HoldSeats",code="CONFLICT"} 1');
    expect(text).toContain('urr_graphql_request_duration_seconds_count{operation="HoldSeats"} 2');
  });

  it("answers only the bearer of the token when one is set", async () => {
    const app = express().get("/metrics", metricsHandler({ token: "a-metrics-token-0123" }));
    expect((await scrape(app)).status).toBe(401);
    expect((await scrape(app, { authorization: "Bearer a-metrics-token-0124" })).status).toBe(401);
    const allowed = await scrape(app, { authorization: "Bearer a-metrics-token-0123" });
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain("urr_graphql_open_subscriptions");
  });
});

describe("open subscriptions", () => {
  const stream = { [Symbol.asyncIterator]: async function* () {} };
  const value = async () => (await graphqlMetrics.openSubscriptions.get()).values[0]?.value ?? 0;
  beforeEach(() => graphqlMetrics.openSubscriptions.reset());

  it("counts streams from opened to closed, never queries or unknown ids", async () => {
    const counter = new SubscriptionCounter();
    const socketA = {};
    const socketB = {};
    counter.opened(socketA, "1", stream);
    counter.opened(socketA, "2", { data: {} });
    counter.opened(socketB, "1", stream);
    expect(await value()).toBe(2);
    counter.closed(socketA, "2");
    counter.closed(socketA, "9");
    expect(await value()).toBe(2);
    counter.closed(socketA, "1");
    counter.closed(socketA, "1");
    expect(await value()).toBe(1);
  });
});
