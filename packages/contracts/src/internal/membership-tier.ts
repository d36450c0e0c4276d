import { z } from "zod";
import { uuid } from "../ids.ts";
import { membershipTier } from "../presale.ts";

/**
 * Ticket's current state of one fan's membership of one artist, for services that keep a projection
 * of membership-events in a store that can lose it (the queue's pre-sale tiers in Redis or memory).
 * It carries the same tier, term and revision as the membership-events, so a consumer applies
 * either with the same revision guard and a state fetched here never overwrites a newer delivered one.
 *
 * `GET /internal/memberships/tier?userId=<uuid>&artistId=<uuid>` → always 200: `membership` is null
 * when the fan has no membership of the artist (they count as BRONZE).
 */
export const MEMBERSHIP_TIER_ROUTE = "/internal/memberships/tier";

export function membershipTierPath(key: { userId: string; artistId: string }): string {
  const query = new URLSearchParams({ userId: key.userId, artistId: key.artistId });
  return `${MEMBERSHIP_TIER_ROUTE}?${query}`;
}

export const MembershipTierState = z.object({
  userId: uuid,
  artistId: uuid,
  membership: z
    .object({
      /** The member's tier from points (never BRONZE, which is the tier of a non-member). */
      tier: membershipTier.exclude(["BRONZE"]),
      status: z.enum(["PENDING", "ACTIVE", "EXPIRED"]),
      /** End of the paid term; null while PENDING (never paid). */
      expiresAt: z.iso.datetime({ offset: true }).nullable(),
      /** Monotonic per membership, the same counter membership-events carry. */
      revision: z.number().int().positive(),
    })
    .nullable(),
});

export type MembershipTierState = z.infer<typeof MembershipTierState>;
