import { randomUUID } from "node:crypto";
import {
  createEvent,
  type EventEnvelope,
  type PaymentConfirmed,
  type PaymentRefunded,
  type RejectionReason,
  ReservationConfirmationRejected,
  ReservationConfirmed,
  ReservationRefunded,
} from "@urr/events";
import type { Logger } from "@urr/logger";
import type { z } from "zod";
import type { SeatLockStore } from "../locks/seat-lock-store.ts";
import { awardPurchasePoints } from "../memberships/purchase-points.ts";
import type { NewTicket } from "../repositories/ticket.repository.ts";
import type { TicketRepositories, TicketStore } from "../repositories/ticket-store.ts";
import type { PaidReferenceOwner } from "./payment-events.ts";
import type { ReservationRecord } from "./records.ts";
import { type ReleasedSeat, releaseSeatLocks } from "./reservation-release.ts";
import { saleMetrics } from "./sale-metrics.ts";
import type { TicketCodes } from "./ticket-codes.ts";

type Confirmed = EventEnvelope<"payment.confirmed", z.output<typeof PaymentConfirmed.payload>>;
type Refunded = EventEnvelope<"payment.refunded", z.output<typeof PaymentRefunded.payload>>;

export type SagaOutcome = "confirmed" | "rejected" | "refunded" | "duplicate" | "ignored";

/**
 * Ticket's side of the purchase saga, driven by payment-events.
 *
 * PaymentConfirmed confirms the reservation only if it is still the buyer's pending reservation for
 * that amount (a hold its event's cancellation ended is refused as EVENT_CANCELLED), was paid
 * before it expired, and every seat is still HELD for it under the fencing
 * token it was granted (a lapsed hold re-taken by someone else fails here). Then, in one
 * transaction: seats RESERVED, tickets issued, ReservationConfirmed in the outbox, the event id
 * recorded. Otherwise ReservationConfirmationRejected goes out and payment refunds automatically.
 *
 * The same transaction adds the buyer's fan-club points for the purchase (memberships/).
 *
 * PaymentRefunded of a confirmed reservation puts its seats and quantities back on sale and revokes
 * its tickets, once (the reservation row lock and the processed-event record make it so).
 * Payment events of kind RESERVATION reach it through domain/payment-events.ts.
 */
export class PaymentSaga implements PaidReferenceOwner {
  constructor(
    private readonly deps: { store: TicketStore; locks: SeatLockStore; codes: TicketCodes; logger: Logger },
  ) {}

  confirmed(event: Confirmed): Promise<SagaOutcome> {
    return this.confirm(event);
  }

  refunded(event: Refunded): Promise<SagaOutcome> {
    return this.refund(event);
  }

  async confirm(event: Confirmed): Promise<SagaOutcome> {
    const p = event.payload;
    const { outcome, heldSeats } = await this.deps.store.transaction(async (repos) => {
      if (!(await repos.markProcessed(event))) return { outcome: "duplicate" as const, heldSeats: [] };
      const reservation = await repos.reservations.lock(p.referenceId);
      // Already confirmed by this very payment (a re-sent confirmation): nothing more to do.
      if (reservation?.paymentId === p.paymentId) return { outcome: "duplicate" as const, heldSeats: [] };
      const rejection = reservation ? await this.rejectionOf(repos, reservation, p) : "UNKNOWN_RESERVATION";
      if (rejection || !reservation) {
        await repos.publish(
          ReservationConfirmationRejected,
          createEvent(
            ReservationConfirmationRejected,
            p.referenceId,
            {
              reservationId: p.referenceId,
              paymentId: p.paymentId,
              reason: rejection ?? "UNKNOWN_RESERVATION",
              rejectedAt: new Date().toISOString(),
            },
            { sagaId: event.sagaId },
          ),
        );
        return { outcome: "rejected" as const, heldSeats: [] };
      }
      const heldSeats = await this.confirmReservation(repos, reservation, event);
      return { outcome: "confirmed" as const, heldSeats };
    });
    if (outcome === "confirmed") saleMetrics.reservationsEnded("confirmed");
    if (outcome === "rejected") saleMetrics.reservationsEnded("confirmation_rejected");
    // The seats are sold; their Redis locks have nothing left to protect.
    await releaseSeatLocks(this.deps.locks, heldSeats, this.deps.logger);
    this.deps.logger.info(
      { reservationId: p.referenceId, paymentId: p.paymentId, outcome },
      "payment confirmation applied",
    );
    return outcome;
  }

