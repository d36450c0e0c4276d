import http from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import express from "express";
import { bodyErrorHandler } from "../src/body-errors.ts";

let server: http.Server;
let url: string;
beforeAll(async () => {
  const app = express();
  app.post("/graphql", express.json({ limit: "1kb" }), (_req, res) => {
    res.json({ data: { ok: true } });
  });
  app.use(bodyErrorHandler);
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const post = async (body: string | Buffer, headers: Record<string, string>) => {
  const res = await fetch(url, { method: "POST", body, headers });
  return { status: res.status, body: (await res.json()) as { errors?: { extensions: { code: string } }[] } };
};
const QUERY = JSON.stringify({ query: "{ ok }" });

describe("request bodies the parser refuses", () => {
  it.each<{ what: string; body: string; headers: Record<string, string>; status: number }>([
    { what: "malformed JSON", body: "{ nope", headers: { "content-type": "application/json" }, status: 400 },
    {
      what: "too large",
      body: JSON.stringify({ query: "x".repeat(2048) }),
      headers: { "content-type": "application/json" },
      status: 413,
    },
    {
      what: "unsupported charset",
      body: QUERY,
      headers: { "content-type": "application/json; charset=iso-8859-1" },
      status: 415,
    },
    {
      what: "unsupported content encoding",
      body: QUERY,
      headers: { "content-type": "application/json", "content-encoding": "compress" },
      status: 415,
    },
  ])("$what → $status with BAD_REQUEST", async ({ body, headers, status }) => {
    const answer = await post(body, headers);
    expect(answer.status).toBe(status);
    expect(answer.body.errors?.[0]?.extensions.code).toBe("BAD_REQUEST");
  });

  it("still reads a gzip body", async () => {
    const answer = await post(gzipSync(QUERY), {
      "content-type": "application/json",
      "content-encoding": "gzip",
    });
    expect(answer).toEqual({ status: 200, body: { data: { ok: true } } });
  });
});
