import { z } from "zod";
import { defineEvent } from "../envelope.ts";

/**
 * membership-events: fan-club memberships per artist (a later issue builds them; community and the
 * queue's pre-sale rule consume these). Key: the membership id.
 */
export const MEMBERSHIP_TOPIC = "membership-events";

export const MembershipActivated = defineEvent({
  type: "membership.activated",
  version: 1,
  topic: MEMBERSHIP_TOPIC,
  payload: z.object({
    membershipId: z.uuid(),
    userId: z.uuid(),
    artistId: z.uuid(),
    tier: z.string().min(1),
    paymentId: z.uuid(),
    expiresAt: z.iso.datetime({ offset: true }),
  }),
});
