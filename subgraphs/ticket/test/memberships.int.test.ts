import { randomUUID } from "node:crypto";
import { createLogger } from "@urr/logger";
import { firstErrorCode } from "@urr/testkit";
import { MembershipExpirySweeper } from "../src/memberships/membership-expiry.ts";
import {
  deliver,
  join,
  joinAndPay,
  MY_MEMBERSHIPS,
  type MyMemberships,
  paymentConfirmed,
  seedMembership,
} from "./support/membership-fixtures.ts";
import { ADMIN, fan, HOLD, startTicketHarness, type TicketHarness } from "./support/ticket-harness.ts";

/**
 * Fan-club memberships on PostgreSQL: joining, paying (payment.confirmed of kind MEMBERSHIP),
 * points and tiers, renewals, and the expiry sweep, with real concurrency.
 */
let h: TicketHarness;
beforeAll(async () => {
  h = await startTicketHarness({ MAX_TICKETS_PER_USER: "10" });
});
afterAll(() => h.close());

const YEAR_MS = 365 * 86_400_000;
const outbox = (type: string, membershipId: string) =>
  h.count("SELECT count(*) AS n FROM outbox_events WHERE event_type = $1 AND message_key = $2", [
    type,
    membershipId,
  ]);

describe("joining", () => {
  it("creates one PENDING membership per fan and artist with an order priced at the artist's membershipPrice", async () => {
    const artistId = await h.publishArtist({ membershipPrice: 33_000 });
    const calls = await Promise.all(Array.from({ length: 10 }, () => join(h, fan(1), artistId)));
    expect(new Set(calls.map((m) => m.id)).size).toBe(1);
    expect(new Set(calls.map((m) => m.openOrder?.id)).size).toBe(1);
    expect(calls[0]).toMatchObject({
      status: "PENDING",
      points: 0,
      expiresAt: null,
      openOrder: { purpose: "JOIN", amount: 33_000, currency: "KRW" },
    });
    expect(await h.count("SELECT count(*) AS n FROM memberships WHERE artist_id = $1", [artistId])).toBe(1);
    // A later price reaches the open order through catalog-events; an older revision does not.
    await h.publishArtist({ artistId, membershipPrice: 35_000, revision: 3 });
    await h.publishArtist({ artistId, membershipPrice: 1_000, revision: 2 });
    expect((await join(h, fan(1), artistId)).openOrder?.amount).toBe(35_000);
  });

  it("refuses unknown artists, malformed ids and signed-out callers, writing nothing", async () => {
    const unknown = randomUUID();
    const join = `mutation($a: ID!) { joinMembership(artistId: $a) { id } }`;
    expect(firstErrorCode(await h.call(join, { a: unknown }, fan(2)))).toBe("NOT_FOUND");
    expect(firstErrorCode(await h.call(join, { a: "artist-1" }, fan(2)))).toBe("BAD_USER_INPUT");
    expect(firstErrorCode(await h.call(join, { a: await h.publishArtist() }))).toBe("UNAUTHENTICATED");
    expect(await h.count("SELECT count(*) AS n FROM memberships WHERE artist_id = $1", [unknown])).toBe(0);
  });
});

