import { createLogger } from "@urr/logger";
import type { Request, Response } from "express";
import { InvalidEventError } from "../src/envelope.ts";
import { eventReceiver, SIGNATURE_HEADER, sign } from "../src/http-transport.ts";

const SECRET = "receiver-test-secret-0123456789abcdef";
const logger = createLogger("receiver-test", { level: "silent" });

function call(handler: ReturnType<typeof eventReceiver>, events: unknown[], signature?: string) {
  const body = JSON.stringify({ events });
  const req = {
    rawBody: body,
    body: JSON.parse(body),
    header: (name: string) => (name === SIGNATURE_HEADER ? (signature ?? sign(body, SECRET)) : undefined),
  } as unknown as Request;
  return new Promise<{ status: number; body: unknown }>((resolve) => {
    let status = 200;
    const res = {
      status(code: number) {
        status = code;
        return res;
      },
      json(payload: unknown) {
        resolve({ status, body: payload });
        return res;
      },
    } as unknown as Response;
    void handler(req, res, () => {});
  });
}

const event = (aggregateId: string, n: number) => ({ id: `${aggregateId}-${n}`, aggregateId, n });

describe("the signed HTTP event receiver", () => {
  it("keeps each aggregate's events in order while aggregates run side by side", async () => {
    const log: string[] = [];
    let running = 0;
    let overlap = 0;
    const handler = eventReceiver(
      SECRET,
      async (e) => {
        const { aggregateId, n } = e as unknown as { aggregateId: string; n: number };
        running++;
        overlap = Math.max(overlap, running);
        // The first event of each aggregate is slow: a later one of the same aggregate must wait.
        await new Promise((r) => setTimeout(r, n === 1 ? 30 : 1));
        running--;
        log.push(`${aggregateId}:${n}`);
        return "applied";
      },
      logger,
    );
    const batch = [event("a", 1), event("b", 1), event("a", 2), event("c", 1), event("b", 2), event("a", 3)];
    const answer = await call(handler, batch);
    expect(answer).toEqual({ status: 200, body: { outcomes: batch.map(() => "applied") } });
    for (const aggregate of ["a", "b"]) {
      const order = log.filter((entry) => entry.startsWith(`${aggregate}:`));
      expect(order).toEqual([...order].sort());
    }
    expect(overlap).toBeGreaterThan(1);
  });

  it("skips an invalid event, answers 500 when applying fails, 401 on a bad signature", async () => {
    const handler = eventReceiver(
      SECRET,
      async (e) => {
        const { n } = e as unknown as { n: number };
        if (n === 2) throw new InvalidEventError("malformed");
        if (n === 3) throw new Error("database down");
        return "applied";
      },
      logger,
    );
    expect(await call(handler, [event("a", 1), event("a", 2)])).toEqual({
      status: 200,
      body: { outcomes: ["applied", "rejected"] },
    });
    expect((await call(handler, [event("a", 1), event("b", 3)])).status).toBe(500);
    expect((await call(handler, [event("a", 1)], "sha256=forged")).status).toBe(401);
  });
});
