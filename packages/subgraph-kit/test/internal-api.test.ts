import type { AddressInfo } from "node:net";
import { signServiceToken } from "@urr/auth-tokens";
import { createLogger } from "@urr/logger";
import express from "express";
import { z } from "zod";
import { InternalApiClient, InternalApiError, sendContract, serviceTokenGuard } from "../src/internal-api.ts";
import { CircuitBreaker } from "../src/resilience.ts";

const SECRET = "s".repeat(40);
const Thing = z.object({ id: z.string(), size: z.number().int() });
const logger = createLogger("internal-api-test", { level: "silent" });

/** A service with one guarded route; `answer` decides what it sends, `calls` counts what reached it. */
async function serve(answer: (res: express.Response) => void) {
  const app = express();
  const seen = { calls: 0 };
  app.get(
    "/internal/things/:id",
    serviceTokenGuard({ secret: SECRET, audience: "owner", logger }),
    (_req, res) => {
      seen.calls++;
      answer(res);
    },
  );
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

const client = (baseUrl: string, secret = SECRET) =>
  new InternalApiClient({
    caller: "reader",
    service: "owner",
    baseUrl,
    secret,
    retries: 2,
    baseDelayMs: 1,
    breaker: new CircuitBreaker({ service: "owner", failureThreshold: 2, resetAfterMs: 60_000 }),
  });

describe("internal API between services", () => {
  it("returns the parsed answer, and null for 404", async () => {
    let found = true;
    const owner = await serve((res) =>
      found ? sendContract(res, Thing, { id: "a", size: 3 }, logger) : res.status(404).json({}),
    );
    try {
      await expect(client(owner.url).get("/internal/things/a", Thing)).resolves.toEqual({ id: "a", size: 3 });
      found = false;
      await expect(client(owner.url).get("/internal/things/a", Thing)).resolves.toBeNull();
    } finally {
      await owner.close();
    }
  });

  it("refuses a call without a service token, with a forged one, or one meant for another service", async () => {
    const owner = await serve((res) => sendContract(res, Thing, { id: "a", size: 3 }, logger));
    try {
      expect((await fetch(`${owner.url}/internal/things/a`)).status).toBe(401);
      const forged = await signServiceToken("f".repeat(40), "reader", "owner");
      const elsewhere = await signServiceToken(SECRET, "reader", "someone-else");
      for (const token of [forged, elsewhere]) {
        const res = await fetch(`${owner.url}/internal/things/a`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.status).toBe(401);
      }
      expect(owner.seen.calls).toBe(0);
      await expect(client(owner.url, "f".repeat(40)).get("/internal/things/a", Thing)).rejects.toMatchObject({
        code: "INTERNAL_API_REFUSED",
      });
    } finally {
      await owner.close();
    }
  });

  it("never reads an answer that breaks the contract: the client throws a coded error, not a cast", async () => {
    const owner = await serve((res) => res.json({ id: "a", size: "3" }));
    try {
      const error = await client(owner.url)
        .get("/internal/things/a", Thing)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalApiError);
      expect(error).toMatchObject({ code: "INTERNAL_API_CONTRACT_VIOLATION" });
      expect(String((error as Error).message)).toContain("size");
      expect(owner.seen.calls).toBe(1); // not retried: asking again gives the same wrong answer
    } finally {
      await owner.close();
    }
  });

  it("does not send an answer that breaks its own contract (500, which the client counts as unavailable)", async () => {
    const owner = await serve((res) => sendContract(res, Thing, { id: "a", size: 2.5 }, logger));
    try {
      const res = await fetch(`${owner.url}/internal/things/a`, {
        headers: { authorization: `Bearer ${await signServiceToken(SECRET, "reader", "owner")}` },
      });
      expect(res.status).toBe(500);
      expect(JSON.stringify(await res.json())).not.toContain("2.5");
    } finally {
      await owner.close();
    }
  });

  it("retries 5xx, then opens the circuit and fails fast without calling", async () => {
    const owner = await serve((res) => res.status(503).json({}));
    try {
      const reader = client(owner.url);
      await expect(reader.get("/internal/things/a", Thing)).rejects.toMatchObject({
        code: "INTERNAL_API_UNAVAILABLE",
      });
      expect(owner.seen.calls).toBe(3);
      await expect(reader.get("/internal/things/a", Thing)).rejects.toMatchObject({
        code: "INTERNAL_API_UNAVAILABLE",
      });
      const before = owner.seen.calls;
      await expect(reader.get("/internal/things/a", Thing)).rejects.toMatchObject({
        code: "INTERNAL_API_UNAVAILABLE",
      });
      expect(owner.seen.calls).toBe(before);
      expect(reader.breaker.state).toBe("open");
    } finally {
      await owner.close();
    }
  });

  it("POSTs a JSON body, and reads a 404 as 'unknown' only when it carries the route's own refusal", async () => {
    const Refusal = z.object({ code: z.literal("NO_SUCH_THING") });
    const app = express();
    const received: unknown[] = [];
    app.post(
      "/internal/things/lookup",
      serviceTokenGuard({ secret: SECRET, audience: "owner", logger }),
      express.json(),
      (req, res) => {
        received.push(req.body);
        const { id } = req.body as { id: string };
        if (id === "a") sendContract(res, Thing, { id, size: 1 }, logger);
        else res.status(404).json({ code: "NO_SUCH_THING" });
      },
    );
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const reader = client(url);
      const lookup = (id: string, path = "/internal/things/lookup") =>
        reader.post(path, { id }, Thing, { notFound: Refusal });
      await expect(lookup("a")).resolves.toEqual({ id: "a", size: 1 });
      await expect(lookup("b")).resolves.toBeNull();
      expect(received).toEqual([{ id: "a" }, { id: "b" }]);
      // Express's own 404 for a route that is not there is no answer about the thing.
      await expect(lookup("a", "/internal/elsewhere")).rejects.toMatchObject({
        code: "INTERNAL_API_CONTRACT_VIOLATION",
      });
      // Without `notFound`, any 404 is still "unknown", as for GETs.
      await expect(reader.post("/internal/elsewhere", { id: "a" }, Thing)).resolves.toBeNull();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
