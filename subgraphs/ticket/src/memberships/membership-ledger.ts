import type { TicketRepositories } from "../repositories/ticket-store.ts";
import { type Announcement, announce } from "./membership-events.ts";
import type { MembershipRecord, MembershipStatus, PointAction } from "./records.ts";
import { tierForPoints } from "./tiers.ts";

/** One change to a membership: points earned (0 for an expiry) and, maybe, a new status or term. */
export interface LedgerChange {
  action: Exclude<PointAction, "TIER_CHANGE">;
  points: number;
  description: string;
  at: Date;
  /** The purchase that earned the points: recorded once per reservation. */
  reservationId?: string;
  /** The payment of a join or renewal: recorded once per payment. */
  paymentId?: string;
  status?: MembershipStatus;
  expiresAt?: Date;
  activatedAt?: Date;
  announce: Announcement;
  sagaId?: string | null;
}

/**
 * Applies a change to a membership the caller has row-locked, inside its transaction: the point
 * log entry first (its unique indexes make a purchase or a payment count once; null when it was
 * already recorded, and nothing else is written), then points, tier from points and status, a
 * TIER_CHANGE entry when the tier moved, and the membership-events, all in the same transaction.
 */
export async function applyChange(
  repos: TicketRepositories,
  before: MembershipRecord,
  change: LedgerChange,
): Promise<MembershipRecord | null> {
  const recorded = await repos.memberships.appendPoints({
    membershipId: before.id,
    action: change.action,
    points: change.points,
    description: change.description,
    at: change.at,
    ...(change.reservationId ? { reservationId: change.reservationId } : {}),
    ...(change.paymentId ? { paymentId: change.paymentId } : {}),
  });
  if (!recorded) return null;
  const points = before.points + change.points;
  const after = await repos.memberships.update(before.id, {
    points,
    tier: tierForPoints(points),
    status: change.status ?? before.status,
    expiresAt: change.expiresAt ?? before.expiresAt,
    activatedAt: change.activatedAt ?? before.activatedAt,
  });
  if (after.tier !== before.tier) {
    await repos.memberships.appendPoints({
      membershipId: before.id,
      action: "TIER_CHANGE",
      points: 0,
      description: `${before.tier} → ${after.tier} at ${points} points`,
      at: change.at,
    });
  }
  await announce(repos, after, change.announce, before.tier, change.sagaId ?? null);
  return after;
}
