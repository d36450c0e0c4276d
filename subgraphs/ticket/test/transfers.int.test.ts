import { randomUUID } from "node:crypto";
import type { AuthenticatedViewer, Viewer } from "@urr/auth-tokens";
import { createLogger } from "@urr/logger";
import { firstErrorCode } from "@urr/testkit";
import { TransferService } from "../src/transfers/transfer.service.ts";
import { TransferWindowSweeper } from "../src/transfers/transfer-window-sweeper.ts";
import { paymentConfirmed, seedMembership } from "./support/membership-fixtures.ts";
import { ADMIN, fan, startTicketHarness, type TicketHarness } from "./support/ticket-harness.ts";
import {
  CANCEL_TRANSFER,
  cancelEvent,
  deliver,
  LIST,
  list,
  ownedTicket,
  transferPaid,
  VERIFY,
  type Verified,
} from "./support/transfer-fixtures.ts";

/**
 * The transfer marketplace on PostgreSQL with real concurrency: listing (face value, the seller's
 * tier's fee, one listing per ticket), claims by buyers (one payment window at a time), payment
 * confirmations completing a transfer once (new code, the old one revoked, payout recorded), the
 * seller's cancel against a buyer's payment, and the lapsed-window sweep.
 */
let h: TicketHarness;
beforeAll(async () => {
  h = await startTicketHarness({ MAX_TICKETS_PER_USER: "10" });
});
afterAll(() => h.close());

const id = (viewer: Viewer) => (viewer as AuthenticatedViewer).userId;
const transfersOf = (ticketId: string) =>
  h.count("SELECT count(*) AS n FROM transfers WHERE ticket_id = $1", [ticketId]);
const outboxFor = (type: string, key: string) =>
  h.count("SELECT count(*) AS n FROM outbox_events WHERE event_type = $1 AND message_key = $2", [type, key]);
const ownerOf = async (ticketId: string) =>
  (
    await h.sql.query<{ user_id: string; code_version: number; code: string }>(
      "SELECT user_id, code_version, code FROM tickets WHERE id = $1",
      [ticketId],
    )
  )[0];

describe("listing", () => {
  it("lists at face value with the seller's tier's fee on top (SILVER 10 %, GOLD and DIAMOND 5 %)", async () => {
    const silver = await ownedTicket(h, fan(1), "SILVER");
    expect(await list(h, fan(1), silver.ticketId)).toMatchObject({
      status: "LISTED",
      price: 100_000,
      feePercent: 10,
      fee: 10_000,
      amount: 110_000,
      currency: "KRW",
      sellerTier: "SILVER",
      label: "A-1-1",
      mine: true,
    });
    for (const tier of ["GOLD", "DIAMOND"] as const) {
      const owned = await ownedTicket(h, fan(2), tier);
      expect(await list(h, fan(2), owned.ticketId)).toMatchObject({
        feePercent: 5,
        fee: 5_000,
        amount: 105_000,
      });
    }
    expect(await outboxFor("transfer.listed", (await list(h, fan(1), silver.ticketId)).id)).toBe(1);
  });

  it("the same ticket listed ten times at once: one listing, every call answers it", async () => {
    const owned = await ownedTicket(h, fan(3));
    const calls = await Promise.all(Array.from({ length: 10 }, () => list(h, fan(3), owned.ticketId)));
    expect(new Set(calls.map((c) => c.id)).size).toBe(1);
    expect(await transfersOf(owned.ticketId)).toBe(1);
    expect(await outboxFor("transfer.listed", calls[0]?.id ?? "")).toBe(1);
  });

  it("refuses a BRONZE seller, someone else's ticket, an unknown or unconfirmed one and a used one, writing nothing", async () => {
    const bronze = await ownedTicket(h, fan(4), "BRONZE");
    const refusal = await h.call(LIST, { t: bronze.ticketId }, fan(4));
    expect(refusal.errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN",
      reason: "MEMBERSHIP_REQUIRED",
      tier: "BRONZE",
    });
    const owned = await ownedTicket(h, fan(5));
    expect((await h.call(LIST, { t: owned.ticketId }, fan(6))).errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN",
      reason: "NOT_OWNER",
    });
    // Tickets exist only for confirmed purchases: a pending reservation's id names no ticket.
    expect(firstErrorCode(await h.call(LIST, { t: randomUUID() }, fan(5)))).toBe("NOT_FOUND");
    expect(firstErrorCode(await h.call(LIST, { t: "ticket-1" }, fan(5)))).toBe("BAD_USER_INPUT");
    // A ticket of a purchase that is no longer confirmed (refunded) is revoked with it.
    const refunded = await ownedTicket(h, fan(5));
    await h.sql.query("UPDATE tickets SET status = 'REVOKED' WHERE id = $1", [refunded.ticketId]);
    expect((await h.call(LIST, { t: refunded.ticketId }, fan(5))).errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
      reason: "TICKET_REVOKED",
    });
    // A used ticket: the event has begun.
    const used = await ownedTicket(h, fan(5));
    await h.sql.query("UPDATE catalog_events SET starts_at = now() - interval '1 hour' WHERE event_id = $1", [
      used.eventId,
    ]);
    expect((await h.call(LIST, { t: used.ticketId }, fan(5))).errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
      reason: "EVENT_STARTED",
    });
    for (const t of [bronze, owned, refunded, used]) expect(await transfersOf(t.ticketId)).toBe(0);
    expect(firstErrorCode(await h.call(LIST, { t: owned.ticketId }))).toBe("UNAUTHENTICATED");
  });
});

