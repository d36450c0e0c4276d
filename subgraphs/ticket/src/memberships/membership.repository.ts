import { newestFirstAfter } from "@urr/subgraph-kit";
import type { Db } from "../repositories/prisma.ts";
import type { MembershipRecord, MembershipStatus, PointAction, PointEntryRecord } from "./records.ts";
import type { MembershipTier, MemberTier } from "./tiers.ts";

const FIELDS = {
  id: true,
  userId: true,
  artistId: true,
  tier: true,
  points: true,
  status: true,
  expiresAt: true,
  activatedAt: true,
  revision: true,
  createdAt: true,
  updatedAt: true,
} as const;

type Row = Omit<MembershipRecord, "tier"> & { tier: MembershipTier };

/** A CHECK constraint keeps BRONZE out of the table; a row that has it is a bug, not data. */
function toRecord(row: Row): MembershipRecord {
  if (row.tier === "BRONZE") throw new Error(`membership ${row.id} has tier BRONZE`);
  return { ...row, tier: row.tier };
}
const toRecords = (rows: Row[]) => rows.map(toRecord);
const orNull = (row: Row | null) => (row ? toRecord(row) : null);

export interface MembershipChange {
  tier: MemberTier;
  points: number;
  status: MembershipStatus;
  expiresAt: Date | null;
  activatedAt: Date | null;
}

export interface NewPointEntry {
  membershipId: string;
  action: PointAction;
  points: number;
  description: string;
  reservationId?: string;
  paymentId?: string;
  at: Date;
}

/** Fan-club memberships and their point logs (only this class touches their tables). */
export class MembershipRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string): Promise<MembershipRecord | null> {
    return orNull(await this.db.membership.findUnique({ where: { id }, select: FIELDS }));
  }

  async findByIds(ids: readonly string[]): Promise<MembershipRecord[]> {
    return toRecords(await this.db.membership.findMany({ where: { id: { in: [...ids] } }, select: FIELDS }));
  }

  async find(userId: string, artistId: string): Promise<MembershipRecord | null> {
    return orNull(
      await this.db.membership.findUnique({
        where: { userId_artistId: { userId, artistId } },
        select: FIELDS,
      }),
    );
  }

  /** One user's memberships of many artists, in one query (`Artist.myMembership` for a list). */
  async findForArtists(userId: string, artistIds: readonly string[]): Promise<MembershipRecord[]> {
    return toRecords(
      await this.db.membership.findMany({
        where: { userId, artistId: { in: [...artistIds] } },
        select: FIELDS,
      }),
    );
  }

  /** Newest first; a fan has one per artist, so this is bounded by the artists they joined. */
  async listForUsers(userIds: readonly string[]): Promise<MembershipRecord[]> {
    return toRecords(
      await this.db.membership.findMany({
        where: { userId: { in: [...userIds] } },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: FIELDS,
      }),
    );
  }

  /** An artist's members, newest first; keyset after (createdAt, id). */
  async listForArtist(query: {
    artistId: string;
    status?: MembershipStatus;
    after?: { createdAt: Date; id: string };
    limit: number;
  }): Promise<MembershipRecord[]> {
    const { artistId, status, after, limit } = query;
    return toRecords(
      await this.db.membership.findMany({
        where: {
          artistId,
          ...(status ? { status } : {}),
          ...newestFirstAfter(after),
        },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit,
        select: FIELDS,
      }),
    );
  }

  /** A new PENDING membership; false when the user already has one for the artist. */
  async createPending(id: string, userId: string, artistId: string): Promise<boolean> {
    const inserted = await this.db.$executeRaw`
      INSERT INTO memberships (id, user_id, artist_id, updated_at)
      VALUES (${id}::uuid, ${userId}::uuid, ${artistId}::uuid, now())
      ON CONFLICT (user_id, artist_id) DO NOTHING`;
    return inserted === 1;
  }

  async lock(id: string): Promise<MembershipRecord | null> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM memberships WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length ? this.findById(id) : null;
  }

  /**
   * The buyer's active membership of the artist of an event, row-locked (a purchase's points). Null
   * when they have none, it is not ACTIVE, or its term ended before `at`.
   */
  async lockActiveForEvent(userId: string, eventId: string, at: Date): Promise<MembershipRecord | null> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`
      SELECT m.id FROM memberships m JOIN catalog_events e ON e.artist_id = m.artist_id
      WHERE e.event_id = ${eventId}::uuid AND m.user_id = ${userId}::uuid
        AND m.status = 'ACTIVE' AND m.expires_at > ${at}
      FOR UPDATE OF m`;
    const id = locked[0]?.id;
    return id ? this.findById(id) : null;
  }

  /**
   * The buyer's membership of the event's artist (any status), read without locks in one query: it
   * is on the hold path (see domain/buyer-terms.ts).
   */
  async findForEvent(userId: string, eventId: string): Promise<MembershipRecord | null> {
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT m.id, m.user_id AS "userId", m.artist_id AS "artistId", m.tier::text AS tier, m.points,
             m.status::text AS status, m.expires_at AS "expiresAt", m.activated_at AS "activatedAt",
             m.revision, m.created_at AS "createdAt", m.updated_at AS "updatedAt"
      FROM memberships m JOIN catalog_events e ON e.artist_id = m.artist_id
      WHERE e.event_id = ${eventId}::uuid AND m.user_id = ${userId}::uuid`;
    return orNull(rows[0] ?? null);
  }

  /** ACTIVE memberships whose term ended by `now`, locked; rows another sweeper holds are skipped. */
  async lockLapsed(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM memberships WHERE status = 'ACTIVE' AND expires_at <= ${now}
      ORDER BY expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    return rows.map((r) => r.id);
  }

  /** Writes a change (the row is locked by the caller) and moves the revision on. */
  async update(id: string, change: MembershipChange): Promise<MembershipRecord> {
    return toRecord(
      await this.db.membership.update({
        where: { id },
        data: { ...change, revision: { increment: 1 } },
        select: FIELDS,
      }),
    );
  }

  /**
   * Appends to the point log. False when the entry was already recorded: a purchase (per
   * reservation) or a payment (per payment id) earns its points once, by unique index.
   */
  async appendPoints(entry: NewPointEntry): Promise<boolean> {
    const inserted = await this.db.$executeRaw`
      INSERT INTO membership_point_logs (id, membership_id, action, points, description, reservation_id, payment_id, at)
      VALUES (gen_random_uuid(), ${entry.membershipId}::uuid, ${entry.action}::"MembershipPointAction", ${entry.points},
              ${entry.description.slice(0, 200)}, ${entry.reservationId ?? null}::uuid, ${entry.paymentId ?? null}::uuid, ${entry.at})
      ON CONFLICT DO NOTHING`;
    return inserted === 1;
  }

  /** Each membership's log, newest first (a tier change before the entry that caused it), at most `perMembership` each. */
  async pointLogs(membershipIds: readonly string[], perMembership = 100): Promise<PointEntryRecord[]> {
    return this.db.$queryRaw<PointEntryRecord[]>`
      SELECT id, "membershipId", action, points, description, "reservationId", "paymentId", at FROM (
        SELECT id, membership_id AS "membershipId", action::text AS action, points, description,
               reservation_id AS "reservationId", payment_id AS "paymentId", at,
               row_number() OVER (PARTITION BY membership_id ORDER BY at DESC, action = 'TIER_CHANGE' DESC, id DESC) AS n
        FROM membership_point_logs WHERE membership_id = ANY(${[...membershipIds]}::uuid[])
      ) AS log WHERE n <= ${perMembership} ORDER BY n`;
  }
}
