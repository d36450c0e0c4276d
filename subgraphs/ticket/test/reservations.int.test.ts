import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { firstErrorCode } from "@urr/testkit";
import {
  ADMIN,
  fan,
  HOLD,
  type HoldData,
  startTicketHarness,
  type TicketHarness,
} from "./support/ticket-harness.ts";

let h: TicketHarness;
beforeAll(async () => {
  h = await startTicketHarness({ MAX_TICKETS_PER_USER: "4" });
});
afterAll(() => h.close());

const RESERVE = `mutation($e: ID!, $i: [TicketItemInput!]!, $k: String!, $t: String) {
  reserveTickets(eventId: $e, items: $i, idempotencyKey: $k, entryToken: $t) { id totalAmount }
}`;

describe("general admission", () => {
  it("sells exactly 100 of 100 tickets to 500 concurrent buyers, never below zero", async () => {
    const eventId = await h.publishEvent();
    const type = await h.app.seating.createTicketType(ADMIN, {
      eventId,
      name: "Standing",
      price: 66_000,
      totalQuantity: 100,
    });
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        h.call(
          RESERVE,
          { e: eventId, i: [{ ticketTypeId: type.id, quantity: 1 }], k: randomUUID() },
          fan(10_000 + i),
        ),
      ),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(100);
    const refusals = results.filter((r) => r.errors);
    expect(refusals.every((r) => r.errors?.[0]?.extensions?.reason === "SOLD_OUT")).toBe(true);
    expect(await h.count("SELECT available_quantity AS n FROM ticket_types WHERE id = $1", [type.id])).toBe(
      0,
    );
    expect(
      await h.count(
        "SELECT sum(i.quantity) AS n FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id WHERE i.ticket_type_id = $1 AND r.status = 'PENDING'",
        [type.id],
      ),
    ).toBe(100);
  });

  it("takes several types all or nothing", async () => {
    const eventId = await h.publishEvent();
    const scarce = await h.app.seating.createTicketType(ADMIN, {
      eventId,
      name: "Floor",
      price: 99_000,
      totalQuantity: 1,
    });
    const plenty = await h.app.seating.createTicketType(ADMIN, {
      eventId,
      name: "Balcony",
      price: 55_000,
      totalQuantity: 50,
    });
    const res = await h.call(
      RESERVE,
      {
        e: eventId,
        i: [
          { ticketTypeId: plenty.id, quantity: 1 },
          { ticketTypeId: scarce.id, quantity: 2 },
        ],
        k: randomUUID(),
      },
      fan(20_001),
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
      reason: "SOLD_OUT",
      ticketTypeId: scarce.id,
    });
    expect(await h.count("SELECT available_quantity AS n FROM ticket_types WHERE id = $1", [plenty.id])).toBe(
      50,
    );
  });

  it.each([
    ["quantity 0", (id: string) => [{ ticketTypeId: id, quantity: 0 }], "items[0].quantity"],
    ["over the limit", (id: string) => [{ ticketTypeId: id, quantity: 5 }], "items"],
    [
      "a repeated type",
      (id: string) => [
        { ticketTypeId: id, quantity: 1 },
        { ticketTypeId: id, quantity: 1 },
      ],
      "items",
    ],
  ])("refuses %s", async (_label, items, field) => {
    const eventId = await h.publishEvent();
    const type = await h.app.seating.createTicketType(ADMIN, {
      eventId,
      name: "GA",
      price: 1,
      totalQuantity: 10,
    });
    const res = await h.call(RESERVE, { e: eventId, i: items(type.id), k: randomUUID() }, fan(20_002));
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(await h.count("SELECT available_quantity AS n FROM ticket_types WHERE id = $1", [type.id])).toBe(
      10,
    );
  });
});

describe("cancel and ownership", () => {
  it("releases seats and stock on cancel; only the owner or an admin may cancel or read", async () => {
    const eventId = await h.publishEvent();
    const seats = await h.seatEvent(eventId);
    const held = await h.call<HoldData>(
      HOLD,
      { e: eventId, s: seats.slice(0, 2), k: randomUUID() },
      fan(30_001),
    );
    const id = held.data?.holdSeats.id ?? "";
    const CANCEL = "mutation($id: ID!) { cancelReservation(id: $id) { status endReason } }";
    expect((await h.call(CANCEL, { id }, fan(30_002))).errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN",
      reason: "NOT_OWNER",
    });
    expect(
      firstErrorCode(await h.call("query($id: ID!) { reservation(id: $id) { id } }", { id }, fan(30_002))),
    ).toBe("FORBIDDEN");
    const cancelled = await h.call<{ cancelReservation: { status: string; endReason: string } }>(
      CANCEL,
      { id },
      fan(30_001),
    );
    expect(cancelled.data?.cancelReservation).toEqual({
      status: "CANCELLED",
      endReason: "CANCELLED_BY_USER",
    });
    expect(
      await h.count("SELECT count(*) AS n FROM seats WHERE event_id = $1 AND status <> 'AVAILABLE'", [
        eventId,
      ]),
    ).toBe(0);
    expect(await h.app.locks.holder(eventId, seats[0] ?? "")).toBeNull();
    expect((await h.call(CANCEL, { id }, fan(30_001))).errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
    });
    // Someone else can now hold the seats.
    expect(
      (await h.call(HOLD, { e: eventId, s: seats.slice(0, 2), k: randomUUID() }, fan(30_002))).errors,
    ).toBeUndefined();
  });
});

