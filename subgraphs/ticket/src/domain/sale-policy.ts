import { ForbiddenError, NotFoundError } from "@urr/errors";
import type { SaleEvent } from "./records.ts";

/**
 * Whether tickets of an event can be bought now, from ticket's copy of the catalog event. Refusals
 * carry a reason code the client can act on (show a countdown, a "sale ended" page, …).
 */
export function assertOnSale(event: SaleEvent | null, eventId: string, now: Date): SaleEvent {
  if (!event || event.deleted) throw new NotFoundError("Event", eventId);
  if (event.cancelledAt) throw new ForbiddenError("This event was cancelled", "EVENT_CANCELLED");
  if (now < event.saleStartsAt) {
    throw new ForbiddenError("The sale has not opened yet", "SALE_NOT_OPEN", {
      saleStartsAt: event.saleStartsAt.toISOString(),
    });
  }
  if (now >= event.saleEndsAt) throw new ForbiddenError("The sale has ended", "SALE_ENDED");
  return event;
}
