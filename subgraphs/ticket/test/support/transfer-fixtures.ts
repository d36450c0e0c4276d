import { randomUUID } from "node:crypto";
import type { AuthenticatedViewer, Viewer } from "@urr/auth-tokens";
import { createEvent, EventUpserted, PaymentConfirmed } from "@urr/events";
import { deliver, paymentConfirmed, seedMembership } from "./membership-fixtures.ts";
import { HOLD, type HoldData, type TicketHarness } from "./ticket-harness.ts";

const userIdOf = (viewer: Viewer) => (viewer as AuthenticatedViewer).userId;

export const LIST = `mutation($t: ID!) {
  listTicketForTransfer(ticketId: $t) { id status price fee feePercent amount currency sellerTier label mine }
}`;
export type Listed = {
  listTicketForTransfer: {
    id: string;
    status: string;
    price: number;
    fee: number;
    feePercent: number;
    amount: number;
    currency: string;
    sellerTier: string;
    label: string;
    mine: boolean;
  };
};
export const CANCEL_TRANSFER = `mutation($id: ID!) { cancelTransfer(id: $id) { id status endReason } }`;
export const VERIFY = `query($c: String!) { verifyTicket(code: $c) { valid refusal version ticket { id } } }`;
export type Verified = {
  verifyTicket: {
    valid: boolean;
    refusal: string | null;
    version: number | null;
    ticket: { id: string } | null;
  };
};

/** What payment publishes when a TRANSFER payment is confirmed. */
export function transferPaid(
  viewer: Viewer,
  transferId: string,
  amount: number,
  options: { paymentId?: string; confirmedAt?: Date } = {},
) {
  const paymentId = options.paymentId ?? randomUUID();
  return createEvent(
    PaymentConfirmed,
    paymentId,
    {
      paymentId,
      orderId: `URR-${paymentId.slice(0, 8)}`,
      userId: userIdOf(viewer),
      kind: "TRANSFER",
      referenceId: transferId,
      amount,
      currency: "KRW",
      method: "CARD",
      confirmedAt: (options.confirmedAt ?? new Date()).toISOString(),
    },
    { sagaId: `URR-${paymentId.slice(0, 8)}` },
  );
}

export interface OwnedTicket {
  eventId: string;
  artistId: string;
  ticketId: string;
  code: string;
  reservationId: string;
}

/**
 * A confirmed 100,000 KRW seat of a new event owned by `seller`, bought through the API (hold, then
 * payment.confirmed); the seller is made a member of the artist's club at `tier` unless BRONZE.
 */
export async function ownedTicket(
  h: TicketHarness,
  seller: Viewer,
  tier: "BRONZE" | "SILVER" | "GOLD" | "DIAMOND" = "SILVER",
): Promise<OwnedTicket> {
  const artistId = await h.publishArtist();
  const eventId = await h.publishEvent({ artistId });
  const [seat] = await h.seatEvent(eventId, 1, 4);
  const held = await h.call<HoldData & { holdSeats: { totalAmount: number } }>(
    HOLD,
    { e: eventId, s: [seat], k: `buy-${randomUUID()}` },
    seller,
  );
  const reservation = held.data?.holdSeats;
  if (!reservation) throw new Error(JSON.stringify(held.errors));
  const outcome = await deliver(
    h,
    paymentConfirmed(seller, "RESERVATION", reservation.id, reservation.totalAmount),
  );
  if (outcome !== "confirmed") throw new Error(`purchase ${outcome}`);
  if (tier !== "BRONZE") {
    const points = { SILVER: 0, GOLD: 500, DIAMOND: 1_500 }[tier];
    await seedMembership(h, seller, artistId, {
      tier,
      points,
      expiresAt: new Date(Date.now() + 86_400_000 * 300),
    });
  }
  const [ticket] = await h.sql.query<{ id: string; code: string }>(
    "SELECT id, code FROM tickets WHERE reservation_id = $1",
    [reservation.id],
  );
  if (!ticket) throw new Error("no ticket issued");
  return { eventId, artistId, ticketId: ticket.id, code: ticket.code, reservationId: reservation.id };
}

/** Lists through the API; throws on errors. */
export async function list(h: TicketHarness, seller: Viewer, ticketId: string) {
  const res = await h.call<Listed>(LIST, { t: ticketId }, seller);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.listTicketForTransfer;
}

export { deliver };

/** Cancels an event in ticket's copy as catalog-events would (the next revision, cancelled now). */
export async function cancelEvent(h: TicketHarness, eventId: string, options: { id?: string } = {}) {
  const [e] = await h.sql.query<{
    artist_id: string;
    title: string;
    starts_at: Date;
    sale_starts_at: Date;
    sale_ends_at: Date;
    revision: number;
  }>(
    "SELECT artist_id, title, starts_at, sale_starts_at, sale_ends_at, revision FROM catalog_events WHERE event_id = $1",
    [eventId],
  );
  if (!e) throw new Error(`no event ${eventId}`);
  const event = createEvent(
    EventUpserted,
    eventId,
    {
      eventId,
      artistId: e.artist_id,
      title: e.title,
      startsAt: new Date(e.starts_at).toISOString(),
      saleStartsAt: new Date(e.sale_starts_at).toISOString(),
      saleEndsAt: new Date(e.sale_ends_at).toISOString(),
      cancelledAt: new Date().toISOString(),
      revision: e.revision + 1,
    },
    options.id ? { id: options.id } : {},
  );
  return { event, outcome: await h.app.projection.apply(event) };
}
