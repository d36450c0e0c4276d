import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHttpFetcher, IDLE_SOCKET_MS } from "../src/http-fetcher.ts";

/**
 * The gateway closes an idle kept-alive subgraph connection before the subgraph would (Node's 5 s
 * `keepAliveTimeout`): reusing a socket the server is closing at that instant answers ECONNRESET,
 * which the gateway can only report as SERVICE_UNAVAILABLE without `retryAfterSeconds` — and a
 * burst of fans coming back after a 5 s `retryAfterSeconds` hit exactly that. Here the server keeps
 * connections for a minute, so only the gateway's side can close it; slow requests still complete.
 */
let server: http.Server;
let base: string;
const closed: number[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => setTimeout(() => res.end("{}"), req.url === "/slow" ? IDLE_SOCKET_MS + 500 : 0));
  });
  server.keepAliveTimeout = 60_000;
  server.on("connection", (socket) => {
    const opened = performance.now();
    socket.on("close", () => closed.push(performance.now() - opened));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

it("closes an idle kept-alive connection before the subgraph's 5 s keep-alive timeout", async () => {
  const fetcher = createHttpFetcher({ timeoutMs: 10_000, maxSockets: 4 });
  expect(IDLE_SOCKET_MS).toBeLessThan(5_000);
  const res = await fetcher(`${base}/graphql`, { method: "POST", body: "{}" });
  expect(res.ok).toBe(true);
  const deadline = performance.now() + 4_500;
  while (closed.length === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(closed).toHaveLength(1);
});

it("does not cut a request that takes longer than the idle limit", async () => {
  const fetcher = createHttpFetcher({ timeoutMs: 10_000, maxSockets: 4 });
  const res = await fetcher(`${base}/slow`, { method: "POST", body: "{}" });
  expect(res.ok).toBe(true);
});
