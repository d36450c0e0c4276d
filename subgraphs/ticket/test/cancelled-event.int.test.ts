import { randomUUID } from "node:crypto";
import { createEvent, EventUpserted, PaymentConfirmed } from "@urr/events";
import type { GraphQLResponse } from "@urr/testkit";
import { type SeatUpdate, seatChannel } from "../src/live/seat-feed.ts";
import {
  ADMIN,
  fan,
  HOLD,
  type HoldData,
  startTicketHarness,
  type TicketHarness,
} from "./support/ticket-harness.ts";

/**
 * An event cancelled in catalog leaves the sale in ticket: the state arrives on catalog-events, and
 * applying it ends every pending hold of the event in the same transaction (seats and stock back,
 * Redis locks dropped, the seat feed told), refuses new holds, and the payment saga refuses (so
 * payment refunds) a confirmation for a hold it ended. Holds and confirmations racing the
 * cancellation end the same way, whatever the interleaving.
 */
let h: TicketHarness;
beforeAll(async () => {
  h = await startTicketHarness({ MAX_TICKETS_PER_USER: "4" });
});
afterAll(() => h.close());

const RESERVE = `mutation($e: ID!, $i: [TicketItemInput!]!, $k: String!, $t: String) {
  reserveTickets(eventId: $e, items: $i, idempotencyKey: $k, entryToken: $t) { id totalAmount }
}`;
const DAY = 86_400_000;

/** catalog.event.upserted for an event on sale, as catalog sends it; `cancelled` sets cancelledAt. */
function catalogState(eventId: string, revision: number, cancelled: boolean) {
  return createEvent(EventUpserted, eventId, {
    eventId,
    artistId: "00000000-0000-4000-8000-0000000a0001",
    title: "Test Show",
    startsAt: new Date(Date.now() + 30 * DAY).toISOString(),
    saleStartsAt: new Date(Date.now() - DAY).toISOString(),
    saleEndsAt: new Date(Date.now() + 29 * DAY).toISOString(),
    cancelledAt: cancelled ? new Date().toISOString() : null,
    revision,
  });
}

/** A fresh event on sale, known to ticket with revision 1, with `seats` numbered seats. */
async function eventOnSale(seats: number): Promise<{ eventId: string; seatIds: string[] }> {
  const eventId = randomUUID();
  await h.app.projection.apply(catalogState(eventId, 1, false));
  return { eventId, seatIds: await h.seatEvent(eventId, 1, seats) };
}

const cancel = (eventId: string) => h.app.projection.apply(catalogState(eventId, 2, true));

function paymentFor(reservationId: string, userId: string, amount: number) {
  const paymentId = randomUUID();
  return createEvent(PaymentConfirmed, paymentId, {
    paymentId,
    orderId: `URR-${paymentId.slice(0, 8)}`,
    userId,
    kind: "RESERVATION",
    referenceId: reservationId,
    amount,
    currency: "KRW",
    method: "CARD",
    confirmedAt: new Date().toISOString(),
  });
}
/** payment.confirmed for the reservation, as it arrives from payment-events (user `n`'s payment). */
const confirm = (reservationId: string, user: number, amount: number) =>
  h.app.paymentEvents.handle(JSON.parse(JSON.stringify(paymentFor(reservationId, userIdOf(user), amount))));

function userIdOf(n: number): string {
  const viewer = fan(n);
  if (!viewer.authenticated) throw new Error("fans are signed in");
  return viewer.userId;
}

async function hold(user: number, eventId: string, seatIds: string[]) {
  const res = await h.call<HoldData>(HOLD, { e: eventId, s: seatIds, k: randomUUID() }, fan(user));
  return { id: res.data?.holdSeats.id, error: refusal(res) };
}

function refusal(res: GraphQLResponse<unknown>): string | undefined {
  const error = res.errors?.[0];
  if (!error) return undefined;
  return `${error.extensions?.code}/${error.extensions?.reason ?? ""}`;
}

const reservations = (eventId: string) =>
  h.sql.query<{ id: string; status: string; end_reason: string | null }>(
    "SELECT id, status::text, end_reason FROM reservations WHERE event_id = $1",
    [eventId],
  );
const seatStatuses = (eventId: string) =>
  h.sql.query<{ id: string; status: string; reservation_id: string | null }>(
    "SELECT id, status::text, reservation_id FROM seats WHERE event_id = $1",
    [eventId],
  );

