import { randomUUID } from "node:crypto";
import { firstErrorCode } from "@urr/testkit";
import {
  fan,
  HOLD,
  type HoldData,
  startTicketHarness,
  type TicketHarness,
} from "./support/ticket-harness.ts";

/** The invariant of the product: a seat is never held or sold twice. Real PostgreSQL and Redis. */
let h: TicketHarness;
beforeAll(async () => {
  h = await startTicketHarness();
});
afterAll(() => h.close());

const hold = (viewer: ReturnType<typeof fan>, eventId: string, seatIds: string[], key = randomUUID()) =>
  h.call<HoldData>(HOLD, { e: eventId, s: seatIds, k: key }, viewer);

/** The database and Redis must tell the same story about every seat of the event. */
async function assertConsistent(eventId: string) {
  const seats = await h.sql.query<{
    id: string;
    status: string;
    reservation_id: string | null;
    held_by: string | null;
    fencing_token: string;
  }>("SELECT id, status, reservation_id, held_by, fencing_token::text FROM seats WHERE event_id = $1", [
    eventId,
  ]);
  const items = await h.sql.query<{ seat_id: string; reservation_id: string; fencing_token: string }>(
    `SELECT i.seat_id, i.reservation_id, i.fencing_token::text FROM reservation_items i
     JOIN reservations r ON r.id = i.reservation_id WHERE r.event_id = $1 AND r.status = 'PENDING' AND i.seat_id IS NOT NULL`,
    [eventId],
  );
  // No seat in two live reservations.
  const perSeat = new Map<string, number>();
  for (const item of items) perSeat.set(item.seat_id, (perSeat.get(item.seat_id) ?? 0) + 1);
  expect([...perSeat.values()].every((n) => n === 1)).toBe(true);
  for (const seat of seats) {
    const item = items.find((i) => i.seat_id === seat.id);
    const lock = await h.app.locks.holder(eventId, seat.id);
    if (seat.status === "HELD") {
      expect(item?.reservation_id).toBe(seat.reservation_id);
      expect(item?.fencing_token).toBe(seat.fencing_token);
      expect(lock).toEqual({ userId: seat.held_by, token: BigInt(seat.fencing_token) });
    } else {
      expect(item).toBeUndefined();
      expect(lock).toBeNull(); // nothing partial left in Redis
    }
  }
  // Every live reservation holds all of its seats (no partial holds).
  const reservations = new Set(items.map((i) => i.reservation_id));
  for (const id of reservations) {
    const held = seats.filter((s) => s.reservation_id === id).length;
    expect(held).toBe(items.filter((i) => i.reservation_id === id).length);
  }
}

