import { randomUUID } from "node:crypto";
import {
  createEvent,
  type EventContract,
  EventUpserted,
  parseEvent,
  ReservationCancelled,
  ReservationCreated,
  ReservationExpired,
} from "@urr/events";
import type { z } from "zod";
import {
  ADMIN,
  fan,
  HOLD,
  type HoldData,
  startTicketHarness,
  type TicketHarness,
} from "./support/ticket-harness.ts";

/**
 * A hold's life before payment reaches reservation-events through the outbox, in the transaction
 * (or, for a seat hold, the one statement) that makes the change: created, cancelled (by the
 * buyer, by a replacing hold, by the event's cancellation) and expired. Every row parses with its
 * contract, whichever side wrote it (`urr_hold_seats` builds its envelopes in SQL); a refused hold
 * writes none.
 */
let h: TicketHarness;
beforeAll(async () => {
  h = await startTicketHarness({ MAX_TICKETS_PER_USER: "4" });
});
afterAll(() => h.close());

const RESERVE = `mutation($e: ID!, $i: [TicketItemInput!]!, $k: String!, $t: String) {
  reserveTickets(eventId: $e, items: $i, idempotencyKey: $k, entryToken: $t) { id totalAmount }
}`;
const CANCEL = "mutation($id: ID!) { cancelReservation(id: $id) { status } }";

/** The outbox rows of one reservation and type, parsed with the contract. */
async function outboxOf<TType extends string, TSchema extends z.ZodType>(
  contract: EventContract<TType, TSchema>,
  reservationId: string,
) {
  const rows = await h.sql.query<{ envelope: unknown; topic: string }>(
    "SELECT envelope, topic FROM outbox_events WHERE event_type = $1 AND message_key = $2",
    [contract.type, reservationId],
  );
  for (const row of rows) expect(row.topic).toBe("reservation-events");
  return rows.map((row) => parseEvent(contract, row.envelope));
}

async function holdSeats(user: number, eventId: string, seatIds: (string | undefined)[]) {
  const res = await h.call<HoldData>(HOLD, { e: eventId, s: seatIds, k: randomUUID() }, fan(user));
  return { res, id: res.data?.holdSeats.id ?? "" };
}

const userIdOf = (n: number) => {
  const viewer = fan(n);
  return viewer.authenticated ? viewer.userId : "";
};

it("a seat hold writes reservation.created with its lines; replacing it cancels the old one as REPLACED", async () => {
  const eventId = await h.publishEvent();
  const seats = await h.seatEvent(eventId, 1, 4);
  const first = await holdSeats(90_001, eventId, [seats[0], seats[1]]);
  expect(first.res.errors).toBeUndefined();

  const [created] = await outboxOf(ReservationCreated, first.id);
  const row = await h.sql.query<{ created_at: Date; expires_at: Date; total_amount: number }>(
    "SELECT created_at, expires_at, total_amount FROM reservations WHERE id = $1",
    [first.id],
  );
  expect(created?.aggregateId).toBe(first.id);
  expect(created?.payload).toMatchObject({
    reservationId: first.id,
    userId: userIdOf(90_001),
    eventId,
    quantity: 2,
    totalAmount: 200_000,
    currency: "KRW",
    buyerTier: "BRONZE",
    createdAt: row[0]?.created_at.toISOString(),
    expiresAt: row[0]?.expires_at.toISOString(),
  });
  expect(created?.payload.lines).toEqual(
    [seats[0], seats[1]].sort().map((seatId) => ({
      seatId,
      ticketTypeId: null,
      section: "A",
      priceTier: "R",
      quantity: 1,
      unitPrice: 100_000,
      bookingFee: 0,
    })),
  );

  const second = await holdSeats(90_001, eventId, [seats[1], seats[2], seats[3]]);
  expect(second.res.errors).toBeUndefined();
  expect((await outboxOf(ReservationCreated, second.id))[0]?.payload.quantity).toBe(3);
  const cancelled = await outboxOf(ReservationCancelled, first.id);
  expect(cancelled.map((e) => e.payload)).toEqual([
    {
      reservationId: first.id,
      userId: userIdOf(90_001),
      eventId,
      quantity: 2,
      reason: "REPLACED",
      cancelledAt: expect.any(String),
    },
  ]);
});

