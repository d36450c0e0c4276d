import {
  EventHandlers,
  TransferCancelled,
  TransferCompleted,
  TransferListed,
  TransferPaymentRejected,
  TransferRefundRequested,
} from "@urr/events";
import { markFulfilled, type OutcomeDeps, refundOnRequest, refundRejected } from "./refund-requests.ts";

/**
 * Payment's side of a ticket transfer, driven by transfer-events. A completed transfer marks its
 * payment fulfilled; a rejected one (another buyer's payment completed it first, the seller
 * cancelled, the event was cancelled, …) records a refund with that reason in the same transaction
 * as the event id, then carries it out: the buyer who lost is never left charged. A transfer of an
 * event that was cancelled is refunded when ticket asks (`transfer.refund-requested`).
 */
export function transferOutcomes(deps: OutcomeDeps) {
  return new EventHandlers()
    .on(TransferCompleted, (event) => markFulfilled(deps, event, new Date(event.payload.completedAt)))
    .on(TransferPaymentRejected, (event) => refundRejected(deps, event, `TRANSFER_${event.payload.reason}`))
    .on(TransferRefundRequested, (event) => refundOnRequest(deps, event, `TRANSFER_${event.payload.reason}`))
    .ignore(TransferListed)
    .ignore(TransferCancelled);
}
