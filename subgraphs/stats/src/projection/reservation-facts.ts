import type { ReservationCreated } from "@urr/events";
import type { z } from "zod";
import type { Db } from "../repositories/prisma.ts";

type Created = z.output<typeof ReservationCreated.payload>;

/**
 * Reservations as reservation-events describe them. Every event inserts the reservation's row if
 * it is not there yet and fills only the columns it knows, keeping a value already written (first
 * write wins): applied in any order, once each, the events leave the same row.
 */
export class ReservationFacts {
  constructor(private readonly db: Db) {}

  async created(p: Created): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO stats_reservations (reservation_id, event_id, user_id, quantity, total_amount, currency,
                                      buyer_tier, created_at, expires_at)
      VALUES (${p.reservationId}::uuid, ${p.eventId}::uuid, ${p.userId}::uuid, ${p.quantity}, ${p.totalAmount},
              ${p.currency}, ${p.buyerTier}, ${p.createdAt}::timestamptz, ${p.expiresAt}::timestamptz)
      ON CONFLICT (reservation_id) DO UPDATE SET
        quantity = coalesce(stats_reservations.quantity, excluded.quantity),
        total_amount = coalesce(stats_reservations.total_amount, excluded.total_amount),
        currency = coalesce(stats_reservations.currency, excluded.currency),
        buyer_tier = coalesce(stats_reservations.buyer_tier, excluded.buyer_tier),
        created_at = coalesce(stats_reservations.created_at, excluded.created_at),
        expires_at = coalesce(stats_reservations.expires_at, excluded.expires_at)`;
    await this.db.statsReservationLine.createMany({
      data: p.lines.map((line, index) => ({ reservationId: p.reservationId, line: index, ...line })),
      skipDuplicates: true,
    });
  }

  async confirmed(p: {
    reservationId: string;
    eventId: string;
    userId: string;
    paymentId: string;
    quantity: number;
    totalAmount: number;
    confirmedAt: string;
  }): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO stats_reservations (reservation_id, event_id, user_id, confirmed_at, sold_quantity, sold_amount, payment_id)
      VALUES (${p.reservationId}::uuid, ${p.eventId}::uuid, ${p.userId}::uuid, ${p.confirmedAt}::timestamptz,
              ${p.quantity}, ${p.totalAmount}, ${p.paymentId}::uuid)
      ON CONFLICT (reservation_id) DO UPDATE SET
        confirmed_at = coalesce(stats_reservations.confirmed_at, excluded.confirmed_at),
        sold_quantity = coalesce(stats_reservations.sold_quantity, excluded.sold_quantity),
        sold_amount = coalesce(stats_reservations.sold_amount, excluded.sold_amount),
        payment_id = coalesce(stats_reservations.payment_id, excluded.payment_id)`;
  }

  /** Ended unpaid: cancelled (with its reason) or expired; the quantity went back on sale. */
  async ended(p: {
    reservationId: string;
    eventId: string;
    userId: string;
    quantity: number;
    cancelled?: { at: string; reason: string };
    expiredAt?: string;
  }): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO stats_reservations (reservation_id, event_id, user_id, cancelled_at, cancel_reason, expired_at,
                                      released_quantity)
      VALUES (${p.reservationId}::uuid, ${p.eventId}::uuid, ${p.userId}::uuid,
              ${p.cancelled?.at ?? null}::timestamptz, ${p.cancelled?.reason ?? null}, ${p.expiredAt ?? null}::timestamptz,
              ${p.quantity})
      ON CONFLICT (reservation_id) DO UPDATE SET
        cancelled_at = coalesce(stats_reservations.cancelled_at, excluded.cancelled_at),
        cancel_reason = coalesce(stats_reservations.cancel_reason, excluded.cancel_reason),
        expired_at = coalesce(stats_reservations.expired_at, excluded.expired_at),
        released_quantity = coalesce(stats_reservations.released_quantity, excluded.released_quantity)`;
  }

  async refunded(p: { reservationId: string; eventId: string; userId: string; refundedAt: string }) {
    await this.db.$executeRaw`
      INSERT INTO stats_reservations (reservation_id, event_id, user_id, refunded_at)
      VALUES (${p.reservationId}::uuid, ${p.eventId}::uuid, ${p.userId}::uuid, ${p.refundedAt}::timestamptz)
      ON CONFLICT (reservation_id) DO UPDATE SET
        refunded_at = coalesce(stats_reservations.refunded_at, excluded.refunded_at)`;
  }

  /** One payment is rejected once (ticket answers a re-sent confirmation the same way). */
  async confirmationRejected(p: {
    reservationId: string;
    paymentId: string;
    reason: string;
    rejectedAt: string;
  }) {
    await this.db.$executeRaw`
      INSERT INTO stats_confirmation_rejections (payment_id, reservation_id, reason, rejected_at)
      VALUES (${p.paymentId}::uuid, ${p.reservationId}::uuid, ${p.reason}, ${p.rejectedAt}::timestamptz)
      ON CONFLICT (payment_id) DO NOTHING`;
  }
}
