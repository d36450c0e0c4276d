import type { MembershipTier, MemberTier } from "./tiers.ts";

/** Membership records as the domain sees them (the repository returns these, never Prisma rows). */
export type MembershipStatus = "PENDING" | "ACTIVE" | "EXPIRED";
export type PointAction = "JOIN" | "RENEWAL" | "PURCHASE" | "TIER_CHANGE" | "EXPIRY";

export interface MembershipRecord {
  id: string;
  userId: string;
  artistId: string;
  tier: MemberTier;
  points: number;
  status: MembershipStatus;
  expiresAt: Date | null;
  activatedAt: Date | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface PointEntryRecord {
  id: string;
  membershipId: string;
  action: PointAction;
  points: number;
  description: string;
  reservationId: string | null;
  paymentId: string | null;
  at: Date;
}

export interface MembershipOrderRecord {
  id: string;
  membershipId: string;
  status: "OPEN" | "PAID";
  paymentId: string | null;
  amountPaid: number | null;
  paidAt: Date | null;
  createdAt: Date;
}

/** What ticket knows of a catalog artist (catalog-events). */
export interface CatalogArtistRecord {
  artistId: string;
  name: string;
  membershipPrice: number;
  revision: number;
}

/** The tier a buyer buys at: their membership's while it is active and unexpired, BRONZE otherwise. */
export function effectiveTier(membership: MembershipRecord | null, now: Date): MembershipTier {
  if (membership?.status !== "ACTIVE" || !membership.expiresAt) return "BRONZE";
  return membership.expiresAt > now ? membership.tier : "BRONZE";
}

/** A membership's open order as the API shows it: what paying it does and what it costs now. */
export interface MembershipOrderView {
  id: string;
  purpose: "JOIN" | "RENEWAL";
  amount: number;
  currency: string;
  createdAt: Date;
}
