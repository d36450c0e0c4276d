import type { MembershipTier } from "@urr/contracts";
import { effectiveTier } from "../memberships/records.ts";
import { BOOKING_FEE } from "../memberships/tiers.ts";
import type { TicketStore } from "../repositories/ticket-store.ts";
import type { SaleEvent } from "./records.ts";
import { assertOpenFor } from "./sale-policy.ts";

/** On what terms a buyer may take inventory of an event now. */
export interface BuyerTerms {
  event: SaleEvent;
  /** The buyer's fan-club tier for the event's artist (BRONZE without an active membership). */
  tier: MembershipTier;
  /** Integer KRW added to each ticket (the tier's booking fee). */
  bookingFee: number;
}

/**
 * The one place a purchase's access and price terms are decided, before any inventory is taken:
 * every seat hold (`holdSeats`, and `holdBestAvailable` through it) and every general-admission
 * reservation asks here. It reads the event and the buyer's membership side by side (one round
 * trip's latency) and refuses by the pre-sale schedule (sale-policy.ts).
 */
export class BuyerTermsPolicy {
  constructor(private readonly deps: { store: TicketStore; presaleStageMinutes: number }) {}

  async termsFor(userId: string, eventId: string, now: Date): Promise<BuyerTerms> {
    const { repos } = this.deps.store;
    const [saleEvent, membership] = await Promise.all([
      repos.saleEvents.find(eventId),
      repos.memberships.findForEvent(userId, eventId),
    ]);
    const tier = effectiveTier(membership, now);
    const event = assertOpenFor(saleEvent, eventId, tier, now, this.deps.presaleStageMinutes);
    return { event, tier, bookingFee: BOOKING_FEE[tier] };
  }
}