describe("fencing: a lapsed hold can never be confirmed for its old holder", () => {
  it("detects a seat whose Redis lock was lost or re-taken by someone else", async () => {
    const eventId = await h.publishEvent();
    const [seat] = await h.seatEvent(eventId);
    const a = await h.call<HoldData>(HOLD, { e: eventId, s: [seat], k: randomUUID() }, fan(40_001));
    const reservationId = a.data?.holdSeats.id ?? "";
    expect(await h.app.reservations.checkHold(reservationId)).toEqual({ intact: true });

    // A's lock lapses in Redis and B's client takes it (a larger fencing token).
    const lock = await h.app.locks.holder(eventId, seat ?? "");
    await h.app.locks.release(eventId, [seat ?? ""], lock?.token ?? 0n);
    const b = await h.app.locks.acquire(
      eventId,
      [seat ?? ""],
      "00000000-0000-4000-8000-0000000b0b0b",
      60_000,
    );
    expect(b.acquired).toBe(true);
    expect(await h.app.reservations.checkHold(reservationId)).toEqual({
      intact: false,
      reason: "SEAT_LOST",
      seatIds: [seat],
    });
  });

  it("refuses an expired hold, and after the sweep the seat goes to the next buyer", async () => {
    const eventId = await h.publishEvent();
    const [seat] = await h.seatEvent(eventId);
    const a = await h.call<HoldData>(HOLD, { e: eventId, s: [seat], k: randomUUID() }, fan(41_001));
    const reservationId = a.data?.holdSeats.id ?? "";
    await h.sql.query("UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = $1", [
      reservationId,
    ]);
    expect(await h.app.reservations.checkHold(reservationId)).toMatchObject({
      intact: false,
      reason: "EXPIRED",
    });
    await h.app.sweeper.sweepOnce();
    const b = await h.call<HoldData>(HOLD, { e: eventId, s: [seat], k: randomUUID() }, fan(41_002));
    expect(b.errors).toBeUndefined();
    expect(await h.app.reservations.checkHold(reservationId)).toMatchObject({
      intact: false,
      reason: "NOT_PENDING",
    });
    expect(await h.app.reservations.checkHold(b.data?.holdSeats.id ?? "")).toEqual({ intact: true });
  });

  it("keeps refusing a second buyer when Redis lost its locks but PostgreSQL still holds the seat", async () => {
    const eventId = await h.publishEvent();
    const [seat] = await h.seatEvent(eventId);
    await h.call(HOLD, { e: eventId, s: [seat], k: randomUUID() }, fan(42_001));
    const lock = await h.app.locks.holder(eventId, seat ?? "");
    await h.app.locks.release(eventId, [seat ?? ""], lock?.token ?? 0n); // as if Redis restarted empty
    const res = await h.call(HOLD, { e: eventId, s: [seat], k: randomUUID() }, fan(42_002));
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "SEATS_TAKEN" });
  });
});

describe("expiry sweep", () => {
  it("releases each expired hold exactly once when two processes sweep at the same time", async () => {
    const eventId = await h.publishEvent();
    const seats = await h.seatEvent(eventId, 5, 10);
    const type = await h.app.seating.createTicketType(ADMIN, {
      eventId,
      name: "Standing",
      price: 10,
      totalQuantity: 100,
    });
    for (let i = 0; i < 40; i++) {
      await h.call(HOLD, { e: eventId, s: [seats[i]], k: randomUUID() }, fan(50_000 + i));
      await h.call(
        RESERVE,
        { e: eventId, i: [{ ticketTypeId: type.id, quantity: 2 }], k: randomUUID() },
        fan(50_000 + i),
      );
    }
    await h.sql.query(
      "UPDATE reservations SET expires_at = now() - interval '1 second' WHERE event_id = $1",
      [eventId],
    );

    const script = path.resolve(__dirname, "../src/jobs/sweep-once.ts");
    const env = {
      ...process.env,
      NODE_OPTIONS: "",
      DATABASE_URL: h.db.url,
      REDIS_URL: process.env.REDIS_URL || "redis://127.0.0.1:6379",
      LOG_LEVEL: "silent",
    };
    const run = () => promisify(execFile)(process.execPath, ["--import", "tsx", script], { env });
    const outputs = await Promise.all([run(), run()]);
    const results = outputs.map(
      (o) => JSON.parse(o.stdout.trim()) as { reservations: number; seats: number },
    );
    expect(results[0]!.reservations + results[1]!.reservations).toBe(80);
    expect(results[0]!.seats + results[1]!.seats).toBe(40);
    expect(
      await h.count("SELECT count(*) AS n FROM seats WHERE event_id = $1 AND status = 'AVAILABLE'", [
        eventId,
      ]),
    ).toBe(50);
    expect(await h.count("SELECT available_quantity AS n FROM ticket_types WHERE id = $1", [type.id])).toBe(
      100,
    );
    expect(
      await h.count("SELECT count(*) AS n FROM reservations WHERE event_id = $1 AND status = 'EXPIRED'", [
        eventId,
      ]),
    ).toBe(80);
    for (const seat of seats.slice(0, 40)) expect(await h.app.locks.holder(eventId, seat)).toBeNull();
  });
});