it("ends every pending hold of a cancelled event: seats and stock back, locks dropped, the feed told; sold seats stay sold", async () => {
  const { eventId, seatIds } = await eventOnSale(6);
  const standing = await h.app.seating.createTicketType(ADMIN, {
    eventId,
    name: "Standing",
    price: 50_000,
    totalQuantity: 10,
  });
  const a = await hold(70_001, eventId, seatIds.slice(0, 2));
  const b = await hold(70_002, eventId, [seatIds[2] ?? ""]);
  const ga = await h.call<{ reserveTickets: { id: string } }>(
    RESERVE,
    { e: eventId, i: [{ ticketTypeId: standing.id, quantity: 3 }], k: randomUUID() },
    fan(70_003),
  );
  const sold = await hold(70_004, eventId, [seatIds[3] ?? ""]);
  expect([a.error, b.error, refusal(ga), sold.error]).toEqual([undefined, undefined, undefined, undefined]);
  expect(await confirm(sold.id ?? "", 70_004, 100_000)).toBe("confirmed");

  const feed: SeatUpdate[] = [];
  const subscription = await h.app.pubsub.subscribe(
    seatChannel(eventId),
    (u: SeatUpdate) => feed.push(u),
    {},
  );
  const message = catalogState(eventId, 2, true);
  expect(await h.app.projection.apply(message)).toBe("applied");

  const ended = [a.id, b.id, ga.data?.reserveTickets.id];
  const rows = await reservations(eventId);
  for (const id of ended) {
    expect(rows.find((r) => r.id === id)).toMatchObject({
      status: "CANCELLED",
      end_reason: "EVENT_CANCELLED",
    });
  }
  // A sale made before the cancellation stays sold here: refunding it is the event's refund, not a hold's end.
  expect(rows.find((r) => r.id === sold.id)).toMatchObject({ status: "CONFIRMED" });
  const seats = await seatStatuses(eventId);
  expect(seats.filter((s) => s.status === "HELD")).toEqual([]);
  expect(seats.find((s) => s.id === seatIds[3])?.status).toBe("RESERVED");
  expect(await h.count("SELECT available_quantity AS n FROM ticket_types WHERE id = $1", [standing.id])).toBe(
    10,
  );
  for (const seatId of seatIds.slice(0, 3)) expect(await h.app.locks.holder(eventId, seatId)).toBeNull();

  for (
    const deadline = Date.now() + 5_000;
    Date.now() < deadline;
    await new Promise((r) => setTimeout(r, 20))
  ) {
    if (feed.some((u) => u.changes.length >= 3)) break;
  }
  await h.app.pubsub.unsubscribe(subscription);
  expect(feed.flatMap((u) => u.changes)).toEqual(
    expect.arrayContaining(seatIds.slice(0, 3).map((seatId) => ({ seatId, status: "AVAILABLE" }))),
  );

  // The same message delivered again changes nothing.
  expect(await h.app.projection.apply(JSON.parse(JSON.stringify(message)))).toBe("duplicate");
});

