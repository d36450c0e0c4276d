import { createEvent, EventDeleted, EventUpserted, InvalidEventError, parseEvent } from "../src/index.ts";

const payload = {
  eventId: "6f1c2d1e-9b1a-4c55-8f0e-2b7a3c4d5e6f",
  artistId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  title: "Night Show",
  startsAt: "2026-12-24T11:00:00.000Z",
  saleStartsAt: "2026-12-01T01:00:00.000Z",
  saleEndsAt: "2026-12-24T09:00:00.000Z",
  cancelledAt: null,
  revision: 3,
};

describe("event envelope", () => {
  it("round-trips a valid event through JSON", () => {
    const event = createEvent(EventUpserted, payload.eventId, payload, { sagaId: "saga-1" });
    expect(event).toMatchObject({
      type: "catalog.event.upserted",
      version: 1,
      aggregateId: payload.eventId,
      sagaId: "saga-1",
    });
    const received = parseEvent(EventUpserted, JSON.parse(JSON.stringify(event)));
    expect(received.payload).toEqual(payload);
  });

  it("refuses to produce a payload its contract rejects", () => {
    expect(() => createEvent(EventUpserted, "x", { ...payload, revision: 0 })).toThrow(InvalidEventError);
  });

  it("refuses malformed, mistyped and unsupported-version messages", () => {
    const event = createEvent(EventUpserted, payload.eventId, payload);
    expect(() => parseEvent(EventUpserted, { ...event, id: "not-a-uuid" })).toThrow(/invalid event/);
    expect(() => parseEvent(EventDeleted, event)).toThrow(/expected catalog.event.deleted/);
    expect(() => parseEvent(EventUpserted, { ...event, version: 2 })).toThrow(/version 2 is not supported/);
    expect(() => parseEvent(EventUpserted, { ...event, payload: { ...payload, title: 42 } })).toThrow(
      /invalid event/,
    );
    expect(() => parseEvent(EventUpserted, "garbage")).toThrow(InvalidEventError);
  });
});
