import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHttpFetcher, SubgraphTimeoutError } from "../src/http-fetcher.ts";

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/slow") return; // never answers
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.setHeader("set-cookie", ["a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; HttpOnly", "b=2; Path=/"]);
      res.statusCode = req.url === "/teapot" ? 418 : 200;
      res.end(JSON.stringify({ echo: body, method: req.method, header: req.headers["x-test"] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

describe("http fetcher", () => {
  const fetcher = createHttpFetcher({ timeoutMs: 300, maxSockets: 4 });

  it("posts the body and headers and reads JSON back", async () => {
    const res = await fetcher(`${base}/graphql`, {
      method: "POST",
      headers: { "x-test": "yes" },
      body: '{"q":1}',
    });
    expect(res.ok).toBe(true);
    expect(res.headers.get("Content-Type")).toBe("application/json");
    expect(await res.json()).toEqual({ echo: '{"q":1}', method: "POST", header: "yes" });
  });

  it("keeps several Set-Cookie headers apart (dates contain commas)", async () => {
    const res = await fetcher(`${base}/graphql`, { method: "POST", body: "" });
    const headers = res.headers as unknown as { getSetCookie(): string[] };
    expect(headers.getSetCookie()).toEqual([
      "a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; HttpOnly",
      "b=2; Path=/",
    ]);
  });

  it("reports non-2xx statuses without throwing", async () => {
    const res = await fetcher(`${base}/teapot`, { method: "POST", body: "" });
    expect(res.ok).toBe(false);
    expect(res.status).toBe(418);
  });

  it("gives up after the timeout", async () => {
    await expect(fetcher(`${base}/slow`, { method: "POST", body: "" })).rejects.toBeInstanceOf(
      SubgraphTimeoutError,
    );
  });

  it("fails fast when nothing listens", async () => {
    await expect(fetcher("http://127.0.0.1:9/graphql", { method: "POST", body: "" })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
