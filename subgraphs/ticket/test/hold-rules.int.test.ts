import { randomUUID } from "node:crypto";
import type { GraphQLResponse } from "@urr/testkit";
import {
  fan,
  HOLD,
  type HoldData,
  startTicketHarness,
  type TicketHarness,
} from "./support/ticket-harness.ts";

/**
 * The rules of a seat hold live once, in the `urr_hold_seats` function: a fresh hold and one that
 * replaces the buyer's pending selection are each one call (one round trip, no transaction opened
 * by the application), and the function's refusals reach the client as coded errors (mapped from
 * its SQLSTATEs), with nothing written.
 */
let h: TicketHarness;
beforeAll(async () => {
  h = await startTicketHarness({ MAX_TICKETS_PER_USER: "4" });
});
afterAll(() => h.close());

async function hold(user: number, eventId: string, seatIds: (string | undefined)[]) {
  return h.call<HoldData>(HOLD, { e: eventId, s: seatIds, k: randomUUID() }, fan(user));
}

function userIdOf(n: number): string {
  const viewer = fan(n);
  if (!viewer.authenticated) throw new Error("fans are signed in");
  return viewer.userId;
}

function refusal(res: GraphQLResponse<unknown>) {
  const extensions = res.errors?.[0]?.extensions;
  return extensions ? { code: extensions.code, reason: extensions.reason } : undefined;
}

/** The statements a request sent, without transaction control. */
async function statementsOf<T>(work: () => Promise<T>) {
  h.queries.length = 0;
  const result = await work();
  const sent = [...h.queries];
  return {
    result,
    sent,
    transactions: sent.filter((q) => /^\s*BEGIN/i.test(q)).length,
    /** Statements that lock or write (the live feed's reads interleave at will). */
    writes: sent.filter((q) => /\bFOR UPDATE\b|\b(INSERT|UPDATE|DELETE)\b|pg_advisory|urr_hold_seats/.test(q))
      .length,
  };
}

const state = (eventId: string) =>
  Promise.all([
    h.sql.query<{ id: string; status: string; end_reason: string | null }>(
      "SELECT id, status::text, end_reason FROM reservations WHERE event_id = $1 ORDER BY created_at",
      [eventId],
    ),
    h.sql.query<{ id: string; status: string; reservation_id: string | null }>(
      "SELECT id, status::text, reservation_id FROM seats WHERE event_id = $1 ORDER BY id",
      [eventId],
    ),
  ]);

it("holds and replaces a selection in one call to urr_hold_seats, without an application transaction", async () => {
  const eventId = await h.publishEvent();
  const seats = await h.seatEvent(eventId, 1, 4);
  const fresh = await statementsOf(() => hold(80_001, eventId, [seats[0], seats[1]]));
  expect(fresh.result.errors).toBeUndefined();
  expect(fresh.sent.filter((q) => q.includes("urr_hold_seats"))).toHaveLength(1);
  expect(fresh.transactions).toBe(0);
  expect(fresh.writes).toBe(1);

  // Holding again replaces the pending selection, keeping one seat and adding another.
  const replacing = await statementsOf(() => hold(80_001, eventId, [seats[1], seats[2]]));
  expect(replacing.result.errors).toBeUndefined();
  expect(replacing.sent.filter((q) => q.includes("urr_hold_seats"))).toHaveLength(1);
  expect(replacing.transactions).toBe(0);
  // Nothing locked or written but by the function (reads, such as the live feed's, aside).
  expect(replacing.writes).toEqual(fresh.writes);

  const [reservations, seatRows] = await state(eventId);
  const firstId = fresh.result.data?.holdSeats.id;
  const secondId = replacing.result.data?.holdSeats.id;
  expect(reservations).toEqual([
    { id: firstId, status: "CANCELLED", end_reason: "REPLACED" },
    { id: secondId, status: "PENDING", end_reason: null },
  ]);
  const byId = new Map(seatRows.map((s) => [s.id, s]));
  expect(byId.get(seats[0] ?? "")).toMatchObject({ status: "AVAILABLE", reservation_id: null });
  expect(byId.get(seats[1] ?? "")).toMatchObject({ status: "HELD", reservation_id: secondId });
  expect(byId.get(seats[2] ?? "")).toMatchObject({ status: "HELD", reservation_id: secondId });
  // The seat given back is free in Redis too; the kept one is locked for the new selection.
  expect(await h.app.locks.holder(eventId, seats[0] ?? "")).toBeNull();
  expect((await h.app.locks.holder(eventId, seats[1] ?? ""))?.userId).toBe(userIdOf(80_001));
});

it("a replacing hold counts the limit without the selection it replaces, and is refused past it", async () => {
  const eventId = await h.publishEvent();
  const seats = await h.seatEvent(eventId, 1, 8);
  expect((await hold(80_101, eventId, seats.slice(0, 3))).errors).toBeUndefined();
  // Four seats replacing three: within the limit of four.
  expect((await hold(80_101, eventId, seats.slice(3, 7))).errors).toBeUndefined();
  const before = await state(eventId);
  expect(refusal(await hold(80_101, eventId, seats.slice(0, 5)))).toEqual({
    code: "BAD_USER_INPUT",
    reason: undefined,
  });
  expect(await state(eventId)).toEqual(before);
});

it("refusals on the replacing path are coded and write nothing: the pending selection is kept", async () => {
  const eventId = await h.publishEvent();
  const seats = await h.seatEvent(eventId, 1, 4);
  const otherEvent = await h.publishEvent();
  const [foreignSeat] = await h.seatEvent(otherEvent, 1, 1);
  expect((await hold(80_201, eventId, [seats[0]])).errors).toBeUndefined();
  expect((await hold(80_202, eventId, [seats[3]])).errors).toBeUndefined();
  const before = await state(eventId);

  // Held by someone else (Redis lets it through once its lock is gone; PostgreSQL still refuses).
  const lock = await h.app.locks.holder(eventId, seats[3] ?? "");
  await h.app.locks.release(eventId, [seats[3] ?? ""], lock?.token ?? 0n);
  expect(refusal(await hold(80_201, eventId, [seats[1], seats[3]]))).toEqual({
    code: "CONFLICT",
    reason: "SEATS_TAKEN",
  });
  expect(refusal(await hold(80_201, eventId, [seats[1], foreignSeat]))?.code).toBe("BAD_USER_INPUT");
  expect(refusal(await hold(80_201, eventId, [seats[1], randomUUID()]))?.code).toBe("NOT_FOUND");
  expect(await state(eventId)).toEqual(before);
  // The kept selection still owns its seat in Redis.
  expect((await h.app.locks.holder(eventId, seats[0] ?? ""))?.userId).toBe(userIdOf(80_201));
});