describe("buying", () => {
  it("two buyers race for one listing: one payment window, one completed transfer, the other payment rejected for a refund", async () => {
    const owned = await ownedTicket(h, fan(10));
    const listing = await list(h, fan(10), owned.ticketId);
    const claims = await Promise.all([fan(11), fan(12)].map((b) => h.app.transfers.claim(listing.id, id(b))));
    const winners = claims.filter((c) => c?.outcome === "CLAIMED");
    expect(winners).toHaveLength(1);
    expect(claims.filter((c) => c?.outcome === "REFUSED" && c.reason === "RESERVED_BY_ANOTHER")).toHaveLength(
      1,
    );
    const winner = winners[0]?.outcome === "CLAIMED" ? winners[0] : undefined;
    expect(winner).toMatchObject({ amount: 110_000, price: 100_000, fee: 10_000 });
    const buyer = winner?.buyerId === id(fan(11)) ? fan(11) : fan(12);
    const loser = id(buyer) === id(fan(11)) ? fan(12) : fan(11);
    expect(id(loser)).not.toBe(id(buyer));
    // Claiming again is the same claim (payment retries it).
    expect(await h.app.transfers.claim(listing.id, id(buyer))).toEqual(winner);

    // Both are charged anyway (say the loser paid through a window that lapsed): delivered at once.
    const paid = transferPaid(buyer, listing.id, 110_000);
    const lost = transferPaid(loser, listing.id, 110_000);
    const outcomes = await Promise.all([deliver(h, paid), deliver(h, lost)]);
    // Whichever is applied second, the loser's is rejected (the window is the winner's, or it is sold).
    expect(outcomes[0]).toBe("completed");
    expect(["rejected:RESERVED_BY_ANOTHER", "rejected:ALREADY_SOLD"]).toContain(outcomes[1]);
    expect(await deliver(h, paid)).toBe("duplicate");
    expect(await deliver(h, transferPaid(loser, listing.id, 110_000))).toBe("rejected:ALREADY_SOLD");
    expect(await outboxFor("transfer.payment-rejected", listing.id)).toBe(2);
    expect(await outboxFor("transfer.completed", listing.id)).toBe(1);

    const after = await ownerOf(owned.ticketId);
    expect(after).toMatchObject({ user_id: id(buyer), code_version: 2 });
    expect(
      await h.count(
        "SELECT count(*) AS n FROM seller_payouts WHERE transfer_id = $1 AND amount = 100000 AND seller_id = $2",
        [listing.id, id(fan(10))],
      ),
    ).toBe(1);
    // The seller's code is refused online and listed for scanners; the buyer's admits.
    const old = await h.call<Verified>(VERIFY, { c: owned.code }, ADMIN);
    expect(old.data?.verifyTicket).toMatchObject({ valid: false, refusal: "SUPERSEDED", version: 1 });
    const fresh = await h.call<Verified>(VERIFY, { c: after?.code }, ADMIN);
    expect(fresh.data?.verifyTicket).toMatchObject({ valid: true, refusal: null, version: 2 });
    expect(firstErrorCode(await h.call(VERIFY, { c: after?.code }, buyer))).toBe("FORBIDDEN");
    const revoked = await h.call<{
      ticketRevocations: { ticketId: string; version: number; reason: string }[];
    }>(
      `query($e: ID!) { ticketRevocations(eventId: $e) { ticketId version reason revokedAt } }`,
      { e: owned.eventId },
      ADMIN,
    );
    expect(revoked.data?.ticketRevocations).toEqual([
      expect.objectContaining({ ticketId: owned.ticketId, version: 1, reason: "TRANSFERRED" }),
    ]);
    // The ticket is the buyer's now: the seller can no longer list it, nor anyone buy it again.
    expect((await h.call(LIST, { t: owned.ticketId }, fan(10))).errors?.[0]?.extensions?.reason).toBe(
      "NOT_OWNER",
    );
    expect(await h.app.transfers.claim(listing.id, id(fan(13)))).toMatchObject({ reason: "NOT_LISTED" });
  });

  it("buying your own listing is refused before payment and rejected after it; a wrong amount is rejected", async () => {
    const owned = await ownedTicket(h, fan(20));
    const listing = await list(h, fan(20), owned.ticketId);
    expect(await h.app.transfers.claim(listing.id, id(fan(20)))).toMatchObject({
      outcome: "REFUSED",
      reason: "OWN_LISTING",
    });
    expect(await deliver(h, transferPaid(fan(20), listing.id, 110_000))).toBe("rejected:OWN_LISTING");
    expect(await deliver(h, transferPaid(fan(21), listing.id, 100_000))).toBe("rejected:AMOUNT_MISMATCH");
    expect(await h.app.transfers.claim(randomUUID(), id(fan(21)))).toBeNull();
    expect((await ownerOf(owned.ticketId))?.user_id).toBe(id(fan(20)));
    expect(
      await h.count("SELECT count(*) AS n FROM transfers WHERE id = $1 AND status = 'LISTED'", [listing.id]),
    ).toBe(1);
  });

  it("the seller cannot cancel during a buyer's window; cancel and payment racing after it end consistently", async () => {
    for (let round = 0; round < 6; round++) {
      const owned = await ownedTicket(h, fan(30));
      const listing = await list(h, fan(30), owned.ticketId);
      const claim = await h.app.transfers.claim(listing.id, id(fan(31)));
      expect(claim?.outcome).toBe("CLAIMED");
      const refused = await h.call(CANCEL_TRANSFER, { id: listing.id }, fan(30));
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: "CONFLICT",
        reason: "TRANSFER_IN_PROGRESS",
      });

      // The window has lapsed (a clock past it) while the buyer's payment is being confirmed.
      const later = new TransferService({
        store: h.app.store,
        paymentWindowMs: 1,
        clock: () => new Date(Date.now() + 3_600_000),
      });
      const [cancelled, outcome] = await Promise.all([
        later.cancel(fan(30), listing.id).then(
          (t) => t.status,
          (e: { extensions?: { reason?: string } }) => e.extensions?.reason,
        ),
        deliver(h, transferPaid(fan(31), listing.id, 110_000)),
      ]);
      const owner = (await ownerOf(owned.ticketId))?.user_id;
      if (outcome === "completed") {
        expect(cancelled).toBe("TRANSFER_COMPLETED");
        expect(owner).toBe(id(fan(31)));
      } else {
        expect([cancelled, outcome]).toEqual(["CANCELLED", "rejected:TRANSFER_CANCELLED"]);
        expect(owner).toBe(id(fan(30)));
        expect(await outboxFor("transfer.payment-rejected", listing.id)).toBe(1);
      }
    }
  });

  it("a lapsed payment window is listed again by one of several sweepers; then another buyer may claim it", async () => {
    const owned = await ownedTicket(h, fan(40));
    const listing = await list(h, fan(40), owned.ticketId);
    expect((await h.app.transfers.claim(listing.id, id(fan(41))))?.outcome).toBe("CLAIMED");
    const logger = createLogger("sweep", { level: "silent" });
    const clock = () => new Date(Date.now() + 3_600_000);
    const sweepers = Array.from(
      { length: 4 },
      () => new TransferWindowSweeper({ store: h.app.store, logger, clock }),
    );
    const relisted = await Promise.all(sweepers.map((s) => s.sweepOnce()));
    expect(relisted.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(
      await h.count(
        "SELECT count(*) AS n FROM transfers WHERE id = $1 AND status = 'LISTED' AND buyer_id IS NULL",
        [listing.id],
      ),
    ).toBe(1);
    expect((await h.app.transfers.claim(listing.id, id(fan(42))))?.outcome).toBe("CLAIMED");
    // The first buyer's late payment loses to the second buyer's window: rejected, refunded by payment.
    expect(await deliver(h, transferPaid(fan(41), listing.id, 110_000))).toBe("rejected:RESERVED_BY_ANOTHER");
  });

  it("lists the marketplace by event or artist, and the seller's and buyer's own transfers", async () => {
    const owned = await ownedTicket(h, fan(50));
    const listing = await list(h, fan(50), owned.ticketId);
    const byEvent = await h.call<{ transfers: { edges: { node: { id: string; mine: boolean } }[] } }>(
      `query($e: ID) { transfers(eventId: $e) { edges { node { id mine amount event { id } } } pageInfo { hasNextPage } } }`,
      { e: owned.eventId },
    );
    expect(byEvent.data?.transfers.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ id: listing.id, mine: false }),
    ]);
    const byArtist = await h.call<{ transfers: { edges: unknown[] } }>(
      `query($a: ID) { transfers(artistId: $a) { edges { node { id } } } }`,
      { a: owned.artistId },
    );
    expect(byArtist.data?.transfers.edges).toHaveLength(1);
    expect(firstErrorCode(await h.call(`query { transfers { edges { node { id } } } }`))).toBe(
      "BAD_USER_INPUT",
    );
    await deliver(h, transferPaid(fan(51), listing.id, 110_000));
    for (const who of [fan(50), fan(51)]) {
      const mine = await h.call<{ myTransfers: { id: string; status: string }[] }>(
        `query { myTransfers { id status ticket { id } } }`,
        {},
        who,
      );
      expect(mine.data?.myTransfers).toEqual([
        expect.objectContaining({ id: listing.id, status: "COMPLETED" }),
      ]);
    }
  });
});

