import type { EventDirectory, SaleWindow } from "../store/event-directory.ts";

/**
 * Pre-sale stages, as in the fan-club tiers of the system URR replaces: DIAMOND members join first,
 * then GOLD, then SILVER, each one stage before the next; everyone else at the general sale.
 */
const STAGES_BEFORE_GENERAL_SALE: Record<string, number> = { DIAMOND: 3, GOLD: 2, SILVER: 1 };

/** Who may join an event's queue when. Membership data comes from membership-events. */
export interface PresalePolicy {
  /** When this user may first join this event's queue. */
  opensAt(window: SaleWindow, userId: string, now: Date): Promise<Date>;
}

export class TieredPresale implements PresalePolicy {
  constructor(
    private readonly deps: {
      /** The user's current fan-club tier for an artist, or null. */
      tierOf(artistId: string, userId: string, now: Date): Promise<string | null>;
      stageMinutes: number;
    },
  ) {}

  async opensAt(window: SaleWindow, userId: string, now: Date): Promise<Date> {
    if (now >= window.saleStartsAt) return window.saleStartsAt;
    const tier = await this.deps.tierOf(window.artistId, userId, now);
    const stages = (tier && STAGES_BEFORE_GENERAL_SALE[tier]) || 0;
    return new Date(window.saleStartsAt.getTime() - stages * this.deps.stageMinutes * 60_000);
  }
}

/** Tiers as projected from membership-events; an expired membership counts as none. */
export function tiersFrom(directory: EventDirectory) {
  return async (artistId: string, userId: string, now: Date): Promise<string | null> => {
    const membership = await directory.tier(artistId, userId);
    return membership && membership.expiresAt > now ? membership.tier : null;
  };
}
