import {
  type EventContract,
  type EventEnvelope,
  EventHandlers,
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
  ReservationRefundRequested,
  TransferCancelled,
  TransferCompleted,
  TransferListed,
  TransferPaymentRejected,
  TransferRefundRequested,
} from "@urr/events";
import type { z } from "zod";
import type { StatsRepositories } from "../repositories/stats-store.ts";

/** What one event does to the facts, inside the transaction its application runs in. */
export type Fold = (repos: StatsRepositories) => Promise<void>;

/** Runs one event's fold exactly once (live: its own transaction; a rebuild: the rebuild's). */
export type ApplyOnce = (topic: string, event: EventEnvelope, fold: Fold) => Promise<string>;

/**
 * The projection as a fold: which facts each event type fills, for every type of the five topics
 * stats consumes. Types that change no figure are acknowledged (`ignore`, still validated); a type
 * this table does not know, or a message its contract refuses, is dead-lettered by the transport.
 */
export function statsFold(apply: ApplyOnce): EventHandlers {
  const handlers = new EventHandlers();
  const fold = <TType extends string, TSchema extends z.ZodType>(
    contract: EventContract<TType, TSchema>,
    effect: (repos: StatsRepositories, event: EventEnvelope<TType, z.output<TSchema>>) => Promise<void>,
  ) => handlers.on(contract, (event) => apply(contract.topic, event, (repos) => effect(repos, event)));

  fold(ReservationCreated, (r, e) => r.reservations.created(e.payload));
  fold(ReservationConfirmed, (r, e) => r.reservations.confirmed(e.payload));
  fold(ReservationCancelled, (r, { payload: p }) =>
    r.reservations.ended({ ...p, cancelled: { at: p.cancelledAt, reason: p.reason } }),
  );
  fold(ReservationExpired, (r, e) => r.reservations.ended(e.payload));
  fold(ReservationRefunded, (r, e) => r.reservations.refunded(e.payload));
  fold(ReservationConfirmationRejected, (r, e) => r.reservations.confirmationRejected(e.payload));

  fold(PaymentConfirmed, (r, e) => r.money.paymentConfirmed(e.payload));
  fold(PaymentRefunded, (r, e) => r.money.paymentRefunded(e.payload));
  fold(TransferListed, (r, e) => r.money.transferListed(e.payload));
  fold(TransferCompleted, (r, e) => r.money.transferCompleted(e.payload));
  fold(TransferCancelled, (r, e) => r.money.transferCancelled(e.payload));

  fold(MembershipActivated, async (r, e) => {
    await r.audience.membershipState(e.payload, false);
    await r.audience.membershipActivated(e.payload.membershipId, e.occurredAt);
  });
  fold(MembershipRenewed, async (r, e) => {
    await r.audience.membershipState(e.payload, false);
    await r.audience.membershipRenewed(e.payload.membershipId, e.payload.paymentId, e.occurredAt);
  });
  fold(MembershipTierChanged, (r, e) => r.audience.membershipState(e.payload, false));
  fold(MembershipExpired, (r, e) => r.audience.membershipState(e.payload, true));
  fold(QueueAdmitted, (r, e) => r.audience.admitted(e.payload));

  // Requests and refusals whose money outcome arrives as its own event (payment.refunded).
  return handlers.ignore(ReservationRefundRequested, TransferPaymentRejected, TransferRefundRequested);
}
