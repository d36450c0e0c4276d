import { z } from "zod";

/**
 * Fan-club tiers, lowest first. BRONZE is everyone without an active membership of the event's
 * artist; SILVER, GOLD and DIAMOND come from a membership's points (ticket owns memberships).
 */
export const MEMBERSHIP_TIERS = ["BRONZE", "SILVER", "GOLD", "DIAMOND"] as const;
export const membershipTier = z.enum(MEMBERSHIP_TIERS);
export type MembershipTier = z.infer<typeof membershipTier>;

/**
 * The pre-sale schedule both the queue (who may join the waiting room) and ticket (who may hold
 * inventory) apply, defined once: DIAMOND buys three stages before the general sale, GOLD two,
 * SILVER one, everyone else at `saleStartsAt`. Each stage lasts `stageMinutes` (each service's
 * `PRESALE_STAGE_MINUTES`, which must agree).
 */
const STAGES_AHEAD: Record<MembershipTier, number> = { BRONZE: 0, SILVER: 1, GOLD: 2, DIAMOND: 3 };

/** When a buyer of this tier may first buy. */
export function presaleOpensAt(saleStartsAt: Date, tier: MembershipTier, stageMinutes: number): Date {
  return new Date(saleStartsAt.getTime() - STAGES_AHEAD[tier] * stageMinutes * 60_000);
}

/**
 * The lowest tier allowed to buy at `now`: DIAMOND during the first stage, … BRONZE from the
 * general sale on; null before the first stage opens.
 */
export function presaleStageAt(saleStartsAt: Date, now: Date, stageMinutes: number): MembershipTier | null {
  for (const tier of MEMBERSHIP_TIERS) {
    if (now >= presaleOpensAt(saleStartsAt, tier, stageMinutes)) return tier;
  }
  return null;
}