describe("paying for a membership", () => {
  it("100 concurrent duplicate deliveries of one payment.confirmed grant 200 points and one term, once", async () => {
    const artistId = await h.publishArtist();
    const membership = await join(h, fan(10), artistId);
    const order = membership.openOrder;
    if (!order) throw new Error("no open order");
    const confirmedAt = new Date(Date.now() - 60_000);
    const event = paymentConfirmed(fan(10), "MEMBERSHIP", order.id, order.amount, { confirmedAt });
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => deliver(h, event)));
    // The reconciler re-sends a confirmation under a new event id: the same payment, still once.
    outcomes.push(await deliver(h, { ...event, id: randomUUID() }));
    expect(outcomes.filter((o) => o === "activated")).toHaveLength(1);
    expect(outcomes.filter((o) => o !== "activated")).toEqual(Array(100).fill("duplicate"));

    const [row] = await h.sql.query<{ points: number; status: string; expires_at: Date; tier: string }>(
      "SELECT points, status, expires_at, tier FROM memberships WHERE id = $1",
      [membership.id],
    );
    expect(row).toMatchObject({ points: 200, status: "ACTIVE", tier: "SILVER" });
    const end = new Date(confirmedAt);
    end.setUTCFullYear(end.getUTCFullYear() + 1);
    expect(row?.expires_at.toISOString()).toBe(end.toISOString());
    expect(
      await h.count("SELECT count(*) AS n FROM membership_point_logs WHERE membership_id = $1", [
        membership.id,
      ]),
    ).toBe(1);
    expect(await outbox("membership.activated", membership.id)).toBe(1);
    expect(
      await h.count("SELECT count(*) AS n FROM membership_orders WHERE id = $1 AND status = 'PAID'", [
        order.id,
      ]),
    ).toBe(1);
  });

  it("points and tiers after join, 5 purchases and a renewal follow the table; each purchase counts once and pays its tier's fee", async () => {
    const artistId = await h.publishArtist();
    const eventId = await h.publishEvent({ artistId });
    const seats = await h.seatEvent(eventId, 1, 10); // 100,000 KRW each
    const buyer = fan(20);
    const joinedAt = new Date(Date.now() - 1_000);
    expect((await joinAndPay(h, buyer, artistId, joinedAt)).outcome).toBe("activated");

    const expected = [
      { points: 300, tier: "SILVER", fee: 3_000 },
      { points: 400, tier: "SILVER", fee: 3_000 },
      { points: 500, tier: "GOLD", fee: 3_000 }, // bought as SILVER; its points make GOLD
      { points: 600, tier: "GOLD", fee: 2_000 },
      { points: 700, tier: "GOLD", fee: 2_000 },
    ];
    const seen: { points: number; tier: string; fee: number }[] = [];
    for (const [i, seat] of seats.slice(0, 5).entries()) {
      const held = await h.call<{
        holdSeats: { id: string; totalAmount: number; buyerTier: string; items: { bookingFee: number }[] };
      }>(
        `mutation($e: ID!, $s: [ID!]!, $k: String!, $t: String) {
          holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: $t) { id totalAmount buyerTier items { bookingFee } }
        }`,
        { e: eventId, s: [seat], k: `purchase-${i}-${randomUUID()}` },
        buyer,
      );
      const reservation = held.data?.holdSeats;
      if (!reservation) throw new Error(JSON.stringify(held.errors));
      const fee = reservation.items[0]?.bookingFee ?? -1;
      expect(reservation.totalAmount).toBe(100_000 + fee);
      const paid = paymentConfirmed(buyer, "RESERVATION", reservation.id, reservation.totalAmount);
      expect(await deliver(h, paid)).toBe("confirmed");
      // The same confirmation delivered again, and re-sent under a new id: no more points.
      expect(await deliver(h, paid)).toBe("duplicate");
      expect(await deliver(h, { ...paid, id: randomUUID() })).toBe("duplicate");
      const mine = (await h.call<MyMemberships>(MY_MEMBERSHIPS, {}, buyer)).data?.myMemberships[0];
      seen.push({ points: mine?.points ?? -1, tier: mine?.tier ?? "", fee });
    }
    expect(seen).toEqual(expected);

    const renewal = await join(h, buyer, artistId);
    expect(renewal.openOrder?.purpose).toBe("RENEWAL");
    expect((await joinAndPay(h, buyer, artistId)).outcome).toBe("renewed");
    const mine = (await h.call<MyMemberships>(MY_MEMBERSHIPS, {}, buyer)).data?.myMemberships[0];
    expect(mine).toMatchObject({ points: 900, tier: "GOLD", status: "ACTIVE" });
    // Renewed before its end: a year more from the end of the first term.
    const end = new Date(joinedAt);
    end.setUTCFullYear(end.getUTCFullYear() + 2);
    expect(mine?.expiresAt).toBe(end.toISOString());
    expect(mine?.pointLog.map((e) => [e.action, e.points])).toEqual([
      ["RENEWAL", 200],
      ["PURCHASE", 100],
      ["PURCHASE", 100],
      ["TIER_CHANGE", 0],
      ["PURCHASE", 100],
      ["PURCHASE", 100],
      ["PURCHASE", 100],
      ["JOIN", 200],
    ]);
    expect(mine?.pointLog[3]?.description).toBe("SILVER → GOLD at 500 points");
    const id = mine?.id ?? "";
    expect(await outbox("membership.activated", id)).toBe(1);
    expect(await outbox("membership.tier-changed", id)).toBe(1);
    expect(await outbox("membership.renewed", id)).toBe(1);
  });

  it("a renewal paid after the term ended starts a new year from the payment", async () => {
    const artistId = await h.publishArtist();
    const buyer = fan(30);
    await joinAndPay(h, buyer, artistId, new Date(Date.now() - YEAR_MS - 86_400_000));
    await new MembershipExpirySweeper({
      store: h.app.store,
      logger: createLogger("test", { level: "silent" }),
    }).sweepOnce();
    const lapsed = (await h.call<MyMemberships>(MY_MEMBERSHIPS, {}, buyer)).data?.myMemberships[0];
    expect(lapsed).toMatchObject({ status: "EXPIRED", points: 200 });
    const paidAt = new Date();
    expect((await joinAndPay(h, buyer, artistId, paidAt)).outcome).toBe("renewed");
    const renewed = (await h.call<MyMemberships>(MY_MEMBERSHIPS, {}, buyer)).data?.myMemberships[0];
    const end = new Date(paidAt);
    end.setUTCFullYear(end.getUTCFullYear() + 1);
    expect(renewed).toMatchObject({ status: "ACTIVE", points: 400, expiresAt: end.toISOString() });
    expect(renewed?.pointLog.map((e) => e.action)).toEqual(["RENEWAL", "EXPIRY", "JOIN"]);
  });

  it("a purchase by a fan without an active membership earns nothing and pays no fee", async () => {
    const artistId = await h.publishArtist();
    const eventId = await h.publishEvent({ artistId });
    const [seat] = await h.seatEvent(eventId, 1, 2);
    await join(h, fan(40), artistId); // PENDING: not a member yet
    const held = await h.call<{ holdSeats: { id: string; totalAmount: number } }>(
      HOLD,
      { e: eventId, s: [seat], k: `pending-${randomUUID()}` },
      fan(40),
    );
    const reservation = held.data?.holdSeats;
    if (!reservation) throw new Error(JSON.stringify(held.errors));
    expect(reservation.totalAmount).toBe(100_000);
    expect(await deliver(h, paymentConfirmed(fan(40), "RESERVATION", reservation.id, 100_000))).toBe(
      "confirmed",
    );
    expect(
      await h.count(
        "SELECT count(*) AS n FROM membership_point_logs l JOIN memberships m ON m.id = l.membership_id WHERE m.user_id = $1",
        [(fan(40) as { userId: string }).userId],
      ),
    ).toBe(0);
  });
});

