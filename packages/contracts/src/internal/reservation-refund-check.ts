import { z } from "zod";
import { uuid } from "../ids.ts";

/**
 * Ticket's `GET /internal/reservations/:id/transfers`, read by payment before it refunds a paid
 * reservation at someone's request (`cancelPayment`): how many of its tickets were sold on the
 * transfer marketplace (their new owners hold them, so refunding the original purchase would take
 * away tickets others paid for) or are listed now. 404 = ticket does not know the reservation.
 */
export const RESERVATION_TRANSFERS_ROUTE = "/internal/reservations/:id/transfers";
export const reservationTransfersPath = (reservationId: string) =>
  RESERVATION_TRANSFERS_ROUTE.replace(":id", encodeURIComponent(reservationId));

export const ReservationTransfers = z.object({
  reservationId: uuid,
  /** Tickets of this reservation that changed hands (COMPLETED transfers). */
  transferred: z.number().int().nonnegative(),
  /** Tickets of this reservation listed now (LISTED or RESERVED). */
  listed: z.number().int().nonnegative(),
});
export type ReservationTransfers = z.infer<typeof ReservationTransfers>;