  /** Why this payment cannot confirm this reservation, or null when it can. Seats are row-locked. */
  private async rejectionOf(
    repos: TicketRepositories,
    reservation: ReservationRecord,
    payment: Confirmed["payload"],
  ): Promise<RejectionReason | null> {
    if (await repos.reservations.isVoided(payment.paymentId)) return "PAYMENT_REFUNDED";
    if (reservation.userId !== payment.userId) return "NOT_OWNER";
    // The reservation row lock orders this against the event's closure (event-closure.ts): a
    // closure that committed first ended the hold; one still waiting finds it CONFIRMED.
    if (reservation.endReason === "EVENT_CANCELLED" || reservation.endReason === "EVENT_DELETED")
      return "EVENT_CANCELLED";
    if (reservation.status !== "PENDING") return "NOT_PENDING";
    const event = await repos.saleEvents.find(reservation.eventId);
    if (event?.cancelledAt || event?.deleted) return "EVENT_CANCELLED";
    if (reservation.totalAmount !== payment.amount || reservation.currency !== payment.currency)
      return "AMOUNT_MISMATCH";
    // Paid in time counts, even if this message arrives late; paid after expiry does not.
    if (new Date(payment.confirmedAt) > reservation.expiresAt) return "EXPIRED";
    const granted = reservation.items.filter((i) => i.seatId !== null);
    if (granted.length === 0) return null;
    const seats = await repos.seats.lockForConfirm(granted.map((i) => i.seatId ?? ""));
    const intact = granted.every((item) => {
      const seat = seats.find((s) => s.id === item.seatId);
      return (
        seat?.status === "HELD" &&
        seat.reservationId === reservation.id &&
        seat.fencingToken === item.fencingToken
      );
    });
    return intact ? null : "SEAT_LOST";
  }

  private async confirmReservation(
    repos: TicketRepositories,
    reservation: ReservationRecord,
    event: Confirmed,
  ): Promise<ReleasedSeat[]> {
    const now = new Date();
    const seatItems = reservation.items.filter((i) => i.seatId !== null);
    const sold = await repos.seats.sell(reservation.id);
    if (sold !== seatItems.length)
      throw new Error(`sold ${sold} of ${seatItems.length} seats of ${reservation.id}`);
    await repos.reservations.confirm(reservation.id, event.payload.paymentId, now);
    const tickets = await this.ticketsFor(repos, reservation, now);
    await repos.tickets.issue(tickets);
    await awardPurchasePoints(repos, reservation, now, event.sagaId);
    const quantity = reservation.items.reduce((sum, i) => sum + i.quantity, 0);
    await repos.publish(
      ReservationConfirmed,
      createEvent(
        ReservationConfirmed,
        reservation.id,
        {
          reservationId: reservation.id,
          userId: reservation.userId,
          eventId: reservation.eventId,
          paymentId: event.payload.paymentId,
          quantity,
          totalAmount: reservation.totalAmount,
          ticketIds: tickets.map((t) => t.id),
          confirmedAt: now.toISOString(),
        },
        { sagaId: event.sagaId },
      ),
    );
    return seatItems.map((i) => ({
      id: i.seatId ?? "",
      eventId: reservation.eventId,
      fencingToken: i.fencingToken ?? 0n,
    }));
  }

  /** One ticket per seat and one per general-admission unit, each with its signed code. */
  private async ticketsFor(
    repos: TicketRepositories,
    reservation: ReservationRecord,
    issuedAt: Date,
  ): Promise<NewTicket[]> {
    const seatIds = reservation.items.flatMap((i) => (i.seatId ? [i.seatId] : []));
    const typeIds = reservation.items.flatMap((i) => (i.ticketTypeId ? [i.ticketTypeId] : []));
    const [seats, types] = await Promise.all([
      repos.seats.findByIds(seatIds),
      repos.ticketTypes.findByIds(typeIds),
    ]);
    const units = reservation.items.flatMap((item) => {
      const label = item.seatId
        ? (seats.find((s) => s.id === item.seatId)?.label ?? item.seatId)
        : (types.find((t) => t.id === item.ticketTypeId)?.name ?? "General admission");
      return Array.from({ length: item.quantity }, () => ({ item, label }));
    });
    return Promise.all(
      units.map(async ({ item, label }) => {
        const id = randomUUID();
        const code = await this.deps.codes.sign(
          { ticketId: id, eventId: reservation.eventId, reservationId: reservation.id, label },
          issuedAt,
        );
        return {
          id,
          reservationId: reservation.id,
          userId: reservation.userId,
          eventId: reservation.eventId,
          seatId: item.seatId,
          ticketTypeId: item.ticketTypeId,
          label,
          code,
        };
      }),
    );
  }

  async refund(event: Refunded): Promise<SagaOutcome> {
    const p = event.payload;
    return this.deps.store.transaction(async (repos) => {
      if (!(await repos.markProcessed(event))) return "duplicate";
      const reservation = await repos.reservations.lock(p.referenceId);
      // A refund of a payment that has not confirmed this reservation frees nothing; it is remembered
      // so that its confirmation, should it arrive later (out of order), is refused.
      if (reservation?.paymentId !== p.paymentId) {
        await repos.reservations.voidPayment(p.paymentId);
        return "ignored";
      }
      if (reservation.status !== "CONFIRMED") return "duplicate";
      const now = new Date();
      await repos.seats.unsell(reservation.id);
      for (const item of reservation.items) {
        if (item.ticketTypeId) await repos.ticketTypes.giveBack(item.ticketTypeId, item.quantity);
      }
      await repos.tickets.revokeForReservation(reservation.id, now);
      await repos.reservations.end(reservation.id, "REFUNDED", p.reason);
      await repos.publish(
        ReservationRefunded,
        createEvent(
          ReservationRefunded,
          reservation.id,
          {
            reservationId: reservation.id,
            userId: reservation.userId,
            eventId: reservation.eventId,
            paymentId: p.paymentId,
            quantity: reservation.items.reduce((sum, i) => sum + i.quantity, 0),
            refundedAt: now.toISOString(),
          },
          { sagaId: event.sagaId },
        ),
      );
      return "refunded";
    });
  }
}
