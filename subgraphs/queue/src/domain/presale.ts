import { type MembershipTier, membershipTier, presaleOpensAt } from "@urr/contracts";
import type { EventDirectory, SaleWindow } from "../store/event-directory.ts";

/** Who may join an event's queue when. Membership data comes from membership-events. */
export interface PresalePolicy {
  /** When this user may first join this event's queue. */
  opensAt(window: SaleWindow, userId: string, now: Date): Promise<Date>;
}

/**
 * Pre-sale stages by fan-club tier, on the schedule ticket applies to holds (`presaleOpensAt` in
 * @urr/contracts): DIAMOND members join three stages before the general sale, GOLD two, SILVER
 * one, everyone else at the general sale.
 */
export class TieredPresale implements PresalePolicy {
  constructor(
    private readonly deps: {
      /** The user's current fan-club tier for an artist (BRONZE without an active membership). */
      tierOf(artistId: string, userId: string, now: Date): Promise<MembershipTier>;
      stageMinutes: number;
    },
  ) {}

  async opensAt(window: SaleWindow, userId: string, now: Date): Promise<Date> {
    if (now >= window.saleStartsAt) return window.saleStartsAt;
    const tier = await this.deps.tierOf(window.artistId, userId, now);
    return presaleOpensAt(window.saleStartsAt, tier, this.deps.stageMinutes);
  }
}

/** Tiers as projected from membership-events; an expired (or unknown) membership counts as BRONZE. */
export function tiersFrom(directory: EventDirectory) {
  return async (artistId: string, userId: string, now: Date): Promise<MembershipTier> => {
    const membership = await directory.tier(artistId, userId);
    if (!membership || membership.expiresAt <= now) return "BRONZE";
    const tier = membershipTier.safeParse(membership.tier);
    return tier.success ? tier.data : "BRONZE";
  };
}
