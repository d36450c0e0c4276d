import { z } from "zod";
import { defineEvent } from "../envelope.ts";

/**
 * membership-events: fan-club memberships per artist, produced by ticket (which owns them) through
 * its outbox; the queue's pre-sale stages consume them, community will. Key: the membership id, so
 * one membership's events keep their order; each carries the membership's `revision` (it grows with
 * every change) and its state after the change, so a consumer keeps the newest and ignores the rest.
 */
export const MEMBERSHIP_TOPIC = "membership-events";

/** A member's tier from points (BRONZE, the non-member's, never appears here). */
const memberTier = z.enum(["SILVER", "GOLD", "DIAMOND"]);
const instant = z.iso.datetime({ offset: true });

const membershipState = {
  membershipId: z.uuid(),
  userId: z.uuid(),
  artistId: z.uuid(),
  tier: memberTier,
  points: z.number().int().nonnegative(),
  expiresAt: instant,
  /** Monotonic per membership: a consumer ignores a state older than the one it holds. */
  revision: z.number().int().positive(),
};

/** The first paid term began: a pending membership became ACTIVE. */
export const MembershipActivated = defineEvent({
  type: "membership.activated",
  version: 1,
  topic: MEMBERSHIP_TOPIC,
  payload: z.object({ ...membershipState, paymentId: z.uuid() }),
});

/** A paid renewal extended the membership (from its end, or from the payment when it had lapsed). */
export const MembershipRenewed = defineEvent({
  type: "membership.renewed",
  version: 1,
  topic: MEMBERSHIP_TOPIC,
  payload: z.object({ ...membershipState, paymentId: z.uuid() }),
});

/** Points moved the membership to another tier. */
export const MembershipTierChanged = defineEvent({
  type: "membership.tier-changed",
  version: 1,
  topic: MEMBERSHIP_TOPIC,
  payload: z.object({ ...membershipState, previousTier: memberTier }),
});

/** The term ran out without a renewal: the holder buys as BRONZE until they renew. */
export const MembershipExpired = defineEvent({
  type: "membership.expired",
  version: 1,
  topic: MEMBERSHIP_TOPIC,
  payload: z.object(membershipState),
});
