import {
  createEvent,
  ReservationRefundRequested,
  TransferCancelled,
  TransferRefundRequested,
} from "@urr/events";
import type { TicketRepositories } from "../repositories/ticket-store.ts";
import type { ClosureReason } from "./event-closure.ts";

export interface EventRefunds {
  reservations: number;
  transfers: number;
  listingsCancelled: number;
  ticketsVoided: number;
}

/**
 * The money side of an event leaving the sale, in the transaction that applies it (after its
 * pending holds ended, event-closure.ts): every paid reservation gets a refund request to payment
 * (`reservation.refund-requested`; payment refunds a payment once however often it is asked, and
 * `payment.refunded` then marks the reservation REFUNDED), every valid ticket is voided (its code
 * on the revocation list), open listings are cancelled, and every completed transfer's buyer is
 * refunded what they paid (`transfer.refund-requested`) while the seller's payout is voided: the
 * seller gets the original purchase back instead, so nobody is paid twice and nobody is out of pocket.
 *
 * Locks follow every other writer's order: reservations, then transfers, then tickets.
 */
export async function refundEventSales(
  repos: TicketRepositories,
  eventId: string,
  reason: ClosureReason,
): Promise<EventRefunds> {
  const now = new Date();
  const at = now.toISOString();
  const paid = await repos.reservations.lockConfirmedOfEvent(eventId);
  for (const r of paid) {
    await repos.publish(
      ReservationRefundRequested,
      createEvent(ReservationRefundRequested, r.id, {
        reservationId: r.id,
        paymentId: r.paymentId,
        userId: r.userId,
        eventId,
        reason,
        requestedAt: at,
      }),
    );
  }
  const open = await repos.transfers.lockOpenOfEvent(eventId);
  for (const t of open) {
    await repos.transfers.cancel(t.id, "EVENT_CANCELLED", now);
    await repos.publish(
      TransferCancelled,
      createEvent(TransferCancelled, t.id, {
        transferId: t.id,
        ticketId: t.ticketId,
        reason: "EVENT_CANCELLED",
        cancelledAt: at,
      }),
    );
  }
  const sold = await repos.transfers.lockCompletedOfEvent(eventId);
  for (const t of sold) {
    if (!t.paymentId || !t.buyerId) continue;
    await repos.publish(
      TransferRefundRequested,
      createEvent(TransferRefundRequested, t.id, {
        transferId: t.id,
        paymentId: t.paymentId,
        buyerId: t.buyerId,
        eventId,
        reason,
        requestedAt: at,
      }),
    );
  }
  await repos.transfers.voidPayouts(
    sold.map((t) => t.id),
    now,
  );
  const ticketsVoided = await repos.tickets.revokeForEvent(eventId, now, reason);
  return { reservations: paid.length, transfers: sold.length, listingsCancelled: open.length, ticketsVoided };
}
