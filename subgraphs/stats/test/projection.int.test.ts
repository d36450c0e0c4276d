import { randomUUID } from "node:crypto";
import {
  createEvent,
  type EventEnvelope,
  InvalidEventError,
  MembershipActivated,
  MembershipExpired,
  MembershipTierChanged,
  PaymentConfirmed,
  PaymentRefunded,
  ReservationConfirmed,
  ReservationCreated,
  ReservationExpired,
  ReservationRefunded,
  ReservationRefundRequested,
} from "@urr/events";
import { rounded } from "./support/dashboard-query.ts";
import { ADMIN, type StatsHarness, startStatsHarness } from "./support/stats-harness.ts";

/**
 * Exactly once and in any order: a redelivered event is recorded as a duplicate and changes
 * nothing; the events of one reservation, of one payment and of one membership give the same
 * figures in every arrival order (an expiry before its hold, a refund before its confirmation, an
 * older membership state after a newer one); what a contract refuses is rejected, writing nothing.
 */
let h: StatsHarness;
const NOW = new Date("2026-12-03T05:00:00.000Z");
beforeAll(async () => {
  h = await startStatsHarness({ now: () => NOW });
});
afterAll(() => h.close());

const iso = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
const line = {
  seatId: null,
  ticketTypeId: randomUUID(),
  section: null,
  priceTier: "Standing",
  unitPrice: 50_000,
  bookingFee: 0,
};

function reservationLife(eventId: string, quantity: number) {
  const reservationId = randomUUID();
  const ref = { reservationId, userId: randomUUID(), eventId };
  const paymentId = randomUUID();
  const amount = quantity * 50_000;
  return {
    created: createEvent(ReservationCreated, reservationId, {
      ...ref,
      quantity,
      totalAmount: amount,
      currency: "KRW",
      buyerTier: "BRONZE",
      lines: [{ ...line, quantity }],
      createdAt: iso(30),
      expiresAt: iso(15),
    }),
    confirmed: createEvent(ReservationConfirmed, reservationId, {
      ...ref,
      paymentId,
      quantity,
      totalAmount: amount,
      ticketIds: [],
      confirmedAt: iso(25),
    }),
    refunded: createEvent(ReservationRefunded, reservationId, {
      ...ref,
      paymentId,
      quantity,
      refundedAt: iso(20),
    }),
    expired: createEvent(ReservationExpired, reservationId, { ...ref, quantity, expiredAt: iso(15) }),
  };
}

const EVENT_FIGURES = `query { stats { eventStats(sortBy: HOLDS, limit: 100) {
  eventId holds purchases cancellations expiries refunds ticketsSold revenue conversionRate } } }`;

async function figuresOf(eventId: string) {
  const res = await h.call<{ stats: { eventStats: { eventId: string }[] } }>(EVENT_FIGURES, {}, ADMIN);
  expect(res.errors).toBeUndefined();
  return rounded(res.data?.stats.eventStats.find((e) => e.eventId === eventId));
}

/** Every order of a list (n! of them). */
function orders<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

it("a redelivered event is a duplicate and moves no figure", async () => {
  const eventId = randomUUID();
  const life = reservationLife(eventId, 2);
  expect(await h.app.projection.handle(life.created)).toBe("applied");
  expect(await h.app.projection.handle(life.confirmed)).toBe("applied");
  const once = await figuresOf(eventId);
  for (const event of [life.created, life.confirmed, life.confirmed]) {
    expect(await h.app.projection.handle(structuredClone(event))).toBe("duplicate");
  }
  // Through the signed HTTP receiver too, as a relay's retry would send them.
  expect(await h.post([life.created, life.confirmed])).toEqual({
    status: 200,
    outcomes: ["duplicate", "duplicate"],
  });
  expect(await figuresOf(eventId)).toEqual(once);
  expect(once).toMatchObject({ holds: 1, purchases: 1, ticketsSold: 2, revenue: 100_000 });
});

it("concurrent deliveries of the same event apply it once", async () => {
  const eventId = randomUUID();
  const { created } = reservationLife(eventId, 3);
  const outcomes = await Promise.all(
    Array.from({ length: 8 }, () => h.app.projection.handle(structuredClone(created))),
  );
  expect(outcomes.filter((o) => o === "applied")).toHaveLength(1);
  expect(await figuresOf(eventId)).toMatchObject({ holds: 1 });
  expect(
    await h.count("SELECT count(*) AS n FROM stats_reservation_lines WHERE reservation_id = $1", [
      created.aggregateId,
    ]),
  ).toBe(1);
});

it("a sale gives the same figures in every order of hold, confirmation and refund", async () => {
  const results = [];
  for (const order of orders(["created", "confirmed", "refunded"] as const)) {
    const eventId = randomUUID();
    const life = reservationLife(eventId, 2);
    for (const step of order) expect(await h.app.projection.handle(life[step])).toBe("applied");
    const { eventId: _id, ...figures } = (await figuresOf(eventId)) ?? { eventId: "" };
    results.push(figures);
  }
  expect(results).toHaveLength(6);
  for (const figures of results) {
    expect(figures).toEqual({
      holds: 1,
      purchases: 1,
      cancellations: 0,
      expiries: 0,
      refunds: 1,
      ticketsSold: 0,
      revenue: 0,
      conversionRate: 1,
    });
  }
});