describe("holding seats under contention", () => {
  it("lets exactly one of 200 concurrent buyers hold the same seat; the rest get CONFLICT", async () => {
    const eventId = await h.publishEvent();
    const [seat] = await h.seatEvent(eventId);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => hold(fan(1000 + i), eventId, [seat ?? ""])),
    );
    const winners = results.flatMap((r, i) =>
      r.errors ? [] : [{ buyer: fan(1000 + i), id: r.data?.holdSeats.id }],
    );
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.errors).every((r) => firstErrorCode(r) === "CONFLICT")).toBe(true);
    expect(results.find((r) => r.errors)?.errors?.[0]?.extensions).toMatchObject({
      reason: "SEATS_TAKEN",
      seats: ["A-1-1"],
    });
    expect(await h.count("SELECT count(*) AS n FROM reservations WHERE event_id = $1", [eventId])).toBe(1);
    // The seat ends HELD by the winner's reservation, for the winner, under the winner's Redis lock.
    const [winner] = winners;
    const winnerId = winner?.buyer.authenticated ? winner.buyer.userId : "";
    const [row] = await h.sql.query<{
      status: string;
      reservation_id: string;
      held_by: string;
      owner: string;
    }>(
      `SELECT s.status, s.reservation_id, s.held_by, r.user_id AS owner
       FROM seats s JOIN reservations r ON r.id = s.reservation_id WHERE s.id = $1`,
      [seat],
    );
    expect(row).toEqual({ status: "HELD", reservation_id: winner?.id, held_by: winnerId, owner: winnerId });
    expect((await h.app.locks.holder(eventId, seat ?? ""))?.userId).toBe(winnerId);
    await assertConsistent(eventId);
  });

  it("chained overlapping requests (A{1,2}, B{2,3}, C{3,4}, …): winners hold exactly what they asked for", async () => {
    const eventId = await h.publishEvent();
    const seats = await h.seatEvent(eventId, 1, 40);
    // Request i wants seats i and i+1 (pairs), and every third one a triple: each overlaps its neighbours.
    const requests = Array.from({ length: 39 }, (_, i) => ({
      buyer: fan(2000 + i),
      seatIds: seats.slice(i, i % 3 === 0 ? i + 3 : i + 2),
    }));
    const results = await Promise.all(requests.map((r) => hold(r.buyer, eventId, r.seatIds)));
    const userOf = (buyer: ReturnType<typeof fan>) => (buyer.authenticated ? buyer.userId : "");

    const winners = requests.flatMap((r, i) => {
      const res = results[i];
      return res && !res.errors ? [{ ...r, id: res.data?.holdSeats.id ?? "", res }] : [];
    });
    const losers = requests.filter((_, i) => results[i]?.errors);
    expect(winners.length).toBeGreaterThan(0);
    // Every refusal is a seat conflict, naming only seats a winner now holds.
    const winnerSeats = new Set(winners.flatMap((w) => w.seatIds));
    expect(winnerSeats.size).toBe(winners.reduce((n, w) => n + w.seatIds.length, 0)); // winners disjoint
    for (const [i, r] of results.entries()) {
      if (!r.errors) continue;
      expect(r.errors[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "SEATS_TAKEN" });
      const named = r.errors[0]?.extensions?.seatIds as string[];
      expect(named.length).toBeGreaterThan(0);
      for (const id of named) {
        expect(requests[i]?.seatIds).toContain(id);
        expect(winnerSeats.has(id)).toBe(true);
      }
    }
    // No request lost to nobody: each loser overlaps some winner.
    for (const loser of losers) expect(loser.seatIds.some((id) => winnerSeats.has(id))).toBe(true);

    // The database holds exactly the winners' reservations, each with exactly its requested seats.
    const pending = await h.sql.query<{ id: string; user_id: string; seat_ids: string[] }>(
      `SELECT r.id, r.user_id, array_agg(i.seat_id::text ORDER BY i.seat_id) AS seat_ids
       FROM reservations r JOIN reservation_items i ON i.reservation_id = r.id
       WHERE r.event_id = $1 AND r.status = 'PENDING' GROUP BY r.id, r.user_id`,
      [eventId],
    );
    const sorted = (ids: string[]) => [...ids].sort();
    expect(new Map(pending.map((p) => [p.id, { user: p.user_id, seats: p.seat_ids }]))).toEqual(
      new Map(winners.map((w) => [w.id, { user: userOf(w.buyer), seats: sorted(w.seatIds) }])),
    );
    for (const w of winners) {
      expect(sorted(w.res.data?.holdSeats.items.map((item) => item.seat.id) ?? [])).toEqual(
        sorted(w.seatIds),
      );
    }
    const held = await h.sql.query<{ id: string; reservation_id: string }>(
      "SELECT id, reservation_id FROM seats WHERE event_id = $1 AND status = 'HELD'",
      [eventId],
    );
    expect(new Map(held.map((s) => [s.id, s.reservation_id]))).toEqual(
      new Map(winners.flatMap((w) => w.seatIds.map((id) => [id, w.id] as const))),
    );
    await assertConsistent(eventId);
  });

  it("returns the same reservation for the same idempotency key, even when sent twice at once", async () => {
    const eventId = await h.publishEvent();
    const seats = await h.seatEvent(eventId);
    const key = randomUUID();
    const [a, b] = await Promise.all([
      hold(fan(3001), eventId, seats.slice(0, 2), key),
      hold(fan(3001), eventId, seats.slice(0, 2), key),
    ]);
    expect(a.data?.holdSeats.id).toBeDefined();
    expect(b.errors).toBeUndefined();
    expect(b.data?.holdSeats.id).toBe(a.data?.holdSeats.id);
    const again = await hold(fan(3001), eventId, seats.slice(0, 2), key);
    expect(again.data?.holdSeats.id).toBe(a.data?.holdSeats.id);
    expect(await h.count("SELECT count(*) AS n FROM reservations WHERE event_id = $1", [eventId])).toBe(1);
    await assertConsistent(eventId);
    expect((await h.app.reservations.checkHold(a.data?.holdSeats.id ?? "")).intact).toBe(true);
  });

  it("replaces the user's previous selection: seats not re-selected are released, in Redis too", async () => {
    const eventId = await h.publishEvent();
    const [s1, s2, s3] = await h.seatEvent(eventId);
    const first = await hold(fan(4001), eventId, [s1 ?? "", s2 ?? ""]);
    const second = await hold(fan(4001), eventId, [s2 ?? "", s3 ?? ""]);
    expect(second.errors).toBeUndefined();
    const [old] = await h.sql.query<{ status: string; end_reason: string }>(
      "SELECT status, end_reason FROM reservations WHERE id = $1",
      [first.data?.holdSeats.id],
    );
    expect(old).toEqual({ status: "CANCELLED", end_reason: "REPLACED" });
    await assertConsistent(eventId);
    expect(await h.app.locks.holder(eventId, s1 ?? "")).toBeNull();
  });
});

