import { z } from "zod";
import { uuid } from "../ids.ts";

/**
 * Ticket's `POST /internal/reservations/:id/refund-check`, called by payment before it refunds a
 * paid reservation at someone's request (`cancelPayment`): how many of its tickets were sold on the
 * transfer marketplace (their new owners hold them, so refunding the original purchase would take
 * away tickets others paid for) or are listed now. When both are 0 ticket also blocks listing its
 * tickets for a while (`refundHoldUntil`), so none can change hands while the money goes back.
 * Safe to retry. 404 = ticket does not know the reservation.
 */
export const RESERVATION_REFUND_CHECK_ROUTE = "/internal/reservations/:id/refund-check";
export const reservationRefundCheckPath = (reservationId: string) =>
  RESERVATION_REFUND_CHECK_ROUTE.replace(":id", encodeURIComponent(reservationId));

export const ReservationRefundCheck = z.object({
  reservationId: uuid,
  /** Tickets of this reservation that changed hands (COMPLETED transfers). */
  transferred: z.number().int().nonnegative(),
  /** Tickets of this reservation listed now (LISTED or RESERVED). */
  listed: z.number().int().nonnegative(),
  /** Until when its tickets may not be listed; null when the refund is refused (a count above 0). */
  refundHoldUntil: z.iso.datetime({ offset: true }).nullable(),
});
export type ReservationRefundCheck = z.infer<typeof ReservationRefundCheck>;
