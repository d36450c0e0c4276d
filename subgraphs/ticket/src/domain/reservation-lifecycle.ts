import {
  createEvent,
  ReservationCancelled,
  type ReservationCancelReason,
  ReservationCreated,
  ReservationExpired,
} from "@urr/events";
import type { TicketRepositories } from "../repositories/ticket-store.ts";
import type { ReservationRecord, TicketTypeRecord } from "./records.ts";

/**
 * The reservation-events of a hold's life before payment, written by the transaction that makes
 * the change (stats projects them). A seat hold writes its `reservation.created` (and the
 * `reservation.cancelled` of the selection it replaces) inside `urr_hold_seats`, the one statement
 * a seat hold is; general admission, cancellations and expiries write theirs here.
 */
const quantityOf = (reservation: Pick<ReservationRecord, "items">) =>
  reservation.items.reduce((sum, item) => sum + item.quantity, 0);

/** A general-admission reservation was made; its lines name the ticket types as price tiers. */
export function publishGeneralAdmissionCreated(
  repos: TicketRepositories,
  reservation: ReservationRecord,
  types: Pick<TicketTypeRecord, "id" | "name">[],
): Promise<void> {
  const event = createEvent(ReservationCreated, reservation.id, {
    reservationId: reservation.id,
    userId: reservation.userId,
    eventId: reservation.eventId,
    quantity: quantityOf(reservation),
    totalAmount: reservation.totalAmount,
    currency: reservation.currency,
    buyerTier: reservation.buyerTier,
    lines: reservation.items.map((item) => ({
      seatId: null,
      ticketTypeId: item.ticketTypeId,
      section: null,
      priceTier: types.find((t) => t.id === item.ticketTypeId)?.name ?? "General admission",
      quantity: item.quantity,
      unitPrice: item.unitPrice,
      bookingFee: item.bookingFee,
    })),
    createdAt: reservation.createdAt.toISOString(),
    expiresAt: reservation.expiresAt.toISOString(),
  });
  return repos.publish(ReservationCreated, event);
}

export function publishCancelled(
  repos: TicketRepositories,
  reservation: ReservationRecord,
  reason: ReservationCancelReason,
  at: Date,
): Promise<void> {
  const event = createEvent(ReservationCancelled, reservation.id, {
    reservationId: reservation.id,
    userId: reservation.userId,
    eventId: reservation.eventId,
    quantity: quantityOf(reservation),
    reason,
    cancelledAt: at.toISOString(),
  });
  return repos.publish(ReservationCancelled, event);
}

export function publishExpired(
  repos: TicketRepositories,
  reservation: ReservationRecord,
  at: Date,
): Promise<void> {
  const event = createEvent(ReservationExpired, reservation.id, {
    reservationId: reservation.id,
    userId: reservation.userId,
    eventId: reservation.eventId,
    quantity: quantityOf(reservation),
    expiredAt: at.toISOString(),
  });
  return repos.publish(ReservationExpired, event);
}
