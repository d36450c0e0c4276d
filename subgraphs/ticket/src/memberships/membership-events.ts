import {
  createEvent,
  MembershipActivated,
  MembershipExpired,
  MembershipRenewed,
  MembershipTierChanged,
} from "@urr/events";
import type { TicketRepositories } from "../repositories/ticket-store.ts";
import type { MembershipRecord } from "./records.ts";
import type { MemberTier } from "./tiers.ts";

/** What a change announces on membership-events (besides a tier change, announced on its own). */
export type Announcement =
  | { kind: "ACTIVATED" | "RENEWED"; paymentId: string }
  | { kind: "EXPIRED" }
  | { kind: "NONE" };

function stateOf(m: MembershipRecord) {
  if (!m.expiresAt) throw new Error(`membership ${m.id} is announced without a term`);
  return {
    membershipId: m.id,
    userId: m.userId,
    artistId: m.artistId,
    tier: m.tier,
    points: m.points,
    expiresAt: m.expiresAt.toISOString(),
    revision: m.revision,
  };
}

/** Puts the membership-events describing a change into the outbox, in the change's transaction. */
export async function announce(
  repos: TicketRepositories,
  after: MembershipRecord,
  what: Announcement,
  previousTier: MemberTier,
  sagaId: string | null,
): Promise<void> {
  const options = { sagaId };
  const state = stateOf(after);
  switch (what.kind) {
    case "ACTIVATED":
      await repos.publish(
        MembershipActivated,
        createEvent(MembershipActivated, after.id, { ...state, paymentId: what.paymentId }, options),
      );
      break;
    case "RENEWED":
      await repos.publish(
        MembershipRenewed,
        createEvent(MembershipRenewed, after.id, { ...state, paymentId: what.paymentId }, options),
      );
      break;
    case "EXPIRED":
      await repos.publish(MembershipExpired, createEvent(MembershipExpired, after.id, state, options));
      break;
    case "NONE":
      break;
  }
  if (after.tier !== previousTier) {
    await repos.publish(
      MembershipTierChanged,
      createEvent(MembershipTierChanged, after.id, { ...state, previousTier }, options),
    );
  }
}