it("a refused hold writes no event", async () => {
  const eventId = await h.publishEvent();
  const seats = await h.seatEvent(eventId, 1, 2);
  expect((await holdSeats(90_101, eventId, [seats[0]])).res.errors).toBeUndefined();
  const before = await h.count("SELECT count(*) AS n FROM outbox_events");
  // Redis lets the second buyer through once the lock is gone; PostgreSQL refuses the taken seat.
  const lock = await h.app.locks.holder(eventId, seats[0] ?? "");
  await h.app.locks.release(eventId, [seats[0] ?? ""], lock?.token ?? 0n);
  const refused = await holdSeats(90_102, eventId, [seats[0], seats[1]]);
  expect(refused.res.errors?.[0]?.extensions?.code).toBe("CONFLICT");
  expect(await h.count("SELECT count(*) AS n FROM outbox_events")).toBe(before);
});

it("general admission writes reservation.created naming the ticket type; cancelling writes reservation.cancelled", async () => {
  const eventId = await h.publishEvent();
  const type = await h.app.seating.createTicketType(ADMIN, {
    eventId,
    name: "Standing",
    price: 55_000,
    totalQuantity: 10,
  });
  const res = await h.call<{ reserveTickets: { id: string } }>(
    RESERVE,
    { e: eventId, i: [{ ticketTypeId: type.id, quantity: 3 }], k: randomUUID() },
    fan(90_201),
  );
  expect(res.errors).toBeUndefined();
  const id = res.data?.reserveTickets.id ?? "";
  const [created] = await outboxOf(ReservationCreated, id);
  expect(created?.payload).toMatchObject({ quantity: 3, totalAmount: 165_000, eventId });
  expect(created?.payload.lines).toEqual([
    {
      seatId: null,
      ticketTypeId: type.id,
      section: null,
      priceTier: "Standing",
      quantity: 3,
      unitPrice: 55_000,
      bookingFee: 0,
    },
  ]);

  expect((await h.call(CANCEL, { id }, fan(90_201))).errors).toBeUndefined();
  const cancelled = await outboxOf(ReservationCancelled, id);
  expect(cancelled.map((e) => [e.payload.reason, e.payload.quantity])).toEqual([["CANCELLED_BY_USER", 3]]);
  // A refused second cancel writes nothing more.
  expect((await h.call(CANCEL, { id }, fan(90_201))).errors?.[0]?.extensions?.code).toBe("CONFLICT");
  expect(await outboxOf(ReservationCancelled, id)).toHaveLength(1);
});

it("the expiry sweep writes reservation.expired once per released hold", async () => {
  const eventId = await h.publishEvent();
  const seats = await h.seatEvent(eventId, 1, 2);
  const { id } = await holdSeats(90_301, eventId, [seats[0], seats[1]]);
  await h.sql.query("UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = $1", [id]);
  await h.app.sweeper.sweepOnce();
  await h.app.sweeper.sweepOnce();
  const expired = await outboxOf(ReservationExpired, id);
  expect(expired.map((e) => e.payload)).toEqual([
    { reservationId: id, userId: userIdOf(90_301), eventId, quantity: 2, expiredAt: expect.any(String) },
  ]);
});

it("an event's cancellation writes reservation.cancelled for each pending hold it ends", async () => {
  const eventId = await h.publishEvent();
  const seats = await h.seatEvent(eventId, 1, 3);
  const a = await holdSeats(90_401, eventId, [seats[0]]);
  const b = await holdSeats(90_402, eventId, [seats[1], seats[2]]);
  const day = 86_400_000;
  await h.app.projection.apply(
    createEvent(EventUpserted, eventId, {
      eventId,
      artistId: randomUUID(),
      title: "Test Show",
      startsAt: new Date(Date.now() + 30 * day).toISOString(),
      saleStartsAt: new Date(Date.now() - day).toISOString(),
      saleEndsAt: new Date(Date.now() + 29 * day).toISOString(),
      cancelledAt: new Date().toISOString(),
      revision: 2,
    }),
  );
  for (const [hold, quantity] of [
    [a, 1],
    [b, 2],
  ] as const) {
    const cancelled = await outboxOf(ReservationCancelled, hold.id);
    expect(cancelled.map((e) => [e.payload.reason, e.payload.quantity])).toEqual([
      ["EVENT_CANCELLED", quantity],
    ]);
  }
});
