import http from "node:http";
import type { AddressInfo } from "node:net";
import { GraphQLDataSourceRequestKind } from "@apollo/gateway/dist/datasources/types";
import { createLogger } from "@urr/logger";
import { createHttpFetcher } from "../src/http-fetcher.ts";
import { SubgraphDataSource } from "../src/subgraph-data-source.ts";

/** A subgraph that answers each path with a fixed status and body, as Apollo Server would. */
const ANSWERS: Record<string, { status: number; body: string }> = {
  "/bad-input": {
    status: 400,
    body: JSON.stringify({
      errors: [{ message: "DateTime must be an ISO-8601 string", extensions: { code: "BAD_USER_INPUT" } }],
    }),
  },
  "/refused-context": {
    status: 401,
    body: JSON.stringify({
      errors: [{ message: "Invalid gateway context", extensions: { code: "UNAUTHENTICATED" } }],
    }),
  },
  "/proxy-page": { status: 502, body: "<html>Bad Gateway</html>" },
  "/crash": { status: 500, body: "oops" },
};

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const answer = ANSWERS[req.url ?? ""] ?? { status: 404, body: "" };
      res.statusCode = answer.status;
      res.setHeader("content-type", answer.body.startsWith("{") ? "application/json" : "text/html");
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

const fetcher = createHttpFetcher({ timeoutMs: 2000, maxSockets: 2 });
const logger = createLogger("test", { level: "silent" });
const ask = (path: string) =>
  new SubgraphDataSource({
    name: "catalog",
    logger,
    url: `${base}${path}`,
    receivesCookies: false,
    fetcher,
  }).process({
    kind: GraphQLDataSourceRequestKind.HEALTH_CHECK,
    request: { query: "{ events { id } }" },
    context: {},
  });

describe("subgraph HTTP errors at the gateway", () => {
  it("passes a subgraph's GraphQL error body through with its code, even on HTTP 400", async () => {
    const response = await ask("/bad-input");
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: "DateTime must be an ISO-8601 string",
        extensions: { code: "BAD_USER_INPUT" },
      }),
    ]);
  });

  it("does not show a refused context token (401) as the user's UNAUTHENTICATED", async () => {
    await expect(ask("/refused-context")).rejects.toMatchObject({
      extensions: { code: "SUBGRAPH_HTTP_ERROR" },
    });
  });

  it("keeps non-GraphQL answers as HTTP errors: 502 → SERVICE_UNAVAILABLE, 500 → masked", async () => {
    await expect(ask("/proxy-page")).rejects.toMatchObject({ extensions: { code: "SERVICE_UNAVAILABLE" } });
    await expect(ask("/crash")).rejects.toMatchObject({ extensions: { code: "SUBGRAPH_HTTP_ERROR" } });
  });
});
