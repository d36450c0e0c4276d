import {
  createEvent,
  type EventEnvelope,
  MembershipActivated,
  MembershipExpired,
  MembershipRenewed,
  MembershipTierChanged,
  PaymentConfirmed,
  PaymentRefunded,
  QueueAdmitted,
  ReservationCancelled,
  ReservationConfirmationRejected,
  ReservationConfirmed,
  ReservationCreated,
  ReservationExpired,
  ReservationRefunded,
  TransferCancelled,
  TransferCompleted,
  TransferListed,
} from "@urr/events";
import {
  ADMISSIONS,
  HOLDS,
  type HoldFact,
  MEMBERSHIP_ARTIST,
  MEMBERSHIPS,
  type MembershipChange,
  PAYMENTS,
  REJECTIONS,
  TRANSFERS,
} from "./onsale-facts.ts";

const at = (date: Date) => ({ occurredAt: date });
const iso = (date: Date) => date.toISOString();
export const quantityOf = (h: HoldFact) => h.lines.reduce((sum, l) => sum + l.quantity, 0);
export const totalOf = (h: HoldFact) =>
  h.lines.reduce((sum, l) => sum + (l.unitPrice + l.bookingFee) * l.quantity, 0);

/** What ticket publishes for one hold's life (reservation-events). */
function holdEvents(h: HoldFact): EventEnvelope[] {
  const ref = { reservationId: h.id, userId: h.userId, eventId: h.eventId };
  const events: EventEnvelope[] = [
    createEvent(
      ReservationCreated,
      h.id,
      {
        ...ref,
        quantity: quantityOf(h),
        totalAmount: totalOf(h),
        currency: "KRW",
        buyerTier: h.tier,
        lines: h.lines,
        createdAt: iso(h.createdAt),
        expiresAt: iso(h.expiresAt),
      },
      at(h.createdAt),
    ),
  ];
  const end = h.end;
  if (end?.kind === "confirmed") {
    const payload = {
      ...ref,
      paymentId: end.paymentId,
      quantity: quantityOf(h),
      totalAmount: totalOf(h),
      ticketIds: [],
      confirmedAt: iso(end.at),
    };
    events.push(createEvent(ReservationConfirmed, h.id, payload, at(end.at)));
  }
  if (end?.kind === "cancelled") {
    const payload = { ...ref, quantity: quantityOf(h), reason: end.reason, cancelledAt: iso(end.at) };
    events.push(createEvent(ReservationCancelled, h.id, payload, at(end.at)));
  }
  if (end?.kind === "expired") {
    const payload = { ...ref, quantity: quantityOf(h), expiredAt: iso(end.at) };
    events.push(createEvent(ReservationExpired, h.id, payload, at(end.at)));
  }
  if (h.refundedAt && end?.kind === "confirmed") {
    const payload = {
      ...ref,
      paymentId: end.paymentId,
      quantity: quantityOf(h),
      refundedAt: iso(h.refundedAt),
    };
    events.push(createEvent(ReservationRefunded, h.id, payload, at(h.refundedAt)));
  }
  return events;
}

function paymentEvents(): EventEnvelope[] {
  return PAYMENTS.flatMap((p) => {
    const ref = {
      paymentId: p.id,
      orderId: `URR-${p.id.slice(-12)}`,
      userId: p.userId,
      kind: p.kind,
      referenceId: p.referenceId,
      amount: p.amount,
      currency: "KRW",
    };
    const confirmed = createEvent(
      PaymentConfirmed,
      p.id,
      { ...ref, method: "CARD", confirmedAt: iso(p.confirmedAt) },
      at(p.confirmedAt),
    );
    if (!p.refund) return [confirmed];
    const refund = { ...ref, reason: p.refund.reason, refundedAt: iso(p.refund.at) };
    return [confirmed, createEvent(PaymentRefunded, p.id, refund, at(p.refund.at))];
  });
}

function transferEvents(): EventEnvelope[] {
  return TRANSFERS.flatMap((t) => {
    const events: EventEnvelope[] = [
      createEvent(
        TransferListed,
        t.id,
        {
          transferId: t.id,
          ticketId: t.ticketId,
          eventId: t.eventId,
          sellerId: t.sellerId,
          price: t.price,
          fee: t.fee,
          currency: "KRW",
          listedAt: iso(t.listedAt),
        },
        at(t.listedAt),
      ),
    ];
    if (t.completed) {
      const c = t.completed;
      const payload = {
        transferId: t.id,
        ticketId: t.ticketId,
        fromUserId: t.sellerId,
        toUserId: c.buyerId,
        paymentId: c.paymentId,
        completedAt: iso(c.at),
      };
      events.push(createEvent(TransferCompleted, t.id, payload, at(c.at)));
    }
    if (t.cancelledAt) {
      const payload = {
        transferId: t.id,
        ticketId: t.ticketId,
        reason: "CANCELLED_BY_SELLER" as const,
        cancelledAt: iso(t.cancelledAt),
      };
      events.push(createEvent(TransferCancelled, t.id, payload, at(t.cancelledAt)));
    }
    return events;
  });
}

function membershipEvents(): EventEnvelope[] {
  return MEMBERSHIPS.flatMap((m) =>
    m.changes.map((change: MembershipChange, index) => {
      const state = {
        membershipId: m.id,
        userId: m.userId,
        artistId: MEMBERSHIP_ARTIST,
        tier: change.tier,
        points: index * 100,
        expiresAt: iso(change.expiresAt),
        revision: index + 1,
      };
      const paymentId = change.paymentId ?? "";
      if (change.type === "activated")
        return createEvent(MembershipActivated, m.id, { ...state, paymentId }, at(change.at));
      if (change.type === "renewed")
        return createEvent(MembershipRenewed, m.id, { ...state, paymentId }, at(change.at));
      if (change.type === "tier-changed")
        return createEvent(MembershipTierChanged, m.id, { ...state, previousTier: "SILVER" }, at(change.at));
      return createEvent(MembershipExpired, m.id, state, at(change.at));
    }),
  );
}

/** Every event of the scripted on-sale, in the order they happened. */
export function onSaleEvents(): EventEnvelope[] {
  const events = [
    ...HOLDS.flatMap(holdEvents),
    ...paymentEvents(),
    ...transferEvents(),
    ...membershipEvents(),
    ...REJECTIONS.map((r) =>
      createEvent(
        ReservationConfirmationRejected,
        r.reservationId,
        { reservationId: r.reservationId, paymentId: r.paymentId, reason: r.reason, rejectedAt: iso(r.at) },
        at(r.at),
      ),
    ),
    ...ADMISSIONS.map((a) =>
      createEvent(
        QueueAdmitted,
        a.eventId,
        { eventId: a.eventId, userId: a.userId, queueNumber: a.number, admittedAt: iso(a.at) },
        at(a.at),
      ),
    ),
  ];
  return events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}

/** A deterministic shuffle (a seeded linear congruential generator): the same "random" order each run. */
export function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Each event once, a third of them twice more, in a scrambled order: what redelivery looks like. */
export function redelivered(events: EventEnvelope[], seed: number): EventEnvelope[] {
  const copies = events
    .filter((_, i) => i % 3 === 0)
    .flatMap((e) => [structuredClone(e), structuredClone(e)]);
  return shuffled([...events, ...copies], seed);
}
