import {
  EventHandlers,
  TransferCancelled,
  TransferCompleted,
  TransferListed,
  TransferPaymentRejected,
  TransferRefundRequested,
} from "@urr/events";
import type { Logger } from "@urr/logger";
import type { PaymentStore } from "../repositories/payment-store.ts";
import type { RefundService } from "./refund.service.ts";
import { refundOnRequest } from "./refund-requests.ts";

/**
 * Payment's side of a ticket transfer, driven by transfer-events. A completed transfer marks its
 * payment fulfilled; a rejected one (another buyer's payment completed it first, the seller
 * cancelled, the event was cancelled, …) records a refund with that reason in the same transaction
 * as the event id, then carries it out: the buyer who lost is never left charged. A transfer of an
 * event that was cancelled is refunded when ticket asks (`transfer.refund-requested`).
 */
export function transferOutcomes(deps: { store: PaymentStore; refunds: RefundService; logger: Logger }) {
  return new EventHandlers()
    .on(TransferCompleted, (event) =>
      deps.store.transaction(async (repos) => {
        if (!(await repos.markProcessed(event))) return "duplicate";
        const payment = await repos.payments.lock({ id: event.payload.paymentId });
        if (!payment) return "ignored";
        if (!payment.fulfilledAt) {
          await repos.payments.update(payment.id, { fulfilledAt: new Date(event.payload.completedAt) });
        }
        return "fulfilled";
      }),
    )
    .on(TransferPaymentRejected, async (event) => {
      const outcome = await deps.store.transaction(async (repos) => {
        if (!(await repos.markProcessed(event))) return "duplicate";
        const payment = await repos.payments.lock({ id: event.payload.paymentId });
        if (!payment) return "ignored";
        await deps.refunds.request(repos, payment, `TRANSFER_${event.payload.reason}`);
        return "refund-requested";
      });
      if (outcome === "refund-requested") {
        // Best effort now; a failure here leaves the request for the reconciler.
        await deps.refunds.execute(event.payload.paymentId).catch((error: unknown) => {
          deps.logger.warn(
            { err: error, paymentId: event.payload.paymentId },
            "refund deferred to the reconciler",
          );
        });
      }
      return outcome;
    })
    .on(TransferRefundRequested, (event) => refundOnRequest(deps, event, `TRANSFER_${event.payload.reason}`))
    .ignore(TransferListed)
    .ignore(TransferCancelled);
}
