import { randomUUID } from "node:crypto";
import type { AuthenticatedViewer, Viewer } from "@urr/auth-tokens";
import { createEvent, PaymentConfirmed } from "@urr/events";
import type { TicketHarness } from "./ticket-harness.ts";

export const JOIN = `mutation($a: ID!) {
  joinMembership(artistId: $a) { id status tier points expiresAt openOrder { id purpose amount currency } }
}`;

export type Joined = {
  joinMembership: {
    id: string;
    status: string;
    tier: string;
    points: number;
    expiresAt: string | null;
    openOrder: { id: string; purpose: string; amount: number; currency: string } | null;
  };
};

export const MY_MEMBERSHIPS = `query {
  myMemberships { id tier points status expiresAt pointLog { action points description } }
}`;

export type MyMemberships = {
  myMemberships: {
    id: string;
    tier: string;
    points: number;
    status: string;
    expiresAt: string | null;
    pointLog: { action: string; points: number; description: string }[];
  }[];
};

const userIdOf = (viewer: Viewer) => (viewer as AuthenticatedViewer).userId;

/** What payment publishes when a payment of `kind` for `referenceId` is confirmed. */
export function paymentConfirmed(
  viewer: Viewer,
  kind: "MEMBERSHIP" | "RESERVATION",
  referenceId: string,
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
      kind,
      referenceId,
      amount,
      currency: "KRW",
      method: "CARD",
      confirmedAt: (options.confirmedAt ?? new Date()).toISOString(),
    },
    { sagaId: `URR-${paymentId.slice(0, 8)}` },
  );
}

/** Delivers an event as a transport would (a JSON copy: no shared objects with the test). */
export const deliver = (h: TicketHarness, event: unknown) =>
  h.app.paymentEvents.handle(JSON.parse(JSON.stringify(event)));

/** joinMembership through the API; throws on errors. */
export async function join(h: TicketHarness, viewer: Viewer, artistId: string) {
  const res = await h.call<Joined>(JOIN, { a: artistId }, viewer);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.joinMembership;
}

/** Joins (or renews) and has the open order paid, as payment's confirmation would. */
export async function joinAndPay(h: TicketHarness, viewer: Viewer, artistId: string, confirmedAt?: Date) {
  const membership = await join(h, viewer, artistId);
  const order = membership.openOrder;
  if (!order) throw new Error("no open order to pay");
  const outcome = await deliver(
    h,
    paymentConfirmed(viewer, "MEMBERSHIP", order.id, order.amount, confirmedAt ? { confirmedAt } : {}),
  );
  return { membership, order, outcome };
}

/**
 * A membership written directly (a tier reached earlier, a term that ended): test set-up only; the
 * behaviour under test reads it as the domain wrote it.
 */
export async function seedMembership(
  h: TicketHarness,
  viewer: Viewer,
  artistId: string,
  m: { tier: "SILVER" | "GOLD" | "DIAMOND"; points: number; expiresAt: Date; status?: "ACTIVE" | "EXPIRED" },
): Promise<string> {
  const id = randomUUID();
  await h.sql.query(
    `INSERT INTO memberships (id, user_id, artist_id, tier, points, status, expires_at, activated_at, updated_at)
     VALUES ($1, $2, $3, $4::"MembershipTier", $5, $6::"MembershipStatus", $7, now() - interval '1 day', now())`,
    [id, userIdOf(viewer), artistId, m.tier, m.points, m.status ?? "ACTIVE", m.expiresAt],
  );
  return id;
}
