import {
  createEvent,
  type EventEnvelope,
  type PaymentConfirmed,
  TransferCancelled,
  TransferCompleted,
  TransferPaymentRejected,
  type TransferRejectionReason,
} from "@urr/events";
import type { Logger } from "@urr/logger";
import type { z } from "zod";
import type { PaidReferenceOwner } from "../domain/payment-events.ts";
import type { TicketCodes } from "../domain/ticket-codes.ts";
import type { TicketRepositories, TicketStore } from "../repositories/ticket-store.ts";
import { amountOf, heldBy } from "./records.ts";

type Confirmed = EventEnvelope<"payment.confirmed", z.output<typeof PaymentConfirmed.payload>>;

export type TransferPaymentOutcome = "completed" | "duplicate" | `rejected:${TransferRejectionReason}`;

/**
 * A confirmed TRANSFER payment (payment-events), applied exactly once (event id in
 * `processed_events`, the transfer row locked, one payment per transfer by unique index). It
 * completes the listing for the buyer who holds its payment window — or for any buyer but the
 * seller when nobody holds it, once a lapsed window was not claimed again — in one transaction:
 * the ticket becomes the buyer's with a newly signed code of the next version, the seller's code is
 * revoked (`ticket_revocations`), the seller's payout is recorded and `transfer.completed` is in
 * the outbox. Any other payment is rejected with a reason (`transfer.payment-rejected`) and payment
 * refunds it automatically: a buyer who lost the race is never left charged.
 */
export class TransferPayments implements PaidReferenceOwner {
  constructor(private readonly deps: { store: TicketStore; codes: TicketCodes; logger: Logger }) {}

  async confirmed(event: Confirmed): Promise<TransferPaymentOutcome> {
    const p = event.payload;
    const outcome = await this.deps.store.transaction(async (repos) => {
      if (!(await repos.markProcessed(event))) return "duplicate" as const;
      const decided = await this.apply(repos, event);
      if (decided === "duplicate") await this.announceAgain(repos, event);
      if (decided !== "completed" && decided !== "duplicate") {
        const reason = decided.slice("rejected:".length) as TransferRejectionReason;
        await repos.publish(
          TransferPaymentRejected,
          createEvent(
            TransferPaymentRejected,
            p.referenceId,
            {
              transferId: p.referenceId,
              paymentId: p.paymentId,
              reason,
              rejectedAt: new Date().toISOString(),
            },
            { sagaId: event.sagaId },
          ),
        );
      }
      return decided;
    });
    this.deps.logger[outcome.startsWith("rejected") ? "warn" : "info"](
      { transferId: p.referenceId, paymentId: p.paymentId, outcome },
      "transfer payment applied",
    );
    return outcome;
  }

  /**
   * The same payment re-sent under a new event id (payment's reconciler did not hear back): the
   * completion is announced again so payment can mark it fulfilled.
   */
  private async announceAgain(repos: TicketRepositories, event: Confirmed): Promise<void> {
    const transfer = await repos.transfers.findById(event.payload.referenceId);
    if (
      transfer?.status !== "COMPLETED" ||
      transfer.paymentId !== event.payload.paymentId ||
      !transfer.buyerId
    )
      return;
    await repos.publish(
      TransferCompleted,
      createEvent(
        TransferCompleted,
        transfer.id,
        {
          transferId: transfer.id,
          ticketId: transfer.ticketId,
          fromUserId: transfer.sellerId,
          toUserId: transfer.buyerId,
          paymentId: event.payload.paymentId,
          completedAt: (transfer.completedAt ?? new Date()).toISOString(),
        },
        { sagaId: event.sagaId },
      ),
    );
  }

  private async apply(repos: TicketRepositories, event: Confirmed): Promise<TransferPaymentOutcome> {
    const p = event.payload;
    const transfer = await repos.transfers.lock(p.referenceId);
    if (!transfer) return "rejected:UNKNOWN_TRANSFER";
    if (transfer.paymentId === p.paymentId) return "duplicate";
    if (transfer.status === "COMPLETED") return "rejected:ALREADY_SOLD";
    if (transfer.status === "CANCELLED") return "rejected:TRANSFER_CANCELLED";
    if (transfer.sellerId === p.userId) return "rejected:OWN_LISTING";
    const holder = heldBy(transfer, new Date(p.confirmedAt));
    if (holder && holder !== p.userId) return "rejected:RESERVED_BY_ANOTHER";
    // Claimed again by someone else after this payer's window lapsed.
    if (!holder && transfer.status === "RESERVED" && transfer.buyerId !== p.userId) {
      return "rejected:RESERVED_BY_ANOTHER";
    }
    if (p.amount !== amountOf(transfer) || p.currency !== transfer.currency)
      return "rejected:AMOUNT_MISMATCH";
    const event_ = await repos.saleEvents.find(transfer.eventId);
    const now = new Date();
    if (!event_ || event_.cancelledAt || event_.deleted) return "rejected:EVENT_CANCELLED";
    const ticket = await repos.tickets.lock(transfer.ticketId);
    if (!ticket || ticket.userId !== transfer.sellerId || ticket.status !== "ISSUED") {
      // The listing cannot be sold any more (the seller's purchase was refunded, …): it ends too.
      await repos.transfers.cancel(transfer.id, "TICKET_REVOKED", now);
      await repos.publish(
        TransferCancelled,
        createEvent(TransferCancelled, transfer.id, {
          transferId: transfer.id,
          ticketId: transfer.ticketId,
          reason: "TICKET_REVOKED",
          cancelledAt: now.toISOString(),
        }),
      );
      return "rejected:TICKET_NOT_TRANSFERABLE";
    }
    const code = await this.deps.codes.sign(
      {
        ticketId: ticket.id,
        eventId: ticket.eventId,
        reservationId: ticket.reservationId,
        label: ticket.label,
        version: ticket.codeVersion + 1,
      },
      now,
    );
    await repos.tickets.changeHands(ticket, { toUserId: p.userId, code, at: now });
    await repos.transfers.complete(transfer.id, { buyerId: p.userId, paymentId: p.paymentId, at: now });
    await repos.transfers.recordPayout({
      transferId: transfer.id,
      sellerId: transfer.sellerId,
      amount: transfer.price,
      currency: transfer.currency,
      paymentId: p.paymentId,
      at: now,
    });
    await repos.publish(
      TransferCompleted,
      createEvent(
        TransferCompleted,
        transfer.id,
        {
          transferId: transfer.id,
          ticketId: ticket.id,
          fromUserId: transfer.sellerId,
          toUserId: p.userId,
          paymentId: p.paymentId,
          completedAt: now.toISOString(),
        },
        { sagaId: event.sagaId },
      ),
    );
    return "completed";
  }
}
