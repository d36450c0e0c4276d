import type { MembershipState, Standing } from "../domain/records.ts";
import type { Db } from "./prisma.ts";

/** Community's copy of ticket's fan-club memberships, kept from membership-events. */
export class MembershipRepository {
  constructor(private readonly db: Db) {}

  /**
   * Keeps the newest revision of a membership: inserts it, or replaces a strictly older state. One
   * statement, so concurrent deliveries of different revisions cannot interleave. False when the
   * state held is as new or newer (a late or repeated event).
   */
  async save(state: MembershipState): Promise<boolean> {
    const saved = await this.db.$executeRaw`
      INSERT INTO memberships (membership_id, user_id, artist_id, status, tier, expires_at, revision, updated_at)
      VALUES (${state.membershipId}::uuid, ${state.userId}::uuid, ${state.artistId}::uuid,
              ${state.status}::"MembershipStatus", ${state.tier}, ${state.expiresAt}, ${state.revision}, now())
      ON CONFLICT (membership_id) DO UPDATE SET
        user_id = EXCLUDED.user_id, artist_id = EXCLUDED.artist_id, status = EXCLUDED.status,
        tier = EXCLUDED.tier, expires_at = EXCLUDED.expires_at, revision = EXCLUDED.revision, updated_at = now()
      WHERE memberships.revision < EXCLUDED.revision`;
    return saved === 1;
  }

  async find(membershipId: string): Promise<MembershipState | null> {
    const row = await this.db.membership.findUnique({
      where: { membershipId },
      select: {
        membershipId: true,
        userId: true,
        artistId: true,
        status: true,
        tier: true,
        expiresAt: true,
        revision: true,
      },
    });
    return row;
  }

  /**
   * The user's standing on each artist's board at `now`: MEMBER with an ACTIVE membership whose term
   * has not ended (a term past its end counts as lapsed before ticket's expiry sweep announces it),
   * LAPSED with any other membership, NOT_MEMBER without one.
   */
  async standings(userId: string, artistIds: readonly string[], now: Date): Promise<Map<string, Standing>> {
    const rows = await this.db.membership.findMany({
      where: { userId, artistId: { in: [...artistIds] } },
      select: { artistId: true, status: true, expiresAt: true },
    });
    const standings = new Map<string, Standing>();
    for (const row of rows) {
      const member = row.status === "ACTIVE" && row.expiresAt > now;
      if (member || !standings.has(row.artistId)) standings.set(row.artistId, member ? "MEMBER" : "LAPSED");
    }
    return standings;
  }
}
