import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import type { AuthenticatedViewer } from "@urr/auth-tokens";
import { type Database, openDatabase } from "@urr/db";
import { createEvent, PaymentConfirmed } from "@urr/events";
import { createLogger } from "@urr/logger";
import { metricsRegistry } from "@urr/telemetry";
import { firstErrorCode } from "@urr/testkit";
import { ExpirySweeper } from "../src/domain/expiry-sweeper.ts";
import { createPrismaClient, type PrismaClient } from "../src/repositories/prisma.ts";
import { type TicketRepositories, TicketStore } from "../src/repositories/ticket-store.ts";
import {
  ADMIN,
  fan,
  HOLD,
  type HoldData,
  startTicketHarness,
  type TicketHarness,
} from "./support/ticket-harness.ts";

/** urr_seat_holds_total by outcome, from the process's metrics registry. */
async function holdCounts(): Promise<Record<"won" | "sold_out", number>> {
  const metric = await metricsRegistry.getSingleMetric("urr_seat_holds_total")?.get();
  const value = (outcome: string) => metric?.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  return { won: value("won"), sold_out: value("sold_out") };
}

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
    // A crowd may meet a coded, retryable refusal (the pool is busy: SERVICE_UNAVAILABLE with
    // retryAfterSeconds); a fan retries it, as clients are told to. Every fan ends with a
    // reservation or SOLD_OUT, and nothing else.
    const retryable: unknown[] = [];
    const buy = async (buyer: number) => {
      const key = randomUUID();
      for (;;) {
        const result = await h.call(
          RESERVE,
          { e: eventId, i: [{ ticketTypeId: type.id, quantity: 1 }], k: key },
          fan(10_000 + buyer),
        );
        const extensions = result.errors?.[0]?.extensions;
        if (extensions?.code !== "SERVICE_UNAVAILABLE") return result;
        retryable.push(extensions);
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
      }
    };
    const before = await holdCounts();
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => buy(i)));
    expect(results.filter((r) => !r.errors)).toHaveLength(100);
    // The on-sale metrics count each new hold once and each sold-out refusal, nothing else.
    const after = await holdCounts();
    expect(after.won - before.won).toBe(100);
    expect(after.sold_out - before.sold_out).toBe(400);
    const refusals = results.filter((r) => r.errors);
    expect(
      refusals.map((r) => r.errors?.[0]?.extensions?.reason).filter((reason) => reason !== "SOLD_OUT"),
    ).toEqual([]);
    for (const extensions of retryable)
      expect(extensions).toMatchObject({ retryAfterSeconds: expect.any(Number) });
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
    // The same reservation reached as an entity (how payment's `Payment.reservation` resolves).
    const ENTITY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Reservation { id } } }`;
    const representations = { r: [{ __typename: "Reservation", id }] };
    expect(firstErrorCode(await h.call(ENTITY, representations, fan(30_002)))).toBe("FORBIDDEN");
    expect((await h.call(ENTITY, representations, ADMIN)).data).toEqual({ _entities: [{ id }] });
    expect((await h.call(ENTITY, representations, fan(30_001))).data).toEqual({ _entities: [{ id }] });
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

  it("the payment saga refuses a confirmation whose seat was re-granted under another fencing token", async () => {
    // Two holds alike in every way the saga checks first: owner, PENDING, amount, unexpired. Only the
    // second one's seat has moved on to a newer fencing token (its lock was lost and granted again).
    const eventId = await h.publishEvent();
    const [kept, regranted] = await h.seatEvent(eventId);
    const buyerA = fan(43_001) as AuthenticatedViewer;
    const buyerB = fan(43_002) as AuthenticatedViewer;
    const a = await h.call<HoldData>(HOLD, { e: eventId, s: [kept], k: randomUUID() }, buyerA);
    const b = await h.call<HoldData>(HOLD, { e: eventId, s: [regranted], k: randomUUID() }, buyerB);
    const [aId, bId] = [a.data?.holdSeats.id ?? "", b.data?.holdSeats.id ?? ""];
    const lock = await h.app.locks.holder(eventId, regranted ?? "");
    await h.app.locks.release(eventId, [regranted ?? ""], lock?.token ?? 0n);
    const newer = await h.app.locks.acquire(eventId, [regranted ?? ""], buyerB.userId, 60_000);
    expect(newer.acquired).toBe(true);
    await h.sql.query("UPDATE seats SET fencing_token = $2 WHERE id = $1", [
      regranted,
      String(newer.acquired ? newer.token : 0n),
    ]);

    const confirm = (reservationId: string, buyer: AuthenticatedViewer) => {
      const paymentId = randomUUID();
      const event = createEvent(PaymentConfirmed, paymentId, {
        paymentId,
        orderId: `URR-${paymentId.slice(0, 8)}`,
        userId: buyer.userId,
        kind: "RESERVATION",
        referenceId: reservationId,
        amount: 100_000,
        currency: "KRW",
        method: "CARD",
        confirmedAt: new Date().toISOString(),
      });
      return h.app.paymentEvents.handle(JSON.parse(JSON.stringify(event)));
    };
    expect(await confirm(aId, buyerA)).toBe("confirmed");
    expect(await confirm(bId, buyerB)).toBe("rejected");

    const [rejection] = await h.sql.query<{ envelope: { payload: { reason: string } } }>(
      "SELECT envelope FROM outbox_events WHERE event_type = 'reservation.confirmation-rejected' AND message_key = $1",
      [bId],
    );
    expect(rejection?.envelope.payload.reason).toBe("SEAT_LOST");
    const rows = await h.sql.query<{ id: string; status: string }>(
      "SELECT r.id, r.status FROM reservations r WHERE r.id = ANY($1::uuid[])",
      [[aId, bId]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [aId]: "CONFIRMED",
      [bId]: "PENDING",
    });
    expect(await h.count("SELECT count(*) AS n FROM tickets WHERE reservation_id = $1", [bId])).toBe(0);
    expect(
      await h.count("SELECT count(*) AS n FROM seats WHERE id = $1 AND status = 'HELD'", [regranted]),
    ).toBe(1);
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

  it("answers a committed hold or cancel as done when Redis fails to drop the released seats' locks", async () => {
    const eventId = await h.publishEvent();
    const seats = await h.seatEvent(eventId, 1, 3);
    const buyer = fan(42_101);
    const first = await h.call<HoldData>(HOLD, { e: eventId, s: [seats[0]], k: randomUUID() }, buyer);
    expect(first.errors).toBeUndefined();
    // From here, every lock release fails, as a Redis timeout would: after commit, that is only
    // a lock left to expire, never a failed answer for what PostgreSQL already recorded.
    const release = jest.spyOn(h.app.locks, "release").mockRejectedValue(new Error("Command timed out"));
    try {
      const replacing = await h.call<HoldData>(HOLD, { e: eventId, s: [seats[1]], k: randomUUID() }, buyer);
      expect(replacing.errors).toBeUndefined();
      expect(replacing.data?.holdSeats.status).toBe("PENDING");
      const cancel = await h.call(
        "mutation($id: ID!) { cancelReservation(id: $id) { status } }",
        { id: replacing.data?.holdSeats.id },
        buyer,
      );
      expect(cancel.errors).toBeUndefined();
      expect(release).toHaveBeenCalledTimes(2);
    } finally {
      release.mockRestore();
    }
    const statuses = await h.sql.query<{ status: string }>(
      "SELECT status::text FROM seats WHERE event_id = $1 ORDER BY row_index, number",
      [eventId],
    );
    expect(statuses.map((s) => s.status)).toEqual(["AVAILABLE", "AVAILABLE", "AVAILABLE"]);
  });
});

describe("expiry sweep", () => {
  /**
   * A second ticket instance's sweeper: its own connection pool, batches of 10, and a first batch
   * that waits (its rows still locked, its transaction open) until every sweeper has listed its own,
   * so the sweepers really overlap. `met` says whether they all met there.
   */
  function overlappingSweepers(count: number) {
    let arrived = 0;
    let met = false;
    let open: () => void = () => {};
    const allThere = new Promise<void>((resolve) => {
      open = resolve;
    });
    const barrier = async () => {
      if (++arrived === count) {
        met = true;
        open();
      }
      // Never wait forever: sweepers that block each other must fail the test, not hang it.
      await Promise.race([allThere, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    };
    class FirstBatchWaits extends TicketStore {
      private first = true;
      override transaction<T>(work: (repos: TicketRepositories) => Promise<T>): Promise<T> {
        return super.transaction((repos) => {
          if (!this.first) return work(repos);
          this.first = false;
          const reservations = Object.create(repos.reservations) as typeof repos.reservations;
          reservations.lockExpired = async (now, limit) => {
            const ids = await repos.reservations.lockExpired(now, limit);
            await barrier();
            return ids;
          };
          return work({ ...repos, reservations });
        });
      }
    }
    const pools: { database: Database; prisma: PrismaClient }[] = [];
    return {
      met: () => met,
      async start() {
        const database = await openDatabase({ kind: "postgres", url: h.db.url, poolSize: 2 });
        const prisma = createPrismaClient(database.adapter);
        pools.push({ database, prisma });
        const store = new FirstBatchWaits(prisma);
        const logger = createLogger("sweeper", { level: "silent" });
        return new ExpirySweeper({ store, locks: h.app.locks, logger, batchSize: 10 });
      },
      async close() {
        for (const { database, prisma } of pools) {
          await prisma.$disconnect();
          await database.close();
        }
      },
    };
  }

  /** Sweeps until a round finds nothing; returns the totals. */
  async function sweepAll(sweeper: ExpirySweeper) {
    const total = { reservations: 0, seats: 0 };
    for (;;) {
      const round = await sweeper.sweepOnce();
      if (round.reservations === 0) return total;
      total.reservations += round.reservations;
      total.seats += round.seats;
    }
  }

  it("releases each expired hold exactly once when two sweepers overlap, in batches smaller than the backlog", async () => {
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
    expect(await h.count("SELECT available_quantity AS n FROM ticket_types WHERE id = $1", [type.id])).toBe(
      20,
    );
    await h.sql.query(
      "UPDATE reservations SET expires_at = now() - interval '1 second' WHERE event_id = $1",
      [eventId],
    );

    const instances = overlappingSweepers(2);
    try {
      const sweepers = [await instances.start(), await instances.start()];
      const results = await Promise.all(sweepers.map(sweepAll));
      expect(instances.met()).toBe(true); // both held a batch at the same moment
      expect(results.every((r) => r.reservations > 0)).toBe(true); // both did part of the work
      expect(results[0]!.reservations + results[1]!.reservations).toBe(80);
      expect(results[0]!.seats + results[1]!.seats).toBe(40);
    } finally {
      await instances.close();
    }
    expect(
      await h.count("SELECT count(*) AS n FROM seats WHERE event_id = $1 AND status = 'AVAILABLE'", [
        eventId,
      ]),
    ).toBe(50);
    // Stock given back once per reservation: not above what the type has.
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

  it("the operator's sweep-once job releases expired holds and prints what it did", async () => {
    const eventId = await h.publishEvent();
    const seats = await h.seatEvent(eventId, 1, 3);
    for (const [i, seat] of seats.entries()) {
      await h.call(HOLD, { e: eventId, s: [seat], k: randomUUID() }, fan(51_000 + i));
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
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script], { env });
    expect(JSON.parse(stdout.trim())).toEqual({ reservations: 3, seats: 3 });
    expect(
      await h.count("SELECT count(*) AS n FROM seats WHERE event_id = $1 AND status = 'AVAILABLE'", [
        eventId,
      ]),
    ).toBe(3);
  });
});
