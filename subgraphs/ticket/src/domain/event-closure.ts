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
 * First the event's sale lock, exclusive. Every writer that creates a pending hold takes it shared
 * before any other lock (`urr_hold_seats`, general admission), so once it is ours no hold of the
 * event is in flight, and a later one waits for this transaction, then sees the event closed. The
 * pending reservations are then locked once (reservations, then seats, then ticket types: the order
 * the payment saga, the sweeper and a buyer's cancel lock in), so a confirmation in flight either
 * commits first (the reservation is CONFIRMED and left to the event's refund) or waits, then finds
 * it ended and is refused.
 *
 * (Without the sale lock, a closure had to lock every seat to wait for holds in flight and then
 * look for pending holds again; a buyer replacing a selection made in between held that
 * selection's row and waited for its seats, the closure held the seats and waited for that row,
 * and PostgreSQL broke the deadlock by failing one of them.)
 * Confirmed reservations are not touched here: refunding them is the event cancellation's refund.
 */
export async function endPendingHolds(
  repos: TicketRepositories,
  eventId: string,
  reason: ClosureReason,
): Promise<{ ended: string[]; released: ReleasedSeat[] }> {
  await repos.closeSale(eventId);
  const ended = await repos.reservations.lockPendingOfEvent(eventId);
  const released = await repos.seats.releaseHeldByAny(ended);
  await repos.ticketTypes.giveBackFor(ended);
  await repos.reservations.endMany(ended, "CANCELLED", reason);
  const at = new Date();
  for (const reservation of await repos.reservations.findByIds(ended))
    await publishCancelled(repos, reservation, reason, at);
  return { ended, released };
}