describe("an event's cancellation", () => {
  it("asks payment to refund every paid reservation and completed transfer once, voids the tickets and ends the listings", async () => {
    const sold = await ownedTicket(h, fan(60));
    const soldListing = await list(h, fan(60), sold.ticketId);
    expect(await deliver(h, transferPaid(fan(61), soldListing.id, 110_000))).toBe("completed");
    // A second ticket of the same event, listed and reserved by a buyer when the event is cancelled.
    const [, seat] = await h.sql.query<{ id: string }>(
      "SELECT id FROM seats WHERE event_id = $1 ORDER BY number",
      [sold.eventId],
    );
    const held = await h.call<{ holdSeats: { id: string; totalAmount: number } }>(
      `mutation($e: ID!, $s: [ID!]!, $k: String!, $t: String) { holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: $t) { id totalAmount } }`,
      { e: sold.eventId, s: [seat?.id], k: `second-${randomUUID()}` },
      fan(62),
    );
    const second = held.data?.holdSeats;
    if (!second) throw new Error(JSON.stringify(held.errors));
    expect(await deliver(h, paymentConfirmed(fan(62), "RESERVATION", second.id, second.totalAmount))).toBe(
      "confirmed",
    );
    await seedMembership(h, fan(62), sold.artistId, {
      tier: "GOLD",
      points: 600,
      expiresAt: new Date(Date.now() + 86_400_000 * 300),
    });
    const [secondTicket] = await h.sql.query<{ id: string }>(
      "SELECT id FROM tickets WHERE reservation_id = $1",
      [second.id],
    );
    const openListing = await list(h, fan(62), secondTicket?.id ?? "");
    expect((await h.app.transfers.claim(openListing.id, id(fan(63))))?.outcome).toBe("CLAIMED");

    const { event, outcome } = await cancelEvent(h, sold.eventId);
    expect(outcome).toBe("applied");
    // Redelivered: applied once (payment also refunds a payment once however often it is asked).
    expect(await h.app.projection.apply(JSON.parse(JSON.stringify(event)))).toBe("duplicate");

    const requested = await h.sql.query<{ event_type: string; message_key: string }>(
      `SELECT event_type, message_key FROM outbox_events
       WHERE event_type IN ('reservation.refund-requested', 'transfer.refund-requested')
         AND envelope->'payload'->>'eventId' = $1 ORDER BY event_type, message_key`,
      [sold.eventId],
    );
    expect(requested).toEqual(
      [
        { event_type: "reservation.refund-requested", message_key: sold.reservationId },
        { event_type: "reservation.refund-requested", message_key: second.id },
        { event_type: "transfer.refund-requested", message_key: soldListing.id },
      ].sort((a, b) => (a.event_type + a.message_key).localeCompare(b.event_type + b.message_key)),
    );
    expect(
      await h.count("SELECT count(*) AS n FROM tickets WHERE event_id = $1 AND status = 'ISSUED'", [
        sold.eventId,
      ]),
    ).toBe(0);
    expect(
      await h.count(
        "SELECT count(*) AS n FROM ticket_revocations WHERE event_id = $1 AND reason = 'EVENT_CANCELLED'",
        [sold.eventId],
      ),
    ).toBe(2);
    expect(
      await h.count(
        "SELECT count(*) AS n FROM transfers WHERE id = $1 AND status = 'CANCELLED' AND end_reason = 'EVENT_CANCELLED'",
        [openListing.id],
      ),
    ).toBe(1);
    expect(
      await h.count(
        "SELECT count(*) AS n FROM seller_payouts WHERE transfer_id = $1 AND voided_at IS NOT NULL",
        [soldListing.id],
      ),
    ).toBe(1);
    // The reserved buyer's payment arriving now is rejected (and refunded by payment).
    expect(await deliver(h, transferPaid(fan(63), openListing.id, 105_000))).toBe(
      "rejected:TRANSFER_CANCELLED",
    );
    const verified = await h.call<Verified>(VERIFY, { c: (await ownerOf(sold.ticketId))?.code }, ADMIN);
    expect(verified.data?.verifyTicket).toMatchObject({ valid: false, refusal: "REVOKED" });
  });
});

