import { z } from "zod";
import { uuid } from "../ids.ts";

/**
 * Ticket's `GET /internal/reservations/:id`, read by payment before it takes money (is this the
 * caller's reservation, still held, for how much) and by its reconciler. Ticket parses its answer
 * with this schema before sending it and payment parses what it receives, so neither side can
 * drift from the other unnoticed. 404 = ticket does not know the reservation.
 */
export const RESERVATION_SNAPSHOT_ROUTE = "/internal/reservations/:id";
export const reservationSnapshotPath = (reservationId: string) =>
  RESERVATION_SNAPSHOT_ROUTE.replace(":id", encodeURIComponent(reservationId));

export const ReservationStatus = z.enum(["PENDING", "CONFIRMED", "CANCELLED", "EXPIRED", "REFUNDED"]);

export const ReservationSnapshot = z.object({
  id: uuid,
  /** Human-readable reservation number (`URR-7K3M-Q9XD`), shown as the order name. */
  number: z.string().min(1),
  userId: uuid,
  eventId: uuid,
  status: ReservationStatus,
  /** Minor units of `currency`, never negative. */
  totalAmount: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code"),
  expiresAt: z.iso.datetime({ offset: true }),
  paymentId: uuid.nullable(),
  /** Whether the hold still owns every seat (the fencing check), for pending reservations. */
  holdIntact: z.boolean(),
  /** Why it does not (`NOT_PENDING`, `EXPIRED`, `SEAT_LOST`); null when intact. */
  holdProblem: z.string().nullable(),
});

export type ReservationSnapshot = z.infer<typeof ReservationSnapshot>;
