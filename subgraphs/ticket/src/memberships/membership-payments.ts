import type { EventEnvelope, PaymentConfirmed } from "@urr/events";
import type { Logger } from "@urr/logger";
import type { z } from "zod";
import type { TicketRepositories, TicketStore } from "../repositories/ticket-store.ts";
import type { LedgerChange } from "./membership-ledger.ts";
import { applyChange } from "./membership-ledger.ts";
import type { MembershipRecord } from "./records.ts";
import { POINTS, termEnd } from "./tiers.ts";

type Confirmed = EventEnvelope<"payment.confirmed", z.output<typeof PaymentConfirmed.payload>>;

export type MembershipPaymentOutcome =
  | "activated"
  | "renewed"
  | "duplicate"
  | "unknown-order"
  | "order-paid-by-another-payment"
  | "not-owner";

/**
 * A confirmed MEMBERSHIP payment (payment-events), applied exactly once: the event id is recorded
 * in `processed_events`, the order is row-locked and marked PAID with the payment, and the payment
 * id is unique in the point log, so any number of deliveries — the same event again, or the
 * reconciler re-sending it under a new id — grants one term and one set of points.
 *
 * A pending membership becomes ACTIVE for a year (+200, JOIN). A renewal (+200, RENEWAL) adds a
 * year to the current term when paid before it ended, or starts a new year from the payment when
 * it had lapsed. The term starts at the payment's `confirmedAt`, not when this process saw it.
 */
export class MembershipPayments {
  constructor(private readonly deps: { store: TicketStore; logger: Logger }) {}

  async confirmed(event: Confirmed): Promise<MembershipPaymentOutcome> {
    const p = event.payload;
    const outcome = await this.deps.store.transaction(async (repos) => {
      if (!(await repos.markProcessed(event))) return "duplicate" as const;
      return this.apply(repos, event);
    });
    const log =
      outcome === "activated" || outcome === "renewed" || outcome === "duplicate" ? "info" : "error";
    // The last three cannot happen through payment's checks (owner and open order at prepare, one
    // live payment per order); if they do, money was taken for nothing and an operator must look.
    this.deps.logger[log](
      { orderId: p.referenceId, paymentId: p.paymentId, outcome },
      "membership payment applied",
    );
    return outcome;
  }

  private async apply(repos: TicketRepositories, event: Confirmed): Promise<MembershipPaymentOutcome> {
    const p = event.payload;
    const order = await repos.membershipOrders.lock(p.referenceId);
    if (!order) return "unknown-order";
    if (order.paymentId === p.paymentId) return "duplicate";
    if (order.status === "PAID") return "order-paid-by-another-payment";
    const membership = await repos.memberships.lock(order.membershipId);
    if (!membership) return "unknown-order";
    if (membership.userId !== p.userId) return "not-owner";
    const paidAt = new Date(p.confirmedAt);
    const change = termChange(membership, paidAt, p.paymentId, event.sagaId);
    if (!(await applyChange(repos, membership, change))) return "duplicate";
    await repos.membershipOrders.markPaid(order.id, p.paymentId, p.amount, paidAt);
    return change.action === "JOIN" ? "activated" : "renewed";
  }
}

function termChange(
  membership: MembershipRecord,
  paidAt: Date,
  paymentId: string,
  sagaId: string | null,
): LedgerChange {
  if (membership.status === "PENDING") {
    return {
      action: "JOIN",
      points: POINTS.JOIN,
      description: "Joined the fan club",
      at: paidAt,
      paymentId,
      status: "ACTIVE",
      activatedAt: paidAt,
      expiresAt: termEnd(paidAt),
      announce: { kind: "ACTIVATED", paymentId },
      sagaId,
    };
  }
  // Paid before the term ended (even if the expiry sweep got there first): a year more from its end.
  const continues = membership.expiresAt !== null && membership.expiresAt > paidAt;
  return {
    action: "RENEWAL",
    points: POINTS.RENEWAL,
    description: continues ? "Renewed before the term ended" : "Renewed after the term had ended",
    at: paidAt,
    paymentId,
    status: "ACTIVE",
    expiresAt: termEnd(continues && membership.expiresAt ? membership.expiresAt : paidAt),
    announce: { kind: "RENEWED", paymentId },
    sagaId,
  };
}