describe("who sees memberships", () => {
  it("holders see theirs, admins page through an artist's members, everyone else is refused", async () => {
    const artistId = await h.publishArtist();
    for (let n = 50; n < 55; n++) await joinAndPay(h, fan(n), artistId);
    const MEMBERS = `query($r: [_Any!]!, $after: String) {
      _entities(representations: $r) { ... on Artist { members(first: 2, after: $after) { edges { cursor node { user { id } points } } pageInfo { hasNextPage endCursor } } } }
    }`;
    type Members = {
      _entities: {
        members: {
          edges: { node: { points: number } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }[];
    };
    const representations = [{ __typename: "Artist", id: artistId }];
    const pages: number[] = [];
    let after: string | null = null;
    for (;;) {
      const res: { data?: Members | null; errors?: unknown } = await h.call<Members>(
        MEMBERS,
        { r: representations, after },
        ADMIN,
      );
      const page = res.data?._entities[0]?.members;
      if (!page) throw new Error(JSON.stringify(res.errors));
      pages.push(page.edges.length);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toEqual([2, 2, 1]);
    expect(firstErrorCode(await h.call(MEMBERS, { r: representations, after: null }, fan(50)))).toBe(
      "FORBIDDEN",
    );
    const MINE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Artist { myMembership { points } } } }`;
    expect((await h.call(MINE, { r: representations }, fan(50))).data).toEqual({
      _entities: [{ myMembership: { points: 200 } }],
    });
    expect((await h.call(MINE, { r: representations }, fan(99))).data).toEqual({
      _entities: [{ myMembership: null }],
    });
    const OTHERS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { memberships { id } } } }`;
    const someone = [{ __typename: "User", id: (fan(51) as { userId: string }).userId }];
    expect(firstErrorCode(await h.call(OTHERS, { r: someone }, fan(50)))).toBe("FORBIDDEN");
    expect((await h.call(OTHERS, { r: someone }, ADMIN)).errors).toBeUndefined();
  });
});

describe("the expiry sweep", () => {
  it("two overlapping sweepers expire each lapsed membership exactly once", async () => {
    const artistId = await h.publishArtist();
    const lapsed: string[] = [];
    for (let i = 0; i < 120; i++) {
      lapsed.push(
        await seedMembership(h, fan(1_000 + i), artistId, {
          tier: "GOLD",
          points: 600,
          expiresAt: new Date(Date.now() - 1_000 - i),
        }),
      );
    }
    const current = await seedMembership(h, fan(2_000), artistId, {
      tier: "SILVER",
      points: 200,
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const logger = createLogger("test", { level: "silent" });
    const sweeper = () => new MembershipExpirySweeper({ store: h.app.store, logger, batchSize: 7 });
    const drain = async (s: MembershipExpirySweeper) => {
      let total = 0;
      for (let n = await s.sweepOnce(); n > 0; n = await s.sweepOnce()) total += n;
      return total;
    };
    const [a, b] = await Promise.all([drain(sweeper()), drain(sweeper())]);
    expect(a + b).toBe(120);
    expect(
      await h.count(
        "SELECT count(*) AS n FROM memberships WHERE id = ANY($1::uuid[]) AND status = 'EXPIRED'",
        [lapsed],
      ),
    ).toBe(120);
    expect(
      await h.count(
        "SELECT count(*) AS n FROM membership_point_logs WHERE membership_id = ANY($1::uuid[]) AND action = 'EXPIRY'",
        [lapsed],
      ),
    ).toBe(120);
    expect(
      await h.count(
        "SELECT count(*) AS n FROM outbox_events WHERE event_type = 'membership.expired' AND message_key = ANY($1::text[])",
        [lapsed],
      ),
    ).toBe(120);
    expect(
      await h.count("SELECT count(*) AS n FROM memberships WHERE id = $1 AND status = 'ACTIVE'", [current]),
    ).toBe(1);
  });
});
