import type { Db } from "./prisma.ts";

export interface SessionRecord {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

const SESSION_FIELDS = { id: true, userId: true, familyId: true, expiresAt: true, revokedAt: true } as const;

export class SessionRepository {
  constructor(private readonly db: Db) {}

  create(session: {
    userId: string;
    familyId: string;
    tokenHash: string;
    expiresAt: Date;
    userAgent?: string | null;
  }) {
    return this.db.session.create({
      data: {
        userId: session.userId,
        familyId: session.familyId,
        tokenHash: session.tokenHash,
        expiresAt: session.expiresAt,
        userAgent: session.userAgent?.slice(0, 255) ?? null,
      },
      select: SESSION_FIELDS,
    });
  }

  findByTokenHash(tokenHash: string): Promise<SessionRecord | null> {
    return this.db.session.findUnique({ where: { tokenHash }, select: SESSION_FIELDS });
  }

  /**
   * Marks one session used. Conditional on it still being live, so of two concurrent refreshes with
   * the same token exactly one wins; returns false for the loser.
   */
  async consume(id: string, at: Date): Promise<boolean> {
    const { count } = await this.db.session.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: at },
    });
    return count === 1;
  }

  async revokeFamily(familyId: string, at: Date): Promise<number> {
    const { count } = await this.db.session.updateMany({
      where: { familyId, revokedAt: null },
      data: { revokedAt: at },
    });
    return count;
  }

  async revokeAllOfUser(userId: string, at: Date): Promise<number> {
    const { count } = await this.db.session.updateMany({
      where: { userId, revokedAt: null },
      data: { revokedAt: at },
    });
    return count;
  }
}
