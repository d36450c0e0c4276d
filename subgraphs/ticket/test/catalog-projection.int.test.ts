import { randomUUID } from "node:crypto";
import {
  createEvent,
  EventDeleted,
  EventUpserted,
  HttpEventTransport,
  InvalidEventError,
  sign,
} from "@urr/events";
import { startTicketHarness, type TicketHarness } from "./support/ticket-harness.ts";

/** ticket's copy of catalog events: exactly once, never older than what it holds, over signed HTTP. */
const SECRET = "projection-test-secret-0123456789abcdef";
let h: TicketHarness;
beforeAll(async () => {
  h = await startTicketHarness({ EVENT_DELIVERY_SECRET: SECRET });
});
afterAll(() => h.close());

const day = 86_400_000;
function upserted(eventId: string, revision: number, title = `rev ${revision}`) {
  return createEvent(EventUpserted, eventId, {
    eventId,
    artistId: randomUUID(),
    title,
    startsAt: new Date(Date.now() + 30 * day).toISOString(),
    saleStartsAt: new Date(Date.now() - day).toISOString(),
    saleEndsAt: new Date(Date.now() + 29 * day).toISOString(),
    cancelledAt: null,
    revision,
  });
}
const titleOf = async (eventId: string) =>
  (await h.sql.query<{ title: string }>("SELECT title FROM catalog_events WHERE event_id = $1", [eventId]))[0]
    ?.title;

describe("catalog projection", () => {
  it("applies a redelivered event once and ignores an older state arriving late", async () => {
    const eventId = randomUUID();
    const v2 = upserted(eventId, 2);
    expect(await h.app.projection.apply(v2)).toBe("applied");
    expect(await h.app.projection.apply(v2)).toBe("duplicate");
    expect(await h.app.projection.apply(upserted(eventId, 1))).toBe("stale");
    expect(await titleOf(eventId)).toBe("rev 2");
    expect(await h.app.projection.apply(createEvent(EventDeleted, eventId, { eventId, revision: 3 }))).toBe(
      "applied",
    );
    expect(
      await h.count("SELECT count(*) AS n FROM catalog_events WHERE event_id = $1 AND deleted", [eventId]),
    ).toBe(1);
  });

  it("refuses messages that break the contract", async () => {
    await expect(
      h.app.projection.apply({ ...upserted(randomUUID(), 1), payload: { title: 1 } }),
    ).rejects.toBeInstanceOf(InvalidEventError);
    await expect(h.app.projection.apply({ type: "catalog.unknown" })).rejects.toBeInstanceOf(
      InvalidEventError,
    );
  });

  it("accepts signed deliveries over HTTP, skips poison messages, refuses bad signatures", async () => {
    const base = h.app.subgraph.url.replace(/\/graphql$/, "");
    const eventId = randomUUID();
    const transport = new HttpEventTransport(
      [{ url: `${base}/internal/events`, topics: ["catalog-events"] }],
      SECRET,
    );
    await transport.deliver([
      {
        id: randomUUID(),
        topic: "catalog-events",
        messageKey: eventId,
        envelope: upserted(eventId, 1, "via http"),
        attempts: 0,
      },
    ]);
    expect(await titleOf(eventId)).toBe("via http");

    const body = JSON.stringify({ events: [{ garbage: true }, upserted(randomUUID(), 1)] });
    const mixed = await fetch(`${base}/internal/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-urr-signature": sign(body, SECRET) },
      body,
    });
    expect(await mixed.json()).toEqual({ outcomes: ["rejected", "applied"] });

    const forged = await fetch(`${base}/internal/events`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-urr-signature": sign(body, "another-secret-another-secret-123"),
      },
      body,
    });
    expect(forged.status).toBe(401);
  });
});
