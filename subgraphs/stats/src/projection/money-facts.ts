import type { PaymentConfirmed, TransferCompleted, TransferListed } from "@urr/events";
import type { z } from "zod";
import type { Db } from "../repositories/prisma.ts";

type Payment = Omit<z.output<typeof PaymentConfirmed.payload>, "method" | "confirmedAt">;

/**
 * Payments (payment-events) and resales (transfer-events), one row each, first write wins per
 * column (see ReservationFacts). A confirmation the reconciler sends again under a new event id
 * finds its columns filled and changes nothing.
 */
export class MoneyFacts {
  constructor(private readonly db: Db) {}

  async paymentConfirmed(p: Payment & { method: string; confirmedAt: string }): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO stats_payments (payment_id, kind, reference_id, user_id, amount, currency, method, confirmed_at)
      VALUES (${p.paymentId}::uuid, ${p.kind}, ${p.referenceId}::uuid, ${p.userId}::uuid, ${p.amount}, ${p.currency},
              ${p.method}, ${p.confirmedAt}::timestamptz)
      ON CONFLICT (payment_id) DO UPDATE SET
        method = coalesce(stats_payments.method, excluded.method),
        confirmed_at = coalesce(stats_payments.confirmed_at, excluded.confirmed_at)`;
  }

  async paymentRefunded(p: Payment & { reason: string; refundedAt: string }): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO stats_payments (payment_id, kind, reference_id, user_id, amount, currency, refunded_at, refund_reason)
      VALUES (${p.paymentId}::uuid, ${p.kind}, ${p.referenceId}::uuid, ${p.userId}::uuid, ${p.amount}, ${p.currency},
              ${p.refundedAt}::timestamptz, ${p.reason.slice(0, 100)})
      ON CONFLICT (payment_id) DO UPDATE SET
        refunded_at = coalesce(stats_payments.refunded_at, excluded.refunded_at),
        refund_reason = coalesce(stats_payments.refund_reason, excluded.refund_reason)`;
  }

  async transferListed(p: z.output<typeof TransferListed.payload>): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO stats_transfers (transfer_id, ticket_id, event_id, seller_id, price, fee, listed_at)
      VALUES (${p.transferId}::uuid, ${p.ticketId}::uuid, ${p.eventId}::uuid, ${p.sellerId}::uuid, ${p.price}, ${p.fee},
              ${p.listedAt}::timestamptz)
      ON CONFLICT (transfer_id) DO UPDATE SET
        event_id = coalesce(stats_transfers.event_id, excluded.event_id),
        seller_id = coalesce(stats_transfers.seller_id, excluded.seller_id),
        price = coalesce(stats_transfers.price, excluded.price),
        fee = coalesce(stats_transfers.fee, excluded.fee),
        listed_at = coalesce(stats_transfers.listed_at, excluded.listed_at)`;
  }

  async transferCompleted(p: z.output<typeof TransferCompleted.payload>): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO stats_transfers (transfer_id, ticket_id, seller_id, buyer_id, payment_id, completed_at)
      VALUES (${p.transferId}::uuid, ${p.ticketId}::uuid, ${p.fromUserId}::uuid, ${p.toUserId}::uuid,
              ${p.paymentId}::uuid, ${p.completedAt}::timestamptz)
      ON CONFLICT (transfer_id) DO UPDATE SET
        seller_id = coalesce(stats_transfers.seller_id, excluded.seller_id),
        buyer_id = coalesce(stats_transfers.buyer_id, excluded.buyer_id),
        payment_id = coalesce(stats_transfers.payment_id, excluded.payment_id),
        completed_at = coalesce(stats_transfers.completed_at, excluded.completed_at)`;
  }

  async transferCancelled(p: { transferId: string; ticketId: string; reason: string; cancelledAt: string }) {
    await this.db.$executeRaw`
      INSERT INTO stats_transfers (transfer_id, ticket_id, cancelled_at, cancel_reason)
      VALUES (${p.transferId}::uuid, ${p.ticketId}::uuid, ${p.cancelledAt}::timestamptz, ${p.reason})
      ON CONFLICT (transfer_id) DO UPDATE SET
        cancelled_at = coalesce(stats_transfers.cancelled_at, excluded.cancelled_at),
        cancel_reason = coalesce(stats_transfers.cancel_reason, excluded.cancel_reason)`;
  }
}
