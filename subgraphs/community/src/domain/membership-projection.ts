import {
  type EventEnvelope,
  EventHandlers,
  MembershipActivated,
  MembershipExpired,
  MembershipRenewed,
  MembershipTierChanged,
} from "@urr/events";
import type { CommunityStore } from "../repositories/community-store.ts";
import type { MembershipState } from "./records.ts";

type MembershipEvent = EventEnvelope<
  string,
  Omit<MembershipState, "status" | "expiresAt"> & { expiresAt: string }
>;

/**
 * membership-events → community's copy of who holds which fan club. Each event carries the
 * membership's whole state after the change and its revision: the newest revision is kept and an
 * older one arriving late is ignored ("stale"). Each event id is applied once: it is recorded in
 * `processed_events` in the same transaction as the copy's change ("duplicate" the second time).
 * A message its contract refuses never gets here: EventHandlers throws InvalidEventError and the
 * transport dead-letters it.
 *
 * The status follows the event: activation and renewal start or extend a paid term (ACTIVE), expiry
 * ends it (EXPIRED), and a tier change happens only to an active member (ticket moves tiers when an
 * active member earns points or pays a term).
 */
export function membershipProjection(store: CommunityStore): EventHandlers {
  const keep = (status: MembershipState["status"]) => (event: MembershipEvent) =>
    store.transaction(async (repos) => {
      if (!(await repos.markProcessed(event))) return "duplicate";
      const p = event.payload;
      const saved = await repos.memberships.save({
        membershipId: p.membershipId,
        userId: p.userId,
        artistId: p.artistId,
        status,
        tier: p.tier,
        expiresAt: new Date(p.expiresAt),
        revision: p.revision,
      });
      return saved ? "applied" : "stale";
    });
  return new EventHandlers()
    .on(MembershipActivated, keep("ACTIVE"))
    .on(MembershipRenewed, keep("ACTIVE"))
    .on(MembershipTierChanged, keep("ACTIVE"))
    .on(MembershipExpired, keep("EXPIRED"));
}
