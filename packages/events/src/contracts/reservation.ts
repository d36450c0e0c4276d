import { z } from "zod";
import { defineEvent } from "../envelope.ts";

/**
 * reservation-events: the ticket subgraph's answers to payments. The reservation id is the key.
 * Catalog counts sales from confirmations and refunds; payment refunds a payment whose confirmation
 * was rejected.
 */
export const RESERVATION_TOPIC = "reservation-events";

const instant = z.iso.datetime({ offset: true });

const reservationRef = {
  reservationId: z.uuid(),
  userId: z.uuid(),
  eventId: z.uuid(),
  paymentId: z.uuid(),
};

export const ReservationConfirmed = defineEvent({
  type: "reservation.confirmed",
  version: 1,
  topic: RESERVATION_TOPIC,
  payload: z.object({
    ...reservationRef,
    /** Seats plus general-admission tickets: what the sales count moves by. */
    quantity: z.number().int().positive(),
    totalAmount: z.number().int().nonnegative(),
    ticketIds: z.array(z.uuid()),
    confirmedAt: instant,
  }),
});

/** Why a paid reservation could not be confirmed; the payment is refunded with this reason. */
export const rejectionReason = z.enum([
  "NOT_PENDING",
  "EXPIRED",
  "SEAT_LOST",
  "AMOUNT_MISMATCH",
  "NOT_OWNER",
  "UNKNOWN_RESERVATION",
  /** The payment was refunded before its confirmation arrived (events out of order). */
  "PAYMENT_REFUNDED",
  /** The event was cancelled (or deleted) before the payment reached the reservation. */
  "EVENT_CANCELLED",
]);
export type RejectionReason = z.infer<typeof rejectionReason>;

export const ReservationConfirmationRejected = defineEvent({
  type: "reservation.confirmation-rejected",
  version: 1,
  topic: RESERVATION_TOPIC,
  payload: z.object({
    reservationId: z.uuid(),
    paymentId: z.uuid(),
    reason: rejectionReason,
    rejectedAt: instant,
  }),
});

export const ReservationRefunded = defineEvent({
  type: "reservation.refunded",
  version: 1,
  topic: RESERVATION_TOPIC,
  payload: z.object({
    ...reservationRef,
    quantity: z.number().int().positive(),
    refundedAt: instant,
  }),
});
