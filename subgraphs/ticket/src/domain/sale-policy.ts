import { type MembershipTier, presaleOpensAt, presaleStageAt } from "@urr/contracts";
import { ForbiddenError, NotFoundError } from "@urr/errors";
import type { SaleEvent } from "./records.ts";

/**
 * Whether a buyer of this fan-club tier may buy tickets of an event now, from ticket's copy of the
 * catalog event and the pre-sale schedule shared with the queue (DIAMOND three stages before the
 * general sale, GOLD two, SILVER one, everyone else at `saleStartsAt`). Refusals carry a reason code
 * the client can act on (a countdown to `opensAt`, a "sale ended" page, …):
 * - SALE_NOT_OPEN before any stage has opened (`saleStartsAt`, and `opensAt` for this buyer);
 * - PRESALE_STAGE while a pre-sale stage runs that this buyer's tier has not reached (`stage`: the
 *   lowest tier buying now, `tier`: the buyer's, `opensAt`: when the buyer's stage opens);
 * - SALE_ENDED, EVENT_CANCELLED; an unknown or deleted event is NOT_FOUND.
 */
export function assertOpenFor(
  event: SaleEvent | null,
  eventId: string,
  tier: MembershipTier,
  now: Date,
  stageMinutes: number,
): SaleEvent {
  const open = assertNotClosed(event, eventId);
  if (now >= open.saleEndsAt) throw new ForbiddenError("The sale has ended", "SALE_ENDED");
  const opensAt = presaleOpensAt(open.saleStartsAt, tier, stageMinutes);
  if (now >= opensAt) return open;
  const stage = presaleStageAt(open.saleStartsAt, now, stageMinutes);
  if (!stage) {
    throw new ForbiddenError("The sale has not opened yet", "SALE_NOT_OPEN", {
      saleStartsAt: open.saleStartsAt.toISOString(),
      opensAt: opensAt.toISOString(),
    });
  }
  throw new ForbiddenError(
    `The ${stage} fan-club pre-sale is running; as ${tier} you may buy from ${opensAt.toISOString()}`,
    "PRESALE_STAGE",
    { stage, tier, opensAt: opensAt.toISOString(), saleStartsAt: open.saleStartsAt.toISOString() },
  );
}

/**
 * The part of the rule that can change while a purchase waits for its locks: the event was
 * cancelled or deleted. Read again after the inventory locks (see event-closure.ts).
 */
export function assertNotClosed(event: SaleEvent | null, eventId: string): SaleEvent {
  if (!event || event.deleted) throw new NotFoundError("Event", eventId);
  if (event.cancelledAt) throw new ForbiddenError("This event was cancelled", "EVENT_CANCELLED");
  return event;
}