it("refuses new holds, payment checks and confirmations for a cancelled event, with EVENT_CANCELLED", async () => {
  const { eventId, seatIds } = await eventOnSale(3);
  const standing = await h.app.seating.createTicketType(ADMIN, {
    eventId,
    name: "Standing",
    price: 50_000,
    totalQuantity: 10,
  });
  const held = await hold(71_001, eventId, [seatIds[0] ?? ""]);
  await cancel(eventId);

  expect((await hold(71_002, eventId, [seatIds[1] ?? ""])).error).toBe("FORBIDDEN/EVENT_CANCELLED");
  const ga = await h.call(
    RESERVE,
    { e: eventId, i: [{ ticketTypeId: standing.id, quantity: 1 }], k: randomUUID() },
    fan(71_003),
  );
  expect(refusal(ga)).toBe("FORBIDDEN/EVENT_CANCELLED");
  // What payment's preparePayment reads about the reservation before it takes money.
  expect(await h.app.reservations.checkHold(held.id ?? "")).toEqual({
    intact: false,
    reason: "EVENT_CANCELLED",
    seatIds: [],
  });
  // A payment that was confirmed anyway (it was under way) is refused, so payment refunds it.
  expect(await confirm(held.id ?? "", 71_001, 100_000)).toBe("rejected");
  const [rejection] = await h.sql.query<{ envelope: { payload: { reason: string } } }>(
    "SELECT envelope FROM outbox_events WHERE event_type = 'reservation.confirmation-rejected' AND message_key = $1",
    [held.id],
  );
  expect(rejection?.envelope.payload.reason).toBe("EVENT_CANCELLED");
  expect((await seatStatuses(eventId)).every((s) => s.status === "AVAILABLE")).toBe(true);
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("holds racing the cancellation are refused or ended: no hold of a cancelled event survives", async () => {
  let refusedAfter = 0;
  let endedByCancel = 0;
  for (let round = 0; round < 12; round++) {
    const { eventId, seatIds } = await eventOnSale(24);
    const standing = await h.app.seating.createTicketType(ADMIN, {
      eventId,
      name: "Standing",
      price: 50_000,
      totalQuantity: 100,
    });
    const buyers = Array.from({ length: 12 }, (_, i) => 72_000 + round * 100 + i);
    // The cancellation goes out once some hold has been taken (within 30 ms of it), while the other
    // buyers are still under way: on a slow machine a cancellation on a timer alone could come
    // before every hold, and the test would see only the refused side of the race.
    let someHeld: () => void = () => {};
    const firstHold = new Promise<void>((resolve) => {
      someHeld = resolve;
    });
    const attempts = buyers.map(async (user, i) => {
      await pause(Math.random() * 30);
      if (i % 3 === 2) {
        const res = await h.call(
          RESERVE,
          { e: eventId, i: [{ ticketTypeId: standing.id, quantity: 2 }], k: randomUUID() },
          fan(user),
        );
        return refusal(res);
      }
      // Each buyer holds twice: the second hold replaces the first (urr_hold_seats' replacing path).
      const first = await hold(user, eventId, [seatIds[i * 2] ?? ""]);
      if (first.error) return first.error;
      someHeld();
      return (await hold(user, eventId, [seatIds[i * 2] ?? "", seatIds[i * 2 + 1] ?? ""])).error;
    });
    const cancelling = firstHold.then(() => pause(Math.random() * 30)).then(() => cancel(eventId));
    const outcomes = await Promise.all(attempts);
    expect(await cancelling).toBe("applied");

    const unexpected = outcomes.filter((o) => o !== undefined && o !== "FORBIDDEN/EVENT_CANCELLED");
    expect({ unexpected, logged: unexpected.length ? h.errorLog : [] }).toEqual({
      unexpected: [],
      logged: [],
    });
    refusedAfter += outcomes.filter(Boolean).length;
    const rows = await reservations(eventId);
    expect(rows.filter((r) => r.status === "PENDING")).toEqual([]);
    endedByCancel += rows.filter((r) => r.end_reason === "EVENT_CANCELLED").length;
    expect((await seatStatuses(eventId)).filter((s) => s.status !== "AVAILABLE")).toEqual([]);
    expect(
      await h.count("SELECT available_quantity AS n FROM ticket_types WHERE id = $1", [standing.id]),
    ).toBe(100);
  }
  // Both sides of the race happened (otherwise the test proved nothing).
  expect(refusedAfter).toBeGreaterThan(0);
  expect(endedByCancel).toBeGreaterThan(0);
});

it("a confirmation racing the cancellation either sells before it or is refused after it, never both", async () => {
  const outcomes: Record<string, number> = {};
  for (let round = 0; round < 16; round++) {
    const { eventId, seatIds } = await eventOnSale(2);
    const held = await hold(73_000 + round, eventId, seatIds);
    expect(held.error).toBeUndefined();
    const [outcome] = await Promise.all([
      pause(Math.random() * 15).then(() => confirm(held.id ?? "", 73_000 + round, 200_000)),
      pause(Math.random() * 15).then(() => cancel(eventId)),
    ]);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    const [row] = (await reservations(eventId)).filter((r) => r.id === held.id);
    const seats = await seatStatuses(eventId);
    if (outcome === "confirmed") {
      // Sold before the cancellation reached ticket; the event's refund is what gives it back.
      expect(row?.status).toBe("CONFIRMED");
      expect(seats.every((s) => s.status === "RESERVED" && s.reservation_id === held.id)).toBe(true);
    } else {
      expect(outcome).toBe("rejected");
      expect(row).toMatchObject({ status: "CANCELLED", end_reason: "EVENT_CANCELLED" });
      expect(seats.every((s) => s.status === "AVAILABLE")).toBe(true);
      const [rejection] = await h.sql.query<{ envelope: { payload: { reason: string } } }>(
        "SELECT envelope FROM outbox_events WHERE event_type = 'reservation.confirmation-rejected' AND message_key = $1",
        [held.id],
      );
      expect(rejection?.envelope.payload.reason).toBe("EVENT_CANCELLED");
    }
  }
  expect((outcomes.confirmed ?? 0) + (outcomes.rejected ?? 0)).toBe(16);
});
