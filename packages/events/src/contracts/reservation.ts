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

/**
 * A reservation's lifecycle before payment: a hold was taken (`reservation.created`), and ended
 * without a sale (`reservation.cancelled`, `reservation.expired`). Stats projects them; each carries
 * what a projection needs on its own (event, user, quantity), so it can be applied before the
 * creation it follows has arrived.
 */
const buyerTier = z.enum(["BRONZE", "SILVER", "GOLD", "DIAMOND"]);

/** One line of a hold: a numbered seat, or a quantity of a general-admission ticket type. */
const reservationLine = z.object({
  seatId: z.uuid().nullable(),
  ticketTypeId: z.uuid().nullable(),
  /** The seat's section; null for general admission. */
  section: z.string().min(1).nullable(),
  /** The seat's price tier, or the ticket type's name for general admission. */
  priceTier: z.string().min(1),
  quantity: z.number().int().positive(),
  /** Integer minor units per unit, before the booking fee. */
  unitPrice: z.number().int().nonnegative(),
  /** Integer minor units per unit: the fan-club booking fee of the buyer's tier. */
  bookingFee: z.number().int().nonnegative(),
});

export const ReservationCreated = defineEvent({
  type: "reservation.created",
  version: 1,
  topic: RESERVATION_TOPIC,
  payload: z.object({
    reservationId: z.uuid(),
    userId: z.uuid(),
    eventId: z.uuid(),
    quantity: z.number().int().positive(),
    /** Unit prices and booking fees of every line: what the payment must be. */
    totalAmount: z.number().int().nonnegative(),
    currency: z.string().length(3),
    buyerTier,
    lines: z.array(reservationLine).min(1),
    createdAt: instant,
    expiresAt: instant,
  }),
});

/** Why a pending reservation was cancelled (its `endReason` in ticket). */
export const reservationCancelReason = z.enum([
  "CANCELLED_BY_USER",
  "CANCELLED_BY_ADMIN",
  /** The buyer held other seats for the same event: a hold is the buyer's current selection. */
  "REPLACED",
  "EVENT_CANCELLED",
  "EVENT_DELETED",
]);
export type ReservationCancelReason = z.infer<typeof reservationCancelReason>;

const endedReservation = {
  reservationId: z.uuid(),
  userId: z.uuid(),
  eventId: z.uuid(),
  /** Seats plus general-admission tickets that went back on sale. */
  quantity: z.number().int().positive(),
};

export const ReservationCancelled = defineEvent({
  type: "reservation.cancelled",
  version: 1,
  topic: RESERVATION_TOPIC,
  payload: z.object({ ...endedReservation, reason: reservationCancelReason, cancelledAt: instant }),
});

/** The hold lapsed unpaid and the expiry sweep released it. */
export const ReservationExpired = defineEvent({
  type: "reservation.expired",
  version: 1,
  topic: RESERVATION_TOPIC,
  payload: z.object({ ...endedReservation, expiredAt: instant }),
});

/** For consumers of reservation-events that only follow sales: `.ignore(...RESERVATION_LIFECYCLE)`. */
export const RESERVATION_LIFECYCLE = [ReservationCreated, ReservationCancelled, ReservationExpired] as const;
