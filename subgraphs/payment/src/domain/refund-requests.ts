import type { EventEnvelope } from "@urr/events";
import type { Logger } from "@urr/logger";
import type { PaymentStore } from "../repositories/payment-store.ts";
import type { RefundService } from "./refund.service.ts";

/** What the handlers of the owners' outcome events (reservations, transfers) need. */
export interface OutcomeDeps {
  store: PaymentStore;
  refunds: RefundService;
  logger: Logger;
}

type PaymentEvent = EventEnvelope<string, { paymentId: string }>;

/** The owner delivered what was paid for: the payment is marked fulfilled, once. */
export function markFulfilled(deps: OutcomeDeps, event: PaymentEvent, at: Date): Promise<string> {
  return deps.store.transaction(async (repos) => {
    if (!(await repos.markProcessed(event))) return "duplicate";
    const payment = await repos.payments.lock({ id: event.payload.paymentId });
    if (!payment) return "ignored";
    if (!payment.fulfilledAt) await repos.payments.update(payment.id, { fulfilledAt: at });
    return "fulfilled";
  });
}

/**
 * The owner could not deliver (the hold lapsed, another buyer won the listing, …): a refund with
 * that reason is recorded in the same transaction as the event id, then carried out.
 */
export function refundRejected(deps: OutcomeDeps, event: PaymentEvent, reason: string): Promise<string> {
  return requestRefund(deps, event, reason, false);
}

/**
 * Ticket asks for a payment to be given back (its event was cancelled): the refund is recorded in
 * the same transaction as the event id, then carried out. A payment already refunded, or whose
 * refund was requested before, is not refunded again however often ticket asks — exactly once.
 */
export function refundOnRequest(deps: OutcomeDeps, event: PaymentEvent, reason: string): Promise<string> {
  return requestRefund(deps, event, reason, true);
}

async function requestRefund(
  deps: OutcomeDeps,
  event: PaymentEvent,
  reason: string,
  onlyConfirmedUnrequested: boolean,
): Promise<string> {
  const { paymentId } = event.payload;
  const outcome = await deps.store.transaction(async (repos) => {
    if (!(await repos.markProcessed(event))) return "duplicate";
    const payment = await repos.payments.lock({ id: paymentId });
    if (!payment) return "ignored";
    if (onlyConfirmedUnrequested && (payment.status !== "CONFIRMED" || payment.refundRequestedAt))
      return "already-refunded";
    await deps.refunds.request(repos, payment, reason);
    return "refund-requested";
  });
  if (outcome === "refund-requested") {
    // Best effort now; a failure here leaves the request for the reconciler.
    await deps.refunds.execute(paymentId).catch((error: unknown) => {
      deps.logger.warn({ err: error, paymentId }, "refund deferred to the reconciler");
    });
  }
  return outcome;
}
