import {
  EventHandlers,
  ReservationConfirmationRejected,
  ReservationConfirmed,
  ReservationRefunded,
  ReservationRefundRequested,
} from "@urr/events";
import type { Logger } from "@urr/logger";
import type { PaymentStore } from "../repositories/payment-store.ts";
import type { RefundService } from "./refund.service.ts";
import { refundOnRequest } from "./refund-requests.ts";

/**
 * Payment's side of the purchase saga, driven by reservation-events. A confirmation marks the
 * payment fulfilled; a rejection (the hold lapsed and the seat went to someone else, the
 * reservation expired, …) records a refund with that reason in the same transaction as the event
 * id, then carries it out. The user sees the reason on the payment (`refundReason`).
 */
export function reservationOutcomes(deps: { store: PaymentStore; refunds: RefundService; logger: Logger }) {
  return new EventHandlers()
    .on(ReservationConfirmed, (event) =>
      deps.store.transaction(async (repos) => {
        if (!(await repos.markProcessed(event))) return "duplicate";
        const payment = await repos.payments.lock({ id: event.payload.paymentId });
        if (!payment) return "ignored";
        if (!payment.fulfilledAt) {
          await repos.payments.update(payment.id, { fulfilledAt: new Date(event.payload.confirmedAt) });
        }
        return "fulfilled";
      }),
    )
    .on(ReservationConfirmationRejected, async (event) => {
      const outcome = await deps.store.transaction(async (repos) => {
        if (!(await repos.markProcessed(event))) return "duplicate";
        const payment = await repos.payments.lock({ id: event.payload.paymentId });
        if (!payment) return "ignored";
        await deps.refunds.request(repos, payment, `RESERVATION_${event.payload.reason}`);
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
    .on(ReservationRefundRequested, (event) =>
      refundOnRequest(deps, event, `RESERVATION_${event.payload.reason}`),
    )
    .ignore(ReservationRefunded);
}
