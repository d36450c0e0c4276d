import type { EventEnvelope } from "@urr/events";
import type { Logger } from "@urr/logger";
import type { PaymentStore } from "../repositories/payment-store.ts";
import type { RefundService } from "./refund.service.ts";

/**
 * Ticket asks for a payment to be given back (its event was cancelled): the refund is recorded in
 * the same transaction as the event id, then carried out. A payment already refunded, or whose
 * refund was requested before, is not refunded again however often ticket asks — exactly once.
 */
export async function refundOnRequest(
  deps: { store: PaymentStore; refunds: RefundService; logger: Logger },
  event: EventEnvelope<string, { paymentId: string }>,
  reason: string,
): Promise<string> {
  const { paymentId } = event.payload;
  const outcome = await deps.store.transaction(async (repos) => {
    if (!(await repos.markProcessed(event))) return "duplicate";
    const payment = await repos.payments.lock({ id: paymentId });
    if (!payment) return "ignored";
    if (payment.status !== "CONFIRMED" || payment.refundRequestedAt) return "already-refunded";
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
