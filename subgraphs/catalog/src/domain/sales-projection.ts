import {
  EventHandlers,
  ReservationConfirmationRejected,
  ReservationConfirmed,
  ReservationRefunded,
  ReservationRefundRequested,
} from "@urr/events";
import type { CatalogStore } from "../repositories/catalog-store.ts";

/**
 * Tickets sold per event, from the ticket subgraph's reservation-events: a confirmation adds its
 * quantity, a refund takes it back. Each event id counts once (recorded in the same transaction),
 * so redelivery cannot inflate the count that guards event deletion.
 */
export function salesProjection(store: CatalogStore): EventHandlers {
  const move = (
    eventId: string,
    delta: number,
    event: Parameters<CatalogStore["repos"]["markProcessed"]>[0],
  ) =>
    store.transaction(async (repos) => {
      if (!(await repos.markProcessed(event))) return "duplicate";
      await repos.sales.add(eventId, delta);
      return "applied";
    });
  return new EventHandlers()
    .on(ReservationConfirmed, (event) => move(event.payload.eventId, event.payload.quantity, event))
    .on(ReservationRefunded, (event) => move(event.payload.eventId, -event.payload.quantity, event))
    .ignore(ReservationConfirmationRejected, ReservationRefundRequested);
}