describe("limits and bad input (nothing held or written)", () => {
  // Each test gets its own event: one that holds seats must not leave them for one that expects none.
  let eventId: string;
  let seats: string[];
  beforeEach(async () => {
    eventId = await h.publishEvent();
    seats = await h.seatEvent(eventId, 1, 10);
  });

  const expectNothingWritten = async () => {
    expect(
      await h.count("SELECT count(*) AS n FROM reservations WHERE event_id = $1 AND status = 'PENDING'", [
        eventId,
      ]),
    ).toBe(0);
    await assertConsistent(eventId);
  };

  it.each([
    ["an empty list", () => [], "seatIds"],
    ["a duplicate seat", () => [seats[0], seats[0]], "seatIds"],
    ["more seats than the per-person limit", () => seats.slice(0, 5), "seatIds"],
    ["a malformed id", () => ["nope"], "seatIds[0]"],
  ])("refuses %s with BAD_USER_INPUT", async (_label, pick, field) => {
    const res = await hold(fan(5001), eventId, pick() as string[]);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    await expectNothingWritten();
  });

  it("answers NOT_FOUND for unknown seats and BAD_USER_INPUT for another event's seats", async () => {
    expect(firstErrorCode(await hold(fan(5001), eventId, [randomUUID()]))).toBe("NOT_FOUND");
    const other = await h.publishEvent();
    const [foreign] = await h.seatEvent(other);
    expect(
      (await hold(fan(5001), eventId, [seats[0] ?? "", foreign ?? ""])).errors?.[0]?.extensions,
    ).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "seatIds",
    });
    await expectNothingWritten();
  });

  it("refuses holds before the sale opens and for cancelled events, with a reason", async () => {
    const later = await h.publishEvent({ saleOpensInDays: 2 });
    const [seat] = await h.seatEvent(later);
    expect((await hold(fan(5002), later, [seat ?? ""])).errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN",
      reason: "SALE_NOT_OPEN",
    });
    const cancelled = await h.publishEvent({ cancelled: true });
    expect((await hold(fan(5002), cancelled, [randomUUID()])).errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN",
      reason: "EVENT_CANCELLED",
    });
    expect(firstErrorCode(await hold(fan(5002), randomUUID(), [randomUUID()]))).toBe("NOT_FOUND");
  });

  it("requires a signed-in user", async () => {
    expect(firstErrorCode(await h.call(HOLD, { e: eventId, s: [seats[0]], k: randomUUID() }))).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("counts held seats and tickets together against the per-person limit", async () => {
    const buyer = fan(5003);
    expect((await hold(buyer, eventId, seats.slice(6, 9))).errors).toBeUndefined();
    const ga = await h.app.seating.createTicketType(fanAdmin(), {
      eventId,
      name: "Standing",
      price: 50_000,
      totalQuantity: 10,
    });
    await expect(
      h.app.generalAdmission.reserveTickets(
        buyer,
        eventId,
        [{ ticketTypeId: ga.id, quantity: 2 }],
        randomUUID(),
      ),
    ).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", limit: 4, alreadyHeld: 3 },
    });
  });
});

function fanAdmin() {
  return {
    authenticated: true as const,
    userId: "00000000-0000-4000-8000-00000000a001",
    email: "admin@urr.test",
    role: "ADMIN" as const,
  };
}
