import type { TicketRepositories } from "../repositories/ticket-store.ts";
import { publishCancelled } from "./reservation-lifecycle.ts";
import type { ReleasedSeat } from "./reservation-release.ts";

/** Why the pending holds of an event that left the sale were ended (the reservations' endReason). */
export type ClosureReason = "EVENT_CANCELLED" | "EVENT_DELETED";

/**
 * Ends every pending hold of an event that is no longer on sale (cancelled or deleted in catalog),
 * inside the transaction that applies that state to ticket's copy: the reservations become
 * CANCELLED with the reason, their seats AVAILABLE, their general-admission stock returns. Returns
 * the released seats, whose Redis locks the caller drops after commit. Each ended hold's
 * `reservation.cancelled` goes into the outbox in the same transaction.
 *
 * Locks are taken in the order every other writer takes them (reservations, then seats, then
 * ticket types), so nothing deadlocks with the payment saga, the sweeper or a buyer's cancel:
 *  1. the pending reservations, so a confirmation in flight either commits first (the reservation is
 *     CONFIRMED and left to the event's refund) or waits, then finds it ended and is refused;
 *  2. every seat and ticket type of the event, so a hold in flight commits first and a later one
 *     waits, then sees the event closed (`urr_hold_seats` and reserveTickets check after their locks);
 *  3. the pending reservations again, for the holds that committed during step 2.
 * Confirmed reservations are not touched here: refunding them is the event cancellation's refund.
 */
export async function endPendingHolds(
  repos: TicketRepositories,
  eventId: string,
  reason: ClosureReason,
): Promise<{ ended: string[]; released: ReleasedSeat[] }> {
  const first = await repos.reservations.lockPendingOfEvent(eventId);
  await repos.seats.lockAllOfEvent(eventId);
  await repos.ticketTypes.lockAllOfEvent(eventId);
  const ended = [...first, ...(await repos.reservations.lockPendingOfEvent(eventId, first))];
  const released = await repos.seats.releaseHeldByAny(ended);
  await repos.ticketTypes.giveBackFor(ended);
  await repos.reservations.endMany(ended, "CANCELLED", reason);
  const at = new Date();
  for (const reservation of await repos.reservations.findByIds(ended))
    await publishCancelled(repos, reservation, reason, at);
  return { ended, released };
}
