import type { MembershipExpired, QueueAdmitted } from "@urr/events";
import type { z } from "zod";
import type { Db } from "../repositories/prisma.ts";

type MembershipState = z.output<typeof MembershipExpired.payload>;

/**
 * Fans: fan-club memberships (membership-events carry the whole state and a revision, so the
 * newest revision wins whatever the arrival order) and waiting-room admissions (queue-events).
 */
export class AudienceFacts {
  constructor(private readonly db: Db) {}

  /** Keeps the state of the highest revision; `lapsed` is whether that state is an expiry. */
  async membershipState(p: MembershipState, lapsed: boolean): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO stats_memberships (membership_id, user_id, artist_id, tier, points, expires_at, revision, lapsed)
      VALUES (${p.membershipId}::uuid, ${p.userId}::uuid, ${p.artistId}::uuid, ${p.tier}, ${p.points},
              ${p.expiresAt}::timestamptz, ${p.revision}, ${lapsed})
      ON CONFLICT (membership_id) DO UPDATE SET
        tier = excluded.tier, points = excluded.points, expires_at = excluded.expires_at,
        revision = excluded.revision, lapsed = excluded.lapsed
      WHERE stats_memberships.revision < excluded.revision`;
  }

  /** The first paid term began (its time is the payment's, carried as the event's occurrence). */
  async membershipActivated(membershipId: string, at: string): Promise<void> {
    await this.db.$executeRaw`
      UPDATE stats_memberships SET activated_at = coalesce(activated_at, ${at}::timestamptz)
      WHERE membership_id = ${membershipId}::uuid`;
  }

  async membershipRenewed(membershipId: string, paymentId: string, at: string): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO stats_membership_renewals (payment_id, membership_id, renewed_at)
      VALUES (${paymentId}::uuid, ${membershipId}::uuid, ${at}::timestamptz)
      ON CONFLICT (payment_id) DO NOTHING`;
  }

  async admitted(p: z.output<typeof QueueAdmitted.payload>): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO stats_admissions (event_id, user_id, queue_number, admitted_at)
      VALUES (${p.eventId}::uuid, ${p.userId}::uuid, ${p.queueNumber}, ${p.admittedAt}::timestamptz)
      ON CONFLICT DO NOTHING`;
  }
}
