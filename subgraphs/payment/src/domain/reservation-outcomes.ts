import {
  EventHandlers,
  ReservationConfirmationRejected,
  ReservationConfirmed,
  ReservationRefunded,
  ReservationRefundRequested,
} from "@urr/events";
import { markFulfilled, type OutcomeDeps, refundOnRequest, refundRejected } from "./refund-requests.ts";

/**
 * Payment's side of the purchase saga, driven by reservation-events. A confirmation marks the
 * payment fulfilled; a rejection (the hold lapsed and the seat went to someone else, the
 * reservation expired, …) records a refund with that reason in the same transaction as the event
 * id, then carries it out. The user sees the reason on the payment (`refundReason`).
 */
export function reservationOutcomes(deps: OutcomeDeps) {
  return new EventHandlers()
    .on(ReservationConfirmed, (event) => markFulfilled(deps, event, new Date(event.payload.confirmedAt)))
    .on(ReservationConfirmationRejected, (event) =>
      refundRejected(deps, event, `RESERVATION_${event.payload.reason}`),
    )
    .on(ReservationRefundRequested, (event) =>
      refundOnRequest(deps, event, `RESERVATION_${event.payload.reason}`),
    )
    .ignore(ReservationRefunded);
}