describe("refunds of transferred purchases", () => {
  it("payment's refund check and a listing racing (10 rounds): either the refund is refused for the listing, or listing is refused while the refund goes through", async () => {
    for (let round = 0; round < 10; round++) {
      const owned = await ownedTicket(h, fan(70));
      const [check, listing] = await Promise.all([
        h.app.transfers.refundCheck(owned.reservationId),
        h.call(LIST, { t: owned.ticketId }, fan(70)),
      ]);
      if (listing.data) {
        expect(check).toMatchObject({ transferred: 0, listed: 1, refundHoldUntil: null });
      } else {
        expect(listing.errors?.[0]?.extensions).toMatchObject({
          code: "CONFLICT",
          reason: "REFUND_IN_PROGRESS",
        });
        expect(check).toMatchObject({ transferred: 0, listed: 0, refundHoldUntil: expect.any(String) });
        expect(await transfersOf(owned.ticketId)).toBe(0);
      }
    }
    expect(await h.app.transfers.refundCheck(randomUUID())).toBeNull();
  });

  it("a listing waits for a refund check in progress (the reservation's lock) and is then refused", async () => {
    const owned = await ownedTicket(h, fan(73));
    // What the refund check does, held open: the reservation locked, the hold written, not committed.
    await h.sql.exec("BEGIN");
    await h.sql.query("SELECT id FROM reservations WHERE id = $1 FOR UPDATE", [owned.reservationId]);
    await h.sql.query(
      "INSERT INTO refund_holds (reservation_id, until) VALUES ($1, now() + interval '15 minutes')",
      [owned.reservationId],
    );
    const listing = h.call(LIST, { t: owned.ticketId }, fan(73));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await h.sql.exec("COMMIT");
    expect((await listing).errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
      reason: "REFUND_IN_PROGRESS",
    });
    expect(await transfersOf(owned.ticketId)).toBe(0);
  });

  it("a sold-on ticket's purchase is reported transferred, and its refund is not allowed", async () => {
    const owned = await ownedTicket(h, fan(71));
    const listing = await list(h, fan(71), owned.ticketId);
    expect(await deliver(h, transferPaid(fan(72), listing.id, 110_000))).toBe("completed");
    expect(await h.app.transfers.refundCheck(owned.reservationId)).toEqual({
      reservationId: owned.reservationId,
      transferred: 1,
      listed: 0,
      refundHoldUntil: null,
    });
    expect(
      await h.count("SELECT count(*) AS n FROM refund_holds WHERE reservation_id = $1", [
        owned.reservationId,
      ]),
    ).toBe(0);
  });
});