it("an expiry that arrives before its hold is counted once, and the hold is not active", async () => {
  const eventId = randomUUID();
  const life = reservationLife(eventId, 4);
  expect(await h.app.projection.handle(life.expired)).toBe("applied");
  expect(await figuresOf(eventId)).toMatchObject({ holds: 0, expiries: 1 });
  expect(await h.app.projection.handle(life.created)).toBe("applied");
  expect(await figuresOf(eventId)).toMatchObject({ holds: 1, expiries: 1, purchases: 0 });
  const row = await h.sql.query<{ released_quantity: number; quantity: number }>(
    "SELECT released_quantity, quantity FROM stats_reservations WHERE reservation_id = $1",
    [life.created.aggregateId],
  );
  expect(row).toEqual([{ released_quantity: 4, quantity: 4 }]);
  const realtime = await h.call<{ stats: { realtime: { activeHolds: number } } }>(
    "{ stats { realtime { activeHolds } } }",
    {},
    ADMIN,
  );
  expect(realtime.data?.stats.realtime.activeHolds).toBe(0);
});

it("a refund before its payment's confirmation leaves the same money figures", async () => {
  const money = async () =>
    (
      await h.call<{ stats: { overview: Record<string, number> } }>(
        "{ stats { overview { payments grossRevenue refundedAmount netRevenue } } }",
        {},
        ADMIN,
      )
    ).data?.stats.overview;
  const before = await money();
  const paymentId = randomUUID();
  const ref = {
    paymentId,
    orderId: "URR-ORDER",
    userId: randomUUID(),
    kind: "RESERVATION" as const,
    referenceId: randomUUID(),
    amount: 77_000,
    currency: "KRW",
  };
  await h.app.projection.handle(
    createEvent(PaymentRefunded, paymentId, { ...ref, reason: "X", refundedAt: iso(1) }),
  );
  await h.app.projection.handle(
    createEvent(PaymentConfirmed, paymentId, { ...ref, method: "CARD", confirmedAt: iso(2) }),
  );
  expect(await money()).toEqual({
    payments: (before?.payments ?? 0) + 1,
    grossRevenue: (before?.grossRevenue ?? 0) + 77_000,
    refundedAmount: (before?.refundedAmount ?? 0) + 77_000,
    netRevenue: before?.netRevenue,
  });
});

it("a membership keeps its newest state whatever order its events arrive in", async () => {
  const membershipId = randomUUID();
  const state = {
    membershipId,
    userId: randomUUID(),
    artistId: randomUUID(),
    points: 0,
    expiresAt: iso(-600),
  };
  const activated = createEvent(MembershipActivated, membershipId, {
    ...state,
    tier: "SILVER",
    revision: 1,
    paymentId: randomUUID(),
  });
  const gold = createEvent(MembershipTierChanged, membershipId, {
    ...state,
    tier: "GOLD",
    previousTier: "SILVER",
    revision: 2,
  });
  const lapsed = createEvent(MembershipExpired, membershipId, {
    ...state,
    tier: "GOLD",
    revision: 3,
    expiresAt: iso(1),
  });
  for (const event of [lapsed, activated, gold]) await h.app.projection.handle(event);
  const rows = await h.sql.query(
    "SELECT tier, revision, lapsed, activated_at IS NOT NULL AS activated FROM stats_memberships WHERE membership_id = $1",
    [membershipId],
  );
  expect(rows).toEqual([{ tier: "GOLD", revision: 3, lapsed: true, activated: true }]);
});

it("what a contract refuses is rejected and writes nothing; known types it does not need are acknowledged", async () => {
  const processed = await h.count("SELECT count(*) AS n FROM processed_events");
  const { created } = reservationLife(randomUUID(), 1);
  const broken = {
    ...structuredClone(created),
    payload: { ...created.payload, quantity: -1 },
  } as EventEnvelope;
  const unknown = { ...structuredClone(created), id: randomUUID(), type: "reservation.teleported" };
  const tooNew = { ...structuredClone(created), id: randomUUID(), version: 2 };
  for (const message of [broken, unknown, tooNew]) {
    await expect(h.app.projection.handle(message)).rejects.toBeInstanceOf(InvalidEventError);
  }
  expect(await h.post([broken, unknown, "not an event"])).toEqual({
    status: 200,
    outcomes: ["rejected", "rejected", "rejected"],
  });
  const request = createEvent(ReservationRefundRequested, randomUUID(), {
    reservationId: randomUUID(),
    paymentId: randomUUID(),
    userId: randomUUID(),
    eventId: randomUUID(),
    reason: "EVENT_CANCELLED",
    requestedAt: iso(0),
  });
  expect(await h.app.projection.handle(request)).toBe("ignored");
  expect(await h.count("SELECT count(*) AS n FROM processed_events")).toBe(processed);
  expect(
    await h.count("SELECT count(*) AS n FROM stats_reservations WHERE reservation_id = $1", [
      created.aggregateId,
    ]),
  ).toBe(0);
});
