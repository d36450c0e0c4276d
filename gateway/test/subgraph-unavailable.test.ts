import http from "node:http";
import type { AddressInfo } from "node:net";
import { GraphQLDataSourceRequestKind } from "@apollo/gateway/dist/datasources/types";
import { createLogger } from "@urr/logger";
import { freePort } from "@urr/testkit";
import { createHttpFetcher } from "../src/http-fetcher.ts";
import { SubgraphDataSource } from "../src/subgraph-data-source.ts";

/**
 * A subgraph too slow for the gateway's timeout, away, or answering 503 is load or an outage, not
 * the user's fault: SERVICE_UNAVAILABLE with `retryAfterSeconds`, the same retryable contract as
 * the subgraphs' own refusals (a sign-in burst meets all three).
 */
let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    if (req.url === "/slow") return; // never answers
    res.statusCode = 503;
    res.end("overloaded");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

const fetcher = createHttpFetcher({ timeoutMs: 300, maxSockets: 2 });
const ask = (url: string) =>
  new SubgraphDataSource({
    name: "auth",
    logger: createLogger("test", { level: "silent" }),
    url,
    receivesCookies: false,
    fetcher,
  }).process({
    kind: GraphQLDataSourceRequestKind.HEALTH_CHECK,
    request: { query: "{ me { id } }" },
    context: {},
  });

const retryable = {
  extensions: { code: "SERVICE_UNAVAILABLE", subgraph: "auth", retryAfterSeconds: expect.any(Number) },
};

it("answers a subgraph timeout, an unreachable subgraph and a 503 with retryAfterSeconds", async () => {
  await expect(ask(`${base}/slow`)).rejects.toMatchObject(retryable);
  await expect(ask(`http://127.0.0.1:${await freePort()}/graphql`)).rejects.toMatchObject(retryable);
  await expect(ask(`${base}/busy`)).rejects.toMatchObject(retryable);
  const error = (await ask(`${base}/busy`).catch((e: unknown) => e)) as {
    extensions: { retryAfterSeconds: number };
  };
  expect(Number.isInteger(error.extensions.retryAfterSeconds)).toBe(true);
  expect(error.extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
});
