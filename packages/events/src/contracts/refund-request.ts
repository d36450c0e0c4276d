import { z } from "zod";
import { defineEvent } from "../envelope.ts";
import { RESERVATION_TOPIC } from "./reservation.ts";
import { TRANSFER_TOPIC } from "./transfer.ts";

/**
 * Ticket asking payment to give money back because what was paid for no longer exists: an event
 * that was cancelled (or deleted) after its tickets were sold. Payment refunds the named payment
 * once (a refund already requested or done is not repeated), and ticket applies the refund of a
 * reservation when `payment.refunded` comes back.
 */
export const refundRequestReason = z.enum(["EVENT_CANCELLED", "EVENT_DELETED"]);

const instant = z.iso.datetime({ offset: true });

/** On reservation-events, keyed by the reservation: refund the payment that confirmed it. */
export const ReservationRefundRequested = defineEvent({
  type: "reservation.refund-requested",
  version: 1,
  topic: RESERVATION_TOPIC,
  payload: z.object({
    reservationId: z.uuid(),
    paymentId: z.uuid(),
    userId: z.uuid(),
    eventId: z.uuid(),
    reason: refundRequestReason,
    requestedAt: instant,
  }),
});

/** On transfer-events, keyed by the transfer: refund what its buyer paid (face value and fee). */
export const TransferRefundRequested = defineEvent({
  type: "transfer.refund-requested",
  version: 1,
  topic: TRANSFER_TOPIC,
  payload: z.object({
    transferId: z.uuid(),
    paymentId: z.uuid(),
    buyerId: z.uuid(),
    eventId: z.uuid(),
    reason: refundRequestReason,
    requestedAt: instant,
  }),
});
